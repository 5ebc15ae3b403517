-- Whether the database has the upload history tables (a database built before uploads existed has not).
SELECT count(*) AS n FROM information_schema.tables WHERE table_name = 'uploads'
