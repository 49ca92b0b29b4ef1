// Package auditlog carries the audit log out of the database: one JSON
// line per event (the shape `gatehouse audit --json`, the administrator
// API and forwarding share), a Tail that follows the log as it grows, and
// a Forwarder that writes each committed event to stdout or syslog for a
// SIEM.
//
// Forwarding follows the events table rather than hooking the Service's
// write path. An event is in the table only once its transaction
// committed, so a rolled-back write is never forwarded; and the table also
// holds what a hook in this process would miss: the changes of other
// instances and of the command line (gatehouse user, api-account, ...).
// The price is that every instance forwarding sees every event: enable
// forwarding on one instance only, or deduplicate downstream by "id".
// A forwarder starts at the newest event when it starts; what was written
// while none ran is read back with `gatehouse audit --since`.
package auditlog

import (
	"encoding/json"
	"time"

	"github.com/gatehouse/gatehouse/internal/directory"
)

// Record is an event as every reader outside the database sees it. The
// field names are an interface to SIEMs and scripts: they do not change.
type Record struct {
	ID         int64           `json:"id"`
	At         string          `json:"at"` // RFC 3339, UTC
	Actor      string          `json:"actor"`
	Action     string          `json:"action"`
	TargetType string          `json:"target_type"`
	TargetID   int64           `json:"target_id"`
	Before     json.RawMessage `json:"before"` // null when the action created the target
	After      json.RawMessage `json:"after"`  // null when it deleted it
}

// RecordOf returns e as a Record. Before and After are the redacted audit
// records the directory stored (directory/audit.go), which hold no secret.
func RecordOf(e directory.Event) Record {
	return Record{ID: e.ID, At: FormatTime(e.At), Actor: e.Actor, Action: e.Action,
		TargetType: e.TargetType, TargetID: e.TargetID, Before: e.Before, After: e.After}
}

// FormatTime writes an event's time as its Record does: RFC 3339 in UTC,
// with the microseconds the store keeps.
func FormatTime(t time.Time) string { return t.UTC().Format(time.RFC3339Nano) }

// Line returns e as one line of JSON, newline included.
func Line(e directory.Event) ([]byte, error) {
	b, err := json.Marshal(RecordOf(e))
	return append(b, '\n'), err
}
