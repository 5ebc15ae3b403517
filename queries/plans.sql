-- Every plan the base works under, in order (the default plan first in data as shipped).
SELECT * FROM plans ORDER BY "order", code
