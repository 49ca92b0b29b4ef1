-- The audit log read by filters (gatehouse audit, /api/admin/v1/events):
-- newest first by id, narrowed by time, actor, target and action, on logs
-- of millions of events.
--
-- The actor's kind and id get columns of their own, derived from the
-- actor text ("api_account:3 (ci)", "user:7 (alice)", "cli", "system") as
-- directory.ParseActor does, so that "every change by API account 3" is an
-- index lookup, not a text search; the text stays as the display form.
-- Existing rows are backfilled here: the kind is the text before the first
-- colon (all of it without one), the id the digits after it (SQLite's CAST
-- reads a leading integer and stops at " (name)").
--
-- Each index ends, implicitly in SQLite, with the rowid (the id), so a
-- filter's matches come out already in id order and a page of them is
-- read from one end of the range: one on the actor's kind alone serves
-- "every API account", whose matches the kind-and-id index would hold in
-- id order per account only. A time window is walked by id too
-- (directory's auditIDRange finds its ids over events_at_idx).

ALTER TABLE events ADD COLUMN actor_kind TEXT NOT NULL DEFAULT '';
ALTER TABLE events ADD COLUMN actor_id BIGINT NOT NULL DEFAULT 0;
UPDATE events SET
	actor_kind = CASE WHEN instr(actor, ':') > 0 THEN substr(actor, 1, instr(actor, ':') - 1) ELSE actor END,
	actor_id = CASE WHEN instr(actor, ':') > 0 THEN CAST(substr(actor, instr(actor, ':') + 1) AS INTEGER) ELSE 0 END;

CREATE INDEX events_actor_idx ON events (actor_kind, actor_id);
CREATE INDEX events_actor_kind_idx ON events (actor_kind);
CREATE INDEX events_action_idx ON events (action);
CREATE INDEX events_at_idx ON events (at);
