-- One report upload by its id.
SELECT id, kind, user_name, created_at, file_name, sha256, rows, rolls_back, rolled_back_by
FROM task_report_uploads WHERE id = $id
