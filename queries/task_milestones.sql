-- The measurable milestones the plan sets for its tasks, each tracked by a catalog indicator.
SELECT code, task_code, indicator_code, plan_text, name_zh, name_en FROM task_milestones ORDER BY task_code, code
