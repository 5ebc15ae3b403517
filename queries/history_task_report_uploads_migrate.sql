-- Migration of a database whose report uploads were in their own history table task_report_uploads (before
-- all kinds of upload shared `uploads`): writes the moved rows of history_task_report_uploads_moved.sql (run
-- first; its new ids are taken once, before `uploads` grows) and drops the old table. Run by
-- twomountains.ingest.history_migration in one transaction.
CREATE TEMP TABLE moved_upload_ids AS SELECT * FROM task_upload_ids;

CREATE TEMP TABLE moved_uploads AS SELECT * FROM task_uploads_moved;

CREATE TEMP TABLE moved_revisions AS SELECT * FROM task_revisions_moved;

INSERT INTO uploads BY NAME SELECT * FROM moved_uploads ORDER BY id;

DELETE FROM task_report_revisions;

INSERT INTO task_report_revisions BY NAME SELECT * FROM moved_revisions;

UPDATE task_reports SET upload_id = m.new_id
FROM moved_upload_ids m WHERE task_reports.upload_id = m.old_id;

DROP VIEW task_reports_moved;

DROP VIEW task_revisions_moved;

DROP VIEW task_uploads_moved;

DROP VIEW task_upload_ids;

DROP TABLE task_report_uploads;

DROP TABLE moved_revisions;

DROP TABLE moved_uploads;

DROP TABLE moved_upload_ids
