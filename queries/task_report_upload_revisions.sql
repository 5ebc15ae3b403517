-- What one report upload changed, report by report.
SELECT task_code, unit_code, month, action, old_record, new_record
FROM task_report_revisions WHERE upload_id = $id
ORDER BY task_code, unit_code, month
