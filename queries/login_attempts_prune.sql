-- Attempts older than the lock window count for nothing any more.
DELETE FROM login_attempts WHERE attempted_at < $before
