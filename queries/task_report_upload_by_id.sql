-- One report upload, form entry or rollback of one by its id (none when id is an upload of another kind).
SELECT id, CASE WHEN kind = 'rollback' THEN 'rollback' ELSE layout END AS kind, user_name, created_at,
       file_name, sha256, rows, rolls_back, rolled_back_by
FROM uploads
WHERE id = $id
  AND (kind = 'task_reports' OR (kind = 'rollback' AND json_extract_string(options, '$.of_kind') = 'task_reports'))
