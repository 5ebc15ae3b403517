-- The id the next upload (or rollback) gets.
SELECT coalesce(max(id), 0) + 1 AS id FROM uploads
