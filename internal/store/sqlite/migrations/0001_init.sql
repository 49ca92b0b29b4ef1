-- Times are BIGINT microseconds since the Unix epoch (UTC); NULL means none.
-- Every filterable column is NOT NULL, absent strings being '' (see sqlstore).
-- AUTOINCREMENT keeps SQLite from reusing the id of a deleted newest row,
-- as PostgreSQL's identity columns never do.

CREATE TABLE security_providers (
	id INTEGER PRIMARY KEY AUTOINCREMENT,
	type TEXT NOT NULL,
	name TEXT NOT NULL,
	enabled BOOLEAN NOT NULL,
	user_authentication BOOLEAN NOT NULL,
	group_lookup BOOLEAN NOT NULL,
	priority INTEGER NOT NULL,
	default_policy_id INTEGER NOT NULL
);

INSERT INTO security_providers (id, type, name, enabled, user_authentication, group_lookup, priority, default_policy_id)
VALUES (1, 'local', 'Local', TRUE, TRUE, FALSE, 0, 0);

CREATE TABLE users (
	id INTEGER PRIMARY KEY AUTOINCREMENT,
	username TEXT NOT NULL,
	first_name TEXT NOT NULL,
	last_name TEXT NOT NULL,
	display_name TEXT NOT NULL,
	email TEXT NOT NULL,
	enabled BOOLEAN NOT NULL,
	quarantined BOOLEAN NOT NULL,
	admin BOOLEAN NOT NULL,
	source TEXT NOT NULL,
	security_provider_id INTEGER NOT NULL REFERENCES security_providers (id),
	password_hash TEXT NOT NULL,
	public_key TEXT NOT NULL,
	locale TEXT NOT NULL,
	two_factor_required BOOLEAN NOT NULL,
	failed_logins INTEGER NOT NULL,
	password_expiration BIGINT,
	password_reset_next_login BOOLEAN NOT NULL,
	last_login_at BIGINT,
	last_login_auth_type TEXT NOT NULL,
	last_login_config_name TEXT NOT NULL,
	last_login_saml_idp_url TEXT NOT NULL,
	last_login_sso_url TEXT NOT NULL,
	external_id TEXT NOT NULL,
	access TEXT NOT NULL, -- directory.AccessSettings as JSON
	created_at BIGINT NOT NULL,
	updated_at BIGINT NOT NULL,
	version BIGINT NOT NULL
);
CREATE UNIQUE INDEX users_username_key ON users (lower(username));
CREATE INDEX users_email_idx ON users (lower(email));
CREATE INDEX users_external_id_idx ON users (external_id);

CREATE TABLE groups (
	id INTEGER PRIMARY KEY AUTOINCREMENT,
	name TEXT NOT NULL,
	description TEXT NOT NULL,
	source TEXT NOT NULL,
	security_provider_id INTEGER NOT NULL REFERENCES security_providers (id),
	external_id TEXT NOT NULL,
	access_status TEXT NOT NULL,
	access TEXT NOT NULL, -- directory.AccessSettings as JSON
	created_at BIGINT NOT NULL,
	updated_at BIGINT NOT NULL,
	version BIGINT NOT NULL
);
CREATE UNIQUE INDEX groups_name_key ON groups (lower(name));
CREATE INDEX groups_external_id_idx ON groups (external_id);

-- A member is a user (user_id) or an external group or DN of a provider.
CREATE TABLE members (
	id INTEGER PRIMARY KEY AUTOINCREMENT,
	group_id INTEGER NOT NULL REFERENCES groups (id) ON DELETE CASCADE,
	security_provider_id INTEGER NOT NULL REFERENCES security_providers (id),
	user_id INTEGER REFERENCES users (id) ON DELETE CASCADE,
	distinguished_name TEXT NOT NULL,
	group_name TEXT NOT NULL,
	created_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX members_user_key ON members (group_id, user_id) WHERE user_id IS NOT NULL;
CREATE UNIQUE INDEX members_dn_key ON members (group_id, security_provider_id, lower(distinguished_name))
	WHERE distinguished_name <> '';
CREATE UNIQUE INDEX members_group_name_key ON members (group_id, security_provider_id, lower(group_name))
	WHERE group_name <> '';
CREATE INDEX members_group_idx ON members (group_id, id);
CREATE INDEX members_user_idx ON members (user_id, group_id);

CREATE TABLE teams (
	id INTEGER PRIMARY KEY AUTOINCREMENT,
	name TEXT NOT NULL,
	code_name TEXT NOT NULL,
	comments TEXT,
	created_at BIGINT NOT NULL,
	updated_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX teams_code_name_key ON teams (lower(code_name)) WHERE code_name <> '';

CREATE TABLE team_users (
	team_id INTEGER NOT NULL REFERENCES teams (id) ON DELETE CASCADE,
	user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	role TEXT NOT NULL,
	PRIMARY KEY (team_id, user_id)
);
CREATE INDEX team_users_user_idx ON team_users (user_id);

CREATE TABLE api_accounts (
	id INTEGER PRIMARY KEY AUTOINCREMENT,
	name TEXT NOT NULL,
	comments TEXT NOT NULL,
	enabled BOOLEAN NOT NULL,
	ip_allow TEXT NOT NULL, -- JSON array of addresses and prefixes
	client_id TEXT NOT NULL,
	secret_hash BLOB NOT NULL,
	perm_configuration TEXT NOT NULL,
	perm_user_management TEXT NOT NULL,
	perm_scim BOOLEAN NOT NULL,
	perm_quarantine BOOLEAN NOT NULL,
	failed_logins INTEGER NOT NULL,
	locked_until BIGINT,
	token_generation BIGINT NOT NULL,
	token_serial BIGINT NOT NULL,
	created_at BIGINT NOT NULL,
	updated_at BIGINT NOT NULL,
	version BIGINT NOT NULL
);
CREATE UNIQUE INDEX api_accounts_client_id_key ON api_accounts (client_id);
CREATE UNIQUE INDEX api_accounts_name_key ON api_accounts (lower(name));
CREATE INDEX api_accounts_updated_at_idx ON api_accounts (updated_at);

CREATE TABLE events (
	id INTEGER PRIMARY KEY AUTOINCREMENT,
	at BIGINT NOT NULL,
	actor TEXT NOT NULL,
	action TEXT NOT NULL,
	target_type TEXT NOT NULL,
	target_id BIGINT NOT NULL,
	before_state TEXT, -- redacted JSON
	after_state TEXT
);
CREATE INDEX events_target_idx ON events (target_type, target_id);

CREATE TABLE server_key (
	id INTEGER PRIMARY KEY CHECK (id = 1),
	signing_key BLOB NOT NULL
);
