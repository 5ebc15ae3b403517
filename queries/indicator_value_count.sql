-- How many values an indicator has (a catalog rollback must not orphan them).
SELECT count(*) AS n FROM observations WHERE indicator_code = $code
