-- A read-only reader of a database whose report uploads still have their own history (task_report_uploads)
-- reads it as if it had been migrated, writing nothing: temporary views, one cursor's own, under the names of
-- the shared history's tables, over the moved rows of history_task_report_uploads_moved.sql (run first, so the
-- ids are those the migration gives). {db} is the database's catalog.
CREATE TEMP VIEW uploads AS
SELECT * FROM {db}.main.uploads
UNION ALL BY NAME
SELECT * FROM task_uploads_moved;

CREATE TEMP VIEW task_report_revisions AS
SELECT * FROM task_revisions_moved;

CREATE TEMP VIEW task_reports AS
SELECT * FROM task_reports_moved
