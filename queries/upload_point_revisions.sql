-- What one points upload changed, point by point (old and new rows as JSON).
SELECT id AS point_id, action, old_record, new_record
FROM point_revisions
WHERE upload_id = $id
ORDER BY id
