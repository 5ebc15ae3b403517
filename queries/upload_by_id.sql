-- One upload of the history.
SELECT id, kind, user_name, created_at, file_name, sha256, encoding, layout, options, rows,
       inserted, updated, unchanged, warnings, rolls_back, rolled_back_by
FROM uploads
WHERE id = $id
