-- Taken first by every counting transaction: of two at once PostgreSQL lets one commit, the other retries.
UPDATE login_gate SET n = n + 1
