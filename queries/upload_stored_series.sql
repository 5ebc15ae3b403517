-- The stored observations of the series (indicator and region) an upload's values belong to: what it
-- would change, and the series its values are compared with (upload_series is the registered frame).
SELECT o.indicator_code, o.region_code, o.period, o.period_kind, o.year, o.quarter, o.month, o.value, o.source,
       o.quality, o.note
FROM observations o
SEMI JOIN upload_series s ON s.indicator_code = o.indicator_code AND s.region_code = o.region_code
