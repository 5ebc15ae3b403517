-- The catalog in the column order of data/catalog/indicators.csv.
SELECT code, name_zh, name_en, unit, goal_group, category, target_type, direction, target_value,
       base_year, target_year, aggregation, plan_clause, lead_units,
       definition_zh, definition_en, reading_zh, reading_en, year_on_year
FROM indicators ORDER BY code
