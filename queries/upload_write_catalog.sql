-- Add or correct catalog rows (upload_catalog_incoming is the registered frame of them).
INSERT OR REPLACE INTO indicators
    (code, name_zh, name_en, unit, goal_group, category, target_type, direction, target_value,
     base_year, target_year, aggregation, plan_clause, lead_units, definition_zh, definition_en,
     reading_zh, reading_en, year_on_year)
SELECT code, name_zh, name_en, unit, goal_group, category, target_type, direction, target_value,
       base_year, target_year, aggregation, plan_clause, lead_units, definition_zh, definition_en,
       reading_zh, reading_en, coalesce(year_on_year, false)
FROM upload_catalog_incoming
