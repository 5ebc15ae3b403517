-- Later report uploads (not rolled back, not rollbacks) that changed a report of upload $id again.
SELECT DISTINCT later.upload_id
FROM task_report_revisions later
JOIN uploads u ON u.id = later.upload_id
JOIN task_report_revisions mine
  ON mine.task_code = later.task_code AND mine.unit_code = later.unit_code AND mine.month = later.month
 AND mine.upload_id = $id
WHERE later.upload_id > $id AND u.rolled_back_by IS NULL AND u.kind <> 'rollback'
ORDER BY later.upload_id
