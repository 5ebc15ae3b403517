-- Annual values of one indicator by township, current units and the pre-2020 ones, with their names.
SELECT o.region_code, r.name_zh AS region_zh, r.name_en AS region_en, r.successor_code,
       o.year, o.value, o.quality, o.source
FROM observations o JOIN regions r ON r.code = o.region_code
WHERE o.indicator_code = $indicator AND r.level = 'township' AND o.period_kind = 'Y'
ORDER BY o.year, o.region_code
