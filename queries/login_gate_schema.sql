-- One row that every counting transaction on the lake's catalog updates first, so two of them conflict.
CREATE TABLE IF NOT EXISTS login_gate (n BIGINT NOT NULL)
