-- When an API account was last given a token, in Unix microseconds: its last
-- use as far as the server can tell without a write per request (tokens are
-- verified without the database). The token grant writes the row anyway, to
-- advance its serial, so recording the time costs nothing more.
ALTER TABLE api_accounts ADD COLUMN last_token_at BIGINT;
