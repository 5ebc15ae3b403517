-- A number that changes whenever observations change; caches are keyed on it.
SELECT coalesce(max(CAST(value AS BIGINT)), 0) AS version FROM meta WHERE key = 'data_version'
