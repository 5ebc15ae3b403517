-- The values the latest observations upload that still stands (not rolled back) added or revised,
-- with who made it and when (the overview's "what changed since the last upload").
WITH latest AS (
    SELECT id, user_name, created_at, file_name
    FROM uploads
    WHERE kind = 'observations' AND rolled_back_by IS NULL
    ORDER BY id DESC
    LIMIT 1
)
SELECT l.id AS upload_id, l.user_name, l.created_at, l.file_name,
       r.indicator_code, r.region_code, r.period, r.action, r.old_value, r.new_value
FROM latest l JOIN observation_revisions r ON r.upload_id = l.id
WHERE r.action IN ('insert', 'update')
ORDER BY r.indicator_code, r.region_code, r.period
