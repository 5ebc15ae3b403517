-- A database made before observation_revisions lost its PRIMARY KEY (queries/schema.sql says why): the rows
-- are moved into the table as schema.sql now defines it, in upload order, in the caller's one transaction.
-- observation_revisions is created again (the statement of schema.sql) between the first and the second.
ALTER TABLE observation_revisions RENAME TO observation_revisions_keyed;
INSERT INTO observation_revisions
SELECT * FROM observation_revisions_keyed ORDER BY upload_id, indicator_code, region_code, period;
DROP TABLE observation_revisions_keyed;
