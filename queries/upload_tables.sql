-- The tables of the database (a database built by an older version may lack some history tables).
SELECT table_name FROM information_schema.tables
