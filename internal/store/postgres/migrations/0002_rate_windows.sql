-- Requests per API account in fixed windows ('s': one second, 'h': one UTC
-- hour; window_start in Unix seconds), added up by every instance on this
-- database (internal/auth's shared limiter). No foreign key: counting must
-- neither wait on nor fail with the account's row. Old windows are deleted
-- by the limiter.

CREATE TABLE rate_windows (
	account_id BIGINT NOT NULL,
	window_kind TEXT COLLATE "C" NOT NULL CHECK (window_kind IN ('s', 'h')),
	window_start BIGINT NOT NULL,
	count BIGINT NOT NULL,
	PRIMARY KEY (account_id, window_kind, window_start)
);
CREATE INDEX rate_windows_expiry_idx ON rate_windows (window_kind, window_start);
