-- Every observation of one indicator, with region names, oldest first.
SELECT o.period, o.period_kind, o.year, o.quarter, o.month, o.region_code,
       r.name_zh AS region_zh, r.name_en AS region_en, r.level AS region_level, r.successor_code,
       o.value, o.source, o.quality, o.note
FROM observations o JOIN regions r ON r.code = o.region_code
WHERE o.indicator_code = $indicator
ORDER BY o.region_code, o.year, coalesce(o.quarter, 0), coalesce(o.month, 0)
