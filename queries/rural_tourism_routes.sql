-- The boutique routes shown on the map, in id order.
SELECT id, name_zh, name_en, point_ids, year_completed, source, quality
FROM rural_tourism_routes
ORDER BY id
