-- A pending attempt's outcome once its password was checked.
UPDATE login_attempts SET event = $event WHERE seq = $seq
