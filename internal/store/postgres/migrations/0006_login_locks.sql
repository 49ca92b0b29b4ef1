-- API accounts locked out for one source address (internal/auth): after
-- too many failed token requests for an account from one source, requests
-- from that source are refused until locked_until (Unix microseconds),
-- while other sources are not. Failures are counted in each instance's
-- memory; a row is written only when a lock-out begins, and every instance
-- reads the current ones. Rotating the account's secret, enabling it, or
-- `gatehouse api-account unlock` deletes its rows. No foreign key, as for
-- rate_windows: locking must neither wait on nor fail with the account's
-- row.

CREATE TABLE login_locks (
	account_id BIGINT NOT NULL,
	source TEXT COLLATE "C" NOT NULL,
	locked_until BIGINT NOT NULL,
	PRIMARY KEY (account_id, source)
);
CREATE INDEX login_locks_until_idx ON login_locks (locked_until);
