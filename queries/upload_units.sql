-- Units with their bounds, to place a catalog row that an upload adds.
SELECT code AS unit, symbol_zh, symbol_en, decimals, min_value, max_value, style, base_multiplier, base_en
FROM units
