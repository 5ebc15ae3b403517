-- Every write bumps the data version in its own transaction, so every page's cache turns over at once.
UPDATE meta SET value = CAST(CAST(value AS BIGINT) + 1 AS VARCHAR) WHERE key = 'data_version'
