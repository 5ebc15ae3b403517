-- Remove values a rollback takes back (upload_removed is the registered frame of their keys).
DELETE FROM observations o
WHERE EXISTS (SELECT 1 FROM upload_removed r
              WHERE r.indicator_code = o.indicator_code AND r.region_code = o.region_code AND r.period = o.period)
