-- Set the stored values an upload changes (upload_changes: the registered Arrow table of the diff's written
-- rows, checked against this very transaction's data version): UPDATE ... FROM, as the honest floor does.
UPDATE observations o
SET value = s.new_value, source = s.new_source, quality = s.new_quality, note = s.new_note
FROM upload_changes s
WHERE s.action = 'update'
  AND o.indicator_code = s.indicator_code AND o.region_code = s.region_code AND o.period = s.period
