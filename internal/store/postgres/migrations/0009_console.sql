-- The web console (internal/console): administrators' sign-in sessions
-- and their TOTP second factors.
--
-- Console sessions, by the SHA-256 of their cookie, apart from the
-- BeyondInsight sessions so that neither face's cookie opens the other.
-- No foreign key, as for sessions: the console reads the user again on
-- every request. second_factor is 0 while the session waits for a TOTP
-- code. Times are Unix microseconds; ended sessions are deleted by
-- last_seen and created_at.
CREATE TABLE console_sessions (
	id_hash BYTEA NOT NULL PRIMARY KEY,
	user_id BIGINT NOT NULL,
	generation BIGINT NOT NULL,
	second_factor BOOLEAN NOT NULL,
	created_at BIGINT NOT NULL,
	last_seen BIGINT NOT NULL
);
CREATE INDEX console_sessions_last_seen_idx ON console_sessions (last_seen);
CREATE INDEX console_sessions_created_at_idx ON console_sessions (created_at);

-- A user's TOTP secret (RFC 6238, base32). confirmed is set by the first
-- code accepted, which ends enrolment; last_step is the time step of the
-- latest code accepted, so that a code is accepted once. The secret is
-- never exported, logged or audited; it goes with its user.
CREATE TABLE user_totp (
	user_id BIGINT NOT NULL PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
	secret TEXT COLLATE "C" NOT NULL,
	confirmed BOOLEAN NOT NULL,
	last_step BIGINT NOT NULL
);
