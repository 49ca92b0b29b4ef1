-- The audit log read by filters (gatehouse audit, /api/admin/v1/events):
-- newest first by id, narrowed by time, actor, target and action, on logs
-- of millions of events. The same schema as SQLite's 0008.
--
-- The actor's kind and id get columns of their own, derived from the
-- actor text ("api_account:3 (ci)", "user:7 (alice)", "cli", "system") as
-- directory.ParseActor does, so that "every change by API account 3" is an
-- index lookup, not a text search; the text stays as the display form.
-- Existing rows are backfilled here: the kind is the text before the first
-- colon (all of it without one), the id the digits after it. The UPDATE
-- rewrites every event once, so on a large log this migration takes a
-- while.
--
-- The indexes end with the id, so a filter's matches come out in id order
-- and a page of them is read from one end of the range: one on the actor's
-- kind alone serves "every API account", whose matches the kind-and-id
-- index would hold in id order per account only. A time window is walked
-- by id too (directory's auditIDRange finds its ids over events_at_idx).

ALTER TABLE events ADD COLUMN actor_kind TEXT COLLATE "C" NOT NULL DEFAULT '',
	ADD COLUMN actor_id BIGINT NOT NULL DEFAULT 0;
UPDATE events SET
	actor_kind = split_part(actor, ':', 1),
	actor_id = COALESCE(CAST(substring(actor FROM '^[^:]*:([0-9]+)') AS BIGINT), 0);

CREATE INDEX events_actor_idx ON events (actor_kind, actor_id, id);
CREATE INDEX events_actor_kind_idx ON events (actor_kind, id);
CREATE INDEX events_action_idx ON events (action, id);
CREATE INDEX events_at_idx ON events (at);
