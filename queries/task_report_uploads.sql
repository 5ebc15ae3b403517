-- The history of report uploads, form entries and their rollbacks, newest first: the entries of the shared
-- upload history of kind task_reports, with the kind as the reporting page shows it (file, form or rollback).
SELECT id, CASE WHEN kind = 'rollback' THEN 'rollback' ELSE layout END AS kind, user_name, created_at,
       file_name, sha256, encoding, rows, inserted, updated, unchanged, warnings, rolls_back, rolled_back_by
FROM uploads
WHERE kind = 'task_reports' OR (kind = 'rollback' AND json_extract_string(options, '$.of_kind') = 'task_reports')
ORDER BY id DESC
