-- One catalog row as stored, to check that nothing changed it since the upload being rolled back.
SELECT code, name_zh, name_en, unit, goal_group, category, target_type, direction, target_value,
       base_year, target_year, aggregation, plan_clause, lead_units,
       definition_zh, definition_en, reading_zh, reading_en, year_on_year
FROM indicators WHERE code = $code
