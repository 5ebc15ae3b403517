-- Add the values an upload adds (upload_changes, as upload_update_changed.sql): the diff found their keys not
-- stored in this transaction's data, so no anti-join is needed (the primary key would refuse a stored one).
INSERT INTO observations
    (indicator_code, region_code, period, period_kind, year, quarter, month, value, source, quality, note)
SELECT indicator_code, region_code, period, period_kind, year, quarter, month, new_value, new_source,
       new_quality, new_note
FROM upload_changes
WHERE action = 'insert'
