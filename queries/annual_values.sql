-- Annual values of every indicator for one region: the year's own observation where there is one,
-- otherwise the four quarters combined as the catalog's aggregation says (sum for flows, last for levels).
-- The note carries what the source says about the figure's certainty (a year not stated, a repost, ...).
WITH yearly AS (
    SELECT indicator_code, year, value, quality, source, note
    FROM observations
    WHERE region_code = $region AND period_kind = 'Y'
),
from_quarters AS (
    SELECT o.indicator_code, o.year,
           CASE WHEN any_value(i.aggregation) = 'sum' THEN sum(o.value) ELSE arg_max(o.value, o.quarter) END AS value,
           CASE WHEN bool_or(o.quality = 'demo') THEN 'demo' ELSE min(o.quality) END AS quality,
           string_agg(DISTINCT o.source, '; ') AS source,
           string_agg(DISTINCT o.note, '; ') AS note
    FROM observations o JOIN indicators i ON i.code = o.indicator_code
    WHERE o.region_code = $region AND o.period_kind = 'Q'
    GROUP BY o.indicator_code, o.year
    HAVING count(DISTINCT o.quarter) = 4
)
SELECT indicator_code, year, value, quality, source, note FROM yearly
UNION ALL
SELECT q.indicator_code, q.year, q.value, q.quality, q.source, q.note
FROM from_quarters q
WHERE NOT EXISTS (SELECT 1 FROM yearly y WHERE y.indicator_code = q.indicator_code AND y.year = q.year)
ORDER BY indicator_code, year
