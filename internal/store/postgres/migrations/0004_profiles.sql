-- What identity providers say about a user beyond the directory's own
-- fields: directory.Profile as JSON, '{}' for the zero profile, which the
-- rows from before this migration get. No filter reads inside it, so it
-- has no index. The same schema as SQLite's 0004, differing only where the
-- dialects do.

ALTER TABLE users ADD COLUMN profile TEXT COLLATE "C" NOT NULL DEFAULT '{}'; -- directory.Profile as JSON
