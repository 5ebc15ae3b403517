-- Record on an upload which rollback undid it.
UPDATE uploads SET rolled_back_by = $rollback_id WHERE id = $id
