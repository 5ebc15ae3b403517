-- Whether the database has the rural-tourism tables (a database built before they existed has not).
SELECT count(*) AS n FROM information_schema.tables WHERE table_name IN ('rural_tourism_points', 'rural_tourism_routes')
