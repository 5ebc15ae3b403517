-- The login attempts every replica counts (twomountains.login_attempts); not part of the dashboard's data.
CREATE TABLE IF NOT EXISTS login_attempts (seq BIGINT NOT NULL, attempted_at TIMESTAMPTZ NOT NULL, user_name VARCHAR NOT NULL, client VARCHAR NOT NULL, event VARCHAR NOT NULL, why VARCHAR)
