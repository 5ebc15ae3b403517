-- Insert or replace reports from the registered frame report_rows, all written by upload $upload_id.
INSERT OR REPLACE INTO task_reports
SELECT task_code, unit_code, month, status, percent_complete, done_zh, done_en, problems_zh, problems_en,
       next_step_zh, next_step_en, CAST(submitted_on AS DATE), quality, $upload_id
FROM report_rows
