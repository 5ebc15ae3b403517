-- Record on a report upload which rollback undid it.
UPDATE task_report_uploads SET rolled_back_by = $rollback_id WHERE id = $id
