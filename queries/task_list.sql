-- Every key task of the plan's part 二, in the plan's order.
SELECT t.code, t.section, t.number, t.clause, t.title_zh, t.title_en, t.description_zh, t.description_en,
       t.lead_units, t.responsible_units
FROM tasks t JOIN task_sections s ON s.code = t.section
ORDER BY s."order", t.number
