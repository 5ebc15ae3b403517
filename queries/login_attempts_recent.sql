-- Attempts within the lock window by this name or from this client, in the order they began.
SELECT seq, attempted_at, user_name, client, event FROM login_attempts
WHERE attempted_at >= $since AND (user_name = $user_name OR client = $client)
ORDER BY seq
