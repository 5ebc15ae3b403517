-- The catalog with the names of its unit, goal group and category, in goal-group order.
SELECT i.*, u.symbol_zh, u.symbol_en, u.decimals, u.min_value, u.max_value,
       u.style, u.base_multiplier, u.base_en,
       g.name_zh AS group_zh, g.name_en AS group_en, g."order" AS group_order,
       c.name_zh AS category_zh, c.name_en AS category_en
FROM indicators i
JOIN units u ON u.code = i.unit
JOIN goal_groups g ON g.code = i.goal_group
JOIN categories c ON c.code = i.category
ORDER BY g."order", i.code
