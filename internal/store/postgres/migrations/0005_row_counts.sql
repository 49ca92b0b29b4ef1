-- The exact number of users, so that the total of an unfiltered user list
-- is a sum over a few rows instead of a count(*) over every page of
-- users_pkey (160 ms at a million users).
--
-- Writers only ever append: statement-level triggers with transition tables
-- insert one row holding a statement's change (+n or -n, an import's COPY
-- included), whoever writes. A counter row that every create updated would
-- make concurrent creates conflict under SERIALIZABLE, and so would any
-- read of this table inside a writing transaction (the predicate lock of a
-- scan covers every other writer's row); an insert reads nothing. The total
-- is the sum of a name's rows, and the store folds them back into one row
-- (at READ COMMITTED, outside any writer's transaction) when they pile up.
-- SQLite's 0005 keeps one row per name, as its writers take turns.
--
-- The table is locked while it is counted, so that no instance still on
-- the previous version inserts a user between the count and the triggers.

LOCK TABLE users IN SHARE MODE;

CREATE TABLE row_counts (
	name TEXT COLLATE "C" NOT NULL, -- the table counted
	n BIGINT NOT NULL
);
CREATE INDEX row_counts_name_idx ON row_counts (name);
INSERT INTO row_counts (name, n) SELECT 'users', count(*) FROM users;

CREATE FUNCTION users_count_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	INSERT INTO row_counts (name, n) SELECT 'users', count(*) FROM inserted;
	RETURN NULL;
END
$$;
CREATE FUNCTION users_count_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	INSERT INTO row_counts (name, n) SELECT 'users', -count(*) FROM deleted;
	RETURN NULL;
END
$$;
CREATE TRIGGER users_count_insert AFTER INSERT ON users
	REFERENCING NEW TABLE AS inserted FOR EACH STATEMENT EXECUTE FUNCTION users_count_insert();
CREATE TRIGGER users_count_delete AFTER DELETE ON users
	REFERENCING OLD TABLE AS deleted FOR EACH STATEMENT EXECUTE FUNCTION users_count_delete();
