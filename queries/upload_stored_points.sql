-- The stored observations of the series an upload's values belong to, each as its point key (series,
-- kind of period, year, quarter or month: twomountains/ingest/diff.py, point_keys) with what the diff
-- compares. upload_series is the registered frame of the file's series (indicator_code, region_code, series).
SELECT s.series * 10000000
       + CASE o.period_kind WHEN 'Y' THEN 0 WHEN 'Q' THEN 1 ELSE 2 END * 1000000
       + o.year * 100
       + CASE o.period_kind WHEN 'Q' THEN o.quarter WHEN 'M' THEN o.month ELSE 0 END AS point,
       o.value, NULLIF(o.source, '') AS source, o.quality, NULLIF(o.note, '') AS note
FROM observations o
JOIN upload_series s ON s.indicator_code = o.indicator_code AND s.region_code = o.region_code
