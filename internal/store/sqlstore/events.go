package sqlstore

import (
	"context"

	"github.com/gatehouse/gatehouse/internal/directory"
)

// eventFields are the columns an append sets, in eventValues order. The
// actor's kind and id are derived from its text (directory.ParseActor), so
// that every writer, the import of an old export among them, indexes them
// alike.
var eventFields = []string{"at", "actor", "action", "target_type", "target_id", "before_state", "after_state", "actor_kind", "actor_id"}

// eventCols are the columns an Event is read from: the derived ones are
// for filtering only.
var eventCols = "e.id, " + qualify("e", eventFields[:7])

var eventsList = &listSpec{cols: eventCols, from: "events e", id: "e.id", table: "events e", attrs: attrColumns{
	directory.EventID:         "e.id",
	directory.EventTargetType: "e.target_type",
	directory.EventTargetID:   "e.target_id",
	directory.EventAction:     "e.action",
	directory.EventAt:         "e.at",
	directory.EventActorKind:  "e.actor_kind",
	directory.EventActorID:    "e.actor_id",
}}

var stInsertEvent = newStmt(insertSQL("events", eventFields) + " RETURNING id")

func eventValues(e *directory.Event) []any {
	kind, id := directory.ParseActor(e.Actor)
	return []any{micros(e.At), e.Actor, e.Action, e.TargetType, e.TargetID, nullText(e.Before), nullText(e.After), string(kind), id}
}

func scanEvent(sc scanner) (directory.Event, error) {
	var (
		e             directory.Event
		at            int64
		before, after []byte
	)
	err := sc.Scan(&e.ID, &at, &e.Actor, &e.Action, &e.TargetType, &e.TargetID, &before, &after)
	e.At, e.Before, e.After = fromMicros(at), before, after
	return e, err
}

func (r reader) Events(ctx context.Context, q directory.Query) (directory.Page[directory.Event], error) {
	return list(ctx, r, eventsList, 0, q, scanEvent)
}

// AppendEvent stamps an event without a time with the transaction's.
func (t *tx) AppendEvent(ctx context.Context, e *directory.Event) error {
	if e.At.IsZero() {
		e.At = t.now
	}
	return t.q.QueryRow(ctx, t.sql(stInsertEvent), eventValues(e)...).Scan(&e.ID)
}
