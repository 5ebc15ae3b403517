-- The catalog indicators each task moves.
SELECT task_code, indicator_code FROM task_indicators ORDER BY task_code, indicator_code
