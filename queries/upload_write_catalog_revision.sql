-- One catalog row's revision by an upload or rollback.
INSERT INTO catalog_revisions (upload_id, code, action, old_record, new_record)
VALUES ($upload_id, $code, $action, $old_record, $new_record)
