-- What identity providers say about a user beyond the directory's own
-- fields: directory.Profile as JSON, '{}' for the zero profile, which the
-- rows from before this migration get. No filter reads inside it, so it
-- has no index. Conventions as in 0001.

ALTER TABLE users ADD COLUMN profile TEXT NOT NULL DEFAULT '{}'; -- directory.Profile as JSON
