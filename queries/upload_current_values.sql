-- The stored values of the keys an upload or rollback is about to write (upload_keys is the registered frame).
SELECT o.indicator_code, o.region_code, o.period, o.value, o.source, o.quality, o.note
FROM observations o
JOIN upload_keys k ON k.indicator_code = o.indicator_code AND k.region_code = o.region_code AND k.period = o.period
