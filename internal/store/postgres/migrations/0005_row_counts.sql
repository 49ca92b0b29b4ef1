-- The exact number of users, so that the total of an unfiltered user list
-- is a sum over a few rows instead of a count(*) over every page of
-- users_pkey (160 ms at a million users).
--
-- One counter row would make every two concurrent user creates conflict
-- under SERIALIZABLE. So the count is split into 64 shards, and a
-- transaction moves the shard of its own backend (pg_backend_pid() % 64):
-- writers on different connections touch different rows, and the total is
-- their sum. Statement-level triggers with transition tables count a whole
-- statement's rows (an import's COPY included) in one update, whoever
-- writes. SQLite's 0005 keeps one row, as its writers take turns.
--
-- The table is locked while it is counted, so that no instance still on
-- the previous version inserts a user between the count and the triggers.

LOCK TABLE users IN SHARE MODE;

CREATE TABLE row_counts (
	name TEXT COLLATE "C" NOT NULL, -- the table counted
	shard INTEGER NOT NULL,
	n BIGINT NOT NULL,
	PRIMARY KEY (name, shard)
);
INSERT INTO row_counts (name, shard, n) SELECT 'users', s, 0 FROM generate_series(0, 63) AS s;
UPDATE row_counts SET n = (SELECT count(*) FROM users) WHERE name = 'users' AND shard = 0;

CREATE FUNCTION users_count_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	UPDATE row_counts SET n = n + (SELECT count(*) FROM inserted)
		WHERE name = 'users' AND shard = pg_backend_pid() % 64;
	RETURN NULL;
END
$$;
CREATE FUNCTION users_count_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	UPDATE row_counts SET n = n - (SELECT count(*) FROM deleted)
		WHERE name = 'users' AND shard = pg_backend_pid() % 64;
	RETURN NULL;
END
$$;
CREATE TRIGGER users_count_insert AFTER INSERT ON users
	REFERENCING NEW TABLE AS inserted FOR EACH STATEMENT EXECUTE FUNCTION users_count_insert();
CREATE TRIGGER users_count_delete AFTER DELETE ON users
	REFERENCING OLD TABLE AS deleted FOR EACH STATEMENT EXECUTE FUNCTION users_count_delete();
