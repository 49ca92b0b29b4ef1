-- Token signing keys, when the database keeps them (no key file given):
-- several, so that a rotation keeps the previous key verifying. key_id is
-- the 24-bit id tokens carry; times are Unix microseconds. The old
-- single key goes: tokens without a key id no longer verify, so it would
-- only be one more key in every backup.
CREATE TABLE signing_keys (
	key_id INTEGER PRIMARY KEY,
	signing_key BLOB NOT NULL,
	created_at BIGINT NOT NULL,
	signs_from BIGINT NOT NULL
);
DROP TABLE server_key;
