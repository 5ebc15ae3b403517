-- Which unit leads or shares which task, in the order the plan lists them.
SELECT task_code, unit_code, role, position FROM task_units ORDER BY task_code, role, position
