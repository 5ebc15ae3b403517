-- Observations in the exchange format that uploads read back.
SELECT o.indicator_code, o.region_code, o.period, o.value, i.unit, o.source, o.quality, coalesce(o.note, '') AS note
FROM observations o JOIN indicators i ON i.code = o.indicator_code
ORDER BY o.indicator_code, o.region_code, o.year, o.period_kind, coalesce(o.quarter, 0), coalesce(o.month, 0)
