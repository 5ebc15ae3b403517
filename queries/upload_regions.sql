-- Every region an upload may name, old townships included, with the unit that succeeded each old one.
SELECT code, name_zh, name_en, level, valid_from, valid_to, successor_code
FROM regions
ORDER BY code
