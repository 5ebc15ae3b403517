-- The sections of the plan's part 二, in order.
SELECT code, "order", number, title_zh, title_en FROM task_sections ORDER BY "order"
