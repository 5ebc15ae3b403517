-- The revisions of upload $upload_id from the registered frame revision_rows.
INSERT INTO task_report_revisions
SELECT $upload_id, task_code, unit_code, month, action, old_record, new_record FROM revision_rows
