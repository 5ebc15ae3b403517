INSERT INTO login_attempts (seq, attempted_at, user_name, client, event, why) VALUES ($seq, $at, $user_name, $client, $event, $why)
