-- Remove the reports whose keys are in the registered frame report_keys (a rollback of their insert).
DELETE FROM task_reports
WHERE (task_code, unit_code, month) IN (SELECT task_code, unit_code, month FROM report_keys)
