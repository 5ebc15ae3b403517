-- Earlier uploads of a file with the same SHA-256 that are still in effect.
SELECT id, user_name, created_at, file_name FROM uploads
WHERE sha256 = $sha256 AND rolled_back_by IS NULL AND kind <> 'rollback'
ORDER BY id
