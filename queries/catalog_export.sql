-- The catalog in the column order of data/catalog/indicators.csv: the base plan's goals (an indicator only a
-- later plan tracks has no target here; its definition and targets are a plan workbook's, issue 14).
SELECT code, name_zh, name_en, unit, goal_group, category, target_type, direction, target_value,
       base_year, target_year, aggregation, plan_clause, lead_units,
       definition_zh, definition_en, reading_zh, reading_en, year_on_year
FROM indicators WHERE target_type IS NOT NULL ORDER BY code
