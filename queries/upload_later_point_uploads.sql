-- Points uploads after a given one that are still in effect (a rollback must undo them first).
SELECT id AS upload_id
FROM uploads
WHERE kind = 'points' AND id > $id AND rolled_back_by IS NULL
ORDER BY id
