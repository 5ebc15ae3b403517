-- Quarterly visits and revenue by scenic area, from the files under data/tourism/ (paths given).
SELECT q.area_code, a."order" AS area_order, a.name_zh, a.name_en, q.measure, q.period,
       CAST(substr(q.period, 1, 4) AS INTEGER) AS year, CAST(substr(q.period, 6, 1) AS INTEGER) AS quarter,
       CAST(q.value AS DOUBLE) AS value, q.source, q.quality
FROM read_csv($quarters, header = true, all_varchar = true) q
JOIN read_csv($areas, header = true, all_varchar = true) a ON a.code = q.area_code
ORDER BY area_order, q.measure, year, quarter
