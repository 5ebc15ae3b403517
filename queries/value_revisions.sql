-- Every revision of one value, oldest first, with who made it and when.
SELECT r.upload_id, u.kind, u.user_name, u.created_at, u.file_name, r.action,
       r.old_value, r.new_value, r.new_source, r.new_quality, r.new_note, u.rolled_back_by
FROM observation_revisions r JOIN uploads u ON u.id = r.upload_id
WHERE r.indicator_code = $indicator AND r.region_code = $region AND r.period = $period
ORDER BY r.upload_id
