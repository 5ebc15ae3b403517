-- A later plan's goals in the shape of indicator_catalog: the indicator's definition with the plan's target.
SELECT i.code, i.name_zh, i.name_en, i.unit, t.goal_group, i.category, t.target_type, t.direction,
       t.target_value, t.base_year, t.target_year, i.aggregation, t.clause AS plan_clause, i.lead_units,
       i.definition_zh, i.definition_en, t.reading_zh, t.reading_en,
       u.symbol_zh, u.symbol_en, u.decimals, u.min_value, u.max_value,
       u.style, u.base_multiplier, u.base_en,
       g.name_zh AS group_zh, g.name_en AS group_en, g."order" AS group_order,
       c.name_zh AS category_zh, c.name_en AS category_en
FROM plan_targets t
JOIN indicators i ON i.code = t.indicator_code
JOIN units u ON u.code = i.unit
JOIN goal_groups g ON g.code = t.goal_group
JOIN categories c ON c.code = i.category
WHERE t.plan_code = $plan
ORDER BY g."order", i.code
