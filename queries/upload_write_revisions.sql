-- Each value's revision by one upload or rollback (upload_revisions_incoming is the registered frame).
INSERT INTO observation_revisions
SELECT $upload_id, indicator_code, region_code, period, action,
       old_value, old_source, old_quality, old_note, new_value, new_source, new_quality, new_note
FROM upload_revisions_incoming
