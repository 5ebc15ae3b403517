-- Whether this database's observation_revisions still has the PRIMARY KEY of older versions (1 or 0).
SELECT count(*) FROM duckdb_constraints()
WHERE database_name = current_database() AND table_name = 'observation_revisions'
  AND constraint_type = 'PRIMARY KEY'
