-- Add an upload's values whose keys are not stored yet (upload_staged: the registered frame), by an anti-join.
INSERT INTO observations
    (indicator_code, region_code, period, period_kind, year, quarter, month, value, source, quality, note)
SELECT s.indicator_code, s.region_code, s.period, s.period_kind, s.year, s.quarter, s.month, s.value, s.source,
       s.quality, s.note
FROM upload_staged s
ANTI JOIN observations o
    ON o.indicator_code = s.indicator_code AND o.region_code = s.region_code AND o.period = s.period
