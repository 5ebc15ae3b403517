-- The complete new list of points (a registered frame), written after upload_points_clear in the same transaction.
INSERT INTO rural_tourism_points (id, name_zh, name_en, township_code, lat, lon, coord_quality, type,
                                  year_designated, route, source, quality)
SELECT id, name_zh, name_en, township_code, lat, lon, coord_quality, type, year_designated, route, source, quality
FROM upload_points_incoming
