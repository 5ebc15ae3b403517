-- The history of report uploads, form entries and rollbacks, newest first.
SELECT id, kind, user_name, created_at, file_name, sha256, encoding, rows, inserted, updated, unchanged,
       warnings, rolls_back, rolled_back_by
FROM task_report_uploads
ORDER BY id DESC
