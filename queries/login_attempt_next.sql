SELECT coalesce(max(seq), 0) + 1 FROM login_attempts
