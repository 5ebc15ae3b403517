-- What one upload or rollback changed, value by value.
SELECT indicator_code, region_code, period, action, old_value, old_source, old_quality, old_note,
       new_value, new_source, new_quality, new_note
FROM observation_revisions
WHERE upload_id = $id
ORDER BY indicator_code, region_code, period
