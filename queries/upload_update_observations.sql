-- Set the stored values of an upload's changed keys (upload_staged is the registered frame of the new
-- and changed values). Plain UPDATE ... FROM, no keyed upsert: the fastest way on DuckDB and a lake alike.
UPDATE observations o
SET value = s.value, source = s.source, quality = s.quality, note = s.note
FROM upload_staged s
WHERE o.indicator_code = s.indicator_code AND o.region_code = s.region_code AND o.period = s.period
