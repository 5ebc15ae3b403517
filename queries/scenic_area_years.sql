-- Annual visits, revenue and revenue per visit by scenic area, for years with all four quarters.
WITH quarters AS (
    SELECT area_code, measure, CAST(substr(period, 1, 4) AS INTEGER) AS year,
           CAST(value AS DOUBLE) AS value, quality, source
    FROM read_csv($quarters, header = true, all_varchar = true)
),
years AS (
    SELECT area_code, year,
           sum(value) FILTER (WHERE measure = 'visits') AS visits,
           sum(value) FILTER (WHERE measure = 'revenue') AS revenue,
           count(*) FILTER (WHERE measure = 'visits') AS visit_quarters,
           count(*) FILTER (WHERE measure = 'revenue') AS revenue_quarters,
           CASE WHEN bool_or(quality = 'demo') THEN 'demo' ELSE min(quality) END AS quality,
           string_agg(DISTINCT source, '; ') AS source
    FROM quarters GROUP BY area_code, year
)
SELECT y.area_code, CAST(a."order" AS INTEGER) AS area_order, a.name_zh, a.name_en, y.year,
       y.visits, y.revenue,
       CASE WHEN y.visits > 0 THEN y.revenue * 1e8 / (y.visits * 1e4) END AS yuan_per_visit, y.quality, y.source
FROM years y JOIN read_csv($areas, header = true, all_varchar = true) a ON a.code = y.area_code
WHERE y.visit_quarters = 4 AND y.revenue_quarters = 4
ORDER BY area_order, y.year
