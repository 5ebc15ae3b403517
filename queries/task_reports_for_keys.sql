-- The current reports for the keys in the registered frame report_keys (task_code, unit_code, month).
SELECT r.task_code, r.unit_code, r.month, r.status, r.percent_complete, r.done_zh, r.done_en,
       r.problems_zh, r.problems_en, r.next_step_zh, r.next_step_en, r.submitted_on, r.quality, r.upload_id
FROM task_reports r
JOIN report_keys k ON k.task_code = r.task_code AND k.unit_code = r.unit_code AND k.month = r.month
