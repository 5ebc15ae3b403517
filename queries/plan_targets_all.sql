-- Every later plan's targets (the base plan's are the columns of indicators), for an indicator's targets in time.
SELECT * FROM plan_targets ORDER BY indicator_code, target_year, plan_code
