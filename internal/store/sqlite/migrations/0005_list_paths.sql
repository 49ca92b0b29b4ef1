-- What a deep page and a list's total cost at a million users.
--
-- A narrow index on the users' ids. The id is the rowid, so the table's own
-- b-tree is ordered by it, but that b-tree holds the whole wide rows: an
-- OFFSET over the ids (a deep page, see sqlstore's list) stepped through
-- every row's page. This index holds the ids alone, a few bytes each, so
-- SQLite walks it instead, touching about a fiftieth of the pages.
-- PostgreSQL's users_pkey is such an index already.
--
-- The exact number of users, kept by triggers in the transaction of every
-- insert and delete (whoever writes, the server or a command beside it), so
-- that the total of an unfiltered user list is one row read, not a count(*)
-- over every index page. PostgreSQL's 0005 splits the count into shards,
-- as its writers run concurrently and one counter row would make every two
-- user creates conflict.

CREATE INDEX users_id_idx ON users (id);

CREATE TABLE row_counts (
	name TEXT PRIMARY KEY, -- the table counted
	n INTEGER NOT NULL
) WITHOUT ROWID;
INSERT INTO row_counts (name, n) SELECT 'users', count(*) FROM users;
CREATE TRIGGER users_count_insert AFTER INSERT ON users
BEGIN
	UPDATE row_counts SET n = n + 1 WHERE name = 'users';
END;
CREATE TRIGGER users_count_delete AFTER DELETE ON users
BEGIN
	UPDATE row_counts SET n = n - 1 WHERE name = 'users';
END;
