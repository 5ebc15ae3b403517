-- The stored observations of the indicators an upload touches: what it would change, and the series
-- its values are compared with.
SELECT indicator_code, region_code, period, period_kind, year, quarter, month, value, source, quality, note
FROM observations
WHERE list_contains($indicators, indicator_code)
