-- The rural-tourism demonstration villages and points shown on the map, in id order.
SELECT id, name_zh, name_en, township_code, lat, lon, coord_quality, type, year_designated, route, source, quality
FROM rural_tourism_points
ORDER BY id
