-- Write the new and changed values of an upload (upload_incoming is the registered frame of them).
INSERT OR REPLACE INTO observations
    (indicator_code, region_code, period, period_kind, year, quarter, month, value, source, quality, note)
SELECT indicator_code, region_code, period, period_kind, year, quarter, month, value, source, quality, note
FROM upload_incoming
