-- Migration of a database whose report uploads were in their own history table task_report_uploads (before
-- all kinds of upload shared `uploads`): each entry moves into `uploads` under a new id after the ones
-- there (in the same order), kind task_reports with the old kind (file or form) as its layout, or kind
-- rollback with of_kind task_reports as a rollback of one records it; revisions, the reports' upload_id and
-- the rollback links follow the new ids. Run by twomountains.ingest.history_migration in one transaction.
CREATE TEMP TABLE task_upload_ids AS
SELECT id AS old_id, (SELECT coalesce(max(id), 0) FROM uploads) + row_number() OVER (ORDER BY id) AS new_id
FROM task_report_uploads;

INSERT INTO uploads (id, kind, user_name, created_at, file_name, sha256, encoding, layout, options,
                     rows, inserted, updated, unchanged, warnings, rolls_back, rolled_back_by)
SELECT m.new_id,
       CASE WHEN t.kind = 'rollback' THEN 'rollback' ELSE 'task_reports' END,
       t.user_name, t.created_at, t.file_name, t.sha256, t.encoding,
       CASE WHEN t.kind = 'rollback' THEN undone.kind ELSE t.kind END,
       CASE WHEN t.kind = 'rollback' THEN '{"of_kind": "task_reports"}' ELSE '{}' END,
       t.rows, t.inserted, t.updated, t.unchanged, t.warnings, r.new_id, b.new_id
FROM task_report_uploads t
JOIN task_upload_ids m ON m.old_id = t.id
LEFT JOIN task_report_uploads undone ON undone.id = t.rolls_back
LEFT JOIN task_upload_ids r ON r.old_id = t.rolls_back
LEFT JOIN task_upload_ids b ON b.old_id = t.rolled_back_by
ORDER BY t.id;

CREATE TEMP TABLE task_revisions_renumbered AS
SELECT m.new_id AS upload_id, v.task_code, v.unit_code, v.month, v.action, v.old_record, v.new_record
FROM task_report_revisions v JOIN task_upload_ids m ON m.old_id = v.upload_id;

DELETE FROM task_report_revisions;

INSERT INTO task_report_revisions BY NAME SELECT * FROM task_revisions_renumbered;

UPDATE task_reports SET upload_id = m.new_id
FROM task_upload_ids m WHERE task_reports.upload_id = m.old_id;

DROP TABLE task_report_uploads;

DROP TABLE task_revisions_renumbered;

DROP TABLE task_upload_ids
