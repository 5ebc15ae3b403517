-- Quarterly tourism revenue and visits of one region as stored (single quarters, or year-to-date
-- totals where the note says 'ytd'); the tourism package turns them into single quarters.
SELECT indicator_code, year, quarter, value, quality, source, note
FROM observations
WHERE region_code = $region AND period_kind = 'Q' AND indicator_code IN ($revenue, $visits)
ORDER BY indicator_code, year, quarter
