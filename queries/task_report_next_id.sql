-- The id the next report upload, form entry or rollback gets.
SELECT coalesce(max(id), 0) + 1 AS id FROM task_report_uploads
