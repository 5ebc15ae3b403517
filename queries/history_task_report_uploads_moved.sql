-- The old report history (task_report_uploads, before all kinds of upload shared `uploads`) as the shared one
-- holds it once moved: the one definition of the new ids and of the moved rows, which the migration
-- (history_task_report_uploads_migrate.sql) writes and a read-only reader (…_read_through.sql) reads.
-- Temporary views of the cursor's own; {db} is the database's catalog (quoted by
-- twomountains.ingest.history_migration), so `uploads` here is always the stored table.
--
-- Each entry gets a new id after the ones in `uploads`, in the same order; kind task_reports with the old kind
-- (file or form) as its layout, or kind rollback with of_kind task_reports as a rollback of one records it;
-- revisions and rollback links follow the new ids.
CREATE TEMP VIEW task_upload_ids AS
SELECT id AS old_id, (SELECT coalesce(max(id), 0) FROM {db}.main.uploads) + row_number() OVER (ORDER BY id) AS new_id
FROM {db}.main.task_report_uploads;

CREATE TEMP VIEW task_uploads_moved AS
SELECT m.new_id AS id,
       CASE WHEN t.kind = 'rollback' THEN 'rollback' ELSE 'task_reports' END AS kind,
       t.user_name, t.created_at, t.file_name, t.sha256, t.encoding,
       CASE WHEN t.kind = 'rollback' THEN undone.kind ELSE t.kind END AS layout,
       CASE WHEN t.kind = 'rollback' THEN '{"of_kind": "task_reports"}' ELSE '{}' END AS options,
       t.rows, t.inserted, t.updated, t.unchanged, t.warnings, r.new_id AS rolls_back, b.new_id AS rolled_back_by
FROM {db}.main.task_report_uploads t
JOIN task_upload_ids m ON m.old_id = t.id
LEFT JOIN {db}.main.task_report_uploads undone ON undone.id = t.rolls_back
LEFT JOIN task_upload_ids r ON r.old_id = t.rolls_back
LEFT JOIN task_upload_ids b ON b.old_id = t.rolled_back_by;

CREATE TEMP VIEW task_revisions_moved AS
SELECT m.new_id AS upload_id, v.task_code, v.unit_code, v.month, v.action, v.old_record, v.new_record
FROM {db}.main.task_report_revisions v JOIN task_upload_ids m ON m.old_id = v.upload_id;

CREATE TEMP VIEW task_reports_moved AS
SELECT r.* REPLACE (coalesce(m.new_id, r.upload_id) AS upload_id)
FROM {db}.main.task_reports r LEFT JOIN task_upload_ids m ON m.old_id = r.upload_id
