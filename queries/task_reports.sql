-- Every monthly report as it stands now (the latest revision of each task, unit and month).
SELECT task_code, unit_code, month, status, percent_complete, done_zh, done_en, problems_zh, problems_en,
       next_step_zh, next_step_en, submitted_on, quality, upload_id
FROM task_reports
ORDER BY task_code, unit_code, month
