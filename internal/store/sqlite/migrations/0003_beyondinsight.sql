-- The BeyondInsight face: directory and application users, group
-- permissions, Active Directory and LDAP providers, API registrations,
-- secrets (as far as their owners) and sign-in sessions. Conventions as in
-- 0001: BIGINT microseconds, NOT NULL filterable columns with '' for an
-- absent string, JSON as TEXT.

-- domain_name and distinguished_name locate a directory user; client_id is
-- an application user's GUID, secret_hash the SHA-256 of its client secret
-- (no bytes when none), and access_policy_id 0 when none.
ALTER TABLE users ADD COLUMN domain_name TEXT NOT NULL DEFAULT '';
ALTER TABLE users ADD COLUMN distinguished_name TEXT NOT NULL DEFAULT '';
ALTER TABLE users ADD COLUMN client_id TEXT NOT NULL DEFAULT '';
ALTER TABLE users ADD COLUMN secret_hash BLOB NOT NULL DEFAULT x'';
ALTER TABLE users ADD COLUMN secret_generation BIGINT NOT NULL DEFAULT 0;
ALTER TABLE users ADD COLUMN access_policy_id BIGINT NOT NULL DEFAULT 0;
CREATE UNIQUE INDEX users_client_id_key ON users (client_id) WHERE client_id <> '';
-- The partial index cannot serve client_id = ? (a bound value does not
-- imply <> ''), so filters have a plain one.
CREATE INDEX users_client_id_idx ON users (client_id);
CREATE INDEX users_domain_name_idx ON users (lower(domain_name));

ALTER TABLE groups ADD COLUMN active BOOLEAN NOT NULL DEFAULT TRUE;
ALTER TABLE groups ADD COLUMN permissions TEXT NOT NULL DEFAULT '[]'; -- []directory.GroupPermission as JSON
ALTER TABLE groups ADD COLUMN registration_ids TEXT NOT NULL DEFAULT '[]'; -- JSON array of api_registrations ids

-- directory is the directory.DirectorySettings of an ldap provider that
-- stands for an Active Directory domain or LDAP server, as JSON without
-- the bind password, which has a column of its own ('' when none).
ALTER TABLE security_providers ADD COLUMN directory TEXT;
ALTER TABLE security_providers ADD COLUMN bind_password TEXT NOT NULL DEFAULT '';

CREATE TABLE api_registrations (
	id INTEGER PRIMARY KEY AUTOINCREMENT,
	name TEXT NOT NULL,
	key_hash BLOB NOT NULL,
	ip_allow TEXT NOT NULL, -- JSON array of addresses and prefixes
	user_password_required BOOLEAN NOT NULL,
	created_at BIGINT NOT NULL,
	updated_at BIGINT NOT NULL,
	version BIGINT NOT NULL
);
CREATE UNIQUE INDEX api_registrations_name_key ON api_registrations (lower(name));
CREATE UNIQUE INDEX api_registrations_key_hash_key ON api_registrations (key_hash);

CREATE TABLE secrets (
	id INTEGER PRIMARY KEY AUTOINCREMENT,
	title TEXT NOT NULL,
	created_at BIGINT NOT NULL
);

-- Deleting a user takes it off the secrets it owns.
CREATE TABLE secret_owners (
	secret_id INTEGER NOT NULL REFERENCES secrets (id) ON DELETE CASCADE,
	user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	PRIMARY KEY (secret_id, user_id)
);
CREATE INDEX secret_owners_user_idx ON secret_owners (user_id);

-- Sign-in sessions, by the SHA-256 of their cookie. No foreign keys: the
-- auth layer reads the user or account again on every request, and a
-- session is written outside any transaction. Idle ones are deleted by
-- last_seen.
CREATE TABLE sessions (
	id_hash BLOB NOT NULL PRIMARY KEY,
	user_id BIGINT NOT NULL,
	account_id BIGINT NOT NULL,
	registration_id BIGINT NOT NULL,
	generation BIGINT NOT NULL,
	created_at BIGINT NOT NULL,
	last_seen BIGINT NOT NULL
) WITHOUT ROWID;
CREATE INDEX sessions_last_seen_idx ON sessions (last_seen);
