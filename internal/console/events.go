package console

import (
	"bytes"
	"encoding/json"
	"strconv"

	"github.com/gatehouse/gatehouse/internal/directory"
)

// eventRow is an audit event as the console's tables show it. Before and
// After are the directory's audit records, which hold no secret.
type eventRow struct {
	directory.Event
	TargetPath    string // the target's console page, where it has one
	Before, After string // indented JSON, or ""
}

func eventRows(events []directory.Event) []eventRow {
	out := make([]eventRow, len(events))
	for i, e := range events {
		out[i] = eventRow{Event: e, Before: indent(e.Before), After: indent(e.After)}
		if p, ok := targetPaths[e.TargetType]; ok && e.TargetID != 0 {
			out[i].TargetPath = p + "/" + strconv.FormatInt(e.TargetID, 10)
		}
	}
	return out
}

// targetPaths are the console areas an event's target links to, by its
// TargetType. Add an area's when adding its pages.
var targetPaths = map[string]string{
	"user":             Prefix + "/users",
	"group":            Prefix + "/groups",
	"team":             Prefix + "/teams",
	"api_account":      Prefix + "/accounts",
	"api_registration": Prefix + "/registrations",
}

func indent(raw json.RawMessage) string {
	if len(raw) == 0 || string(raw) == "null" {
		return ""
	}
	var b bytes.Buffer
	if json.Indent(&b, raw, "", "  ") != nil {
		return string(raw)
	}
	return b.String()
}
