package console

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"strconv"

	"github.com/gatehouse/gatehouse/internal/directory"
)

func (c *console) auditRoutes() {
	c.page("GET "+Prefix+"/audit", c.auditList)
	c.page("GET "+Prefix+"/audit/{id}", c.auditShow)
}

// auditPerPage is how many events a page of the log shows.
const auditPerPage = 50

// auditTargets are the kinds of record events name, for the filter.
var auditTargets = []option{{"", "Any"}, {"user", "user"}, {"group", "group"}, {"team", "team"},
	{"api_account", "api_account"}, {"api_registration", "api_registration"}, {"security_provider", "security_provider"},
	{"secret", "secret"}}

type auditListData struct {
	Events             []auditRow
	Targets            []option
	NewerURL, OlderURL string
}

// auditList is the log, newest first, filtered as the audit command and
// the administrator API filter it (directory.AuditFilter), and paged by
// event id: ?before= the next page back, ?after= the page before it.
func (c *console) auditList(q *request) error {
	d := auditListData{Targets: auditTargets}
	f, err := c.auditFilter(q)
	var page directory.Page[directory.Event]
	if err == nil {
		page, err = c.dir.Audit(q.ctx(), f)
	}
	if err != nil {
		return q.list(err, "audit_list", "Audit log", d)
	}
	for _, e := range eventRows(page.Items) {
		d.Events = append(d.Events, auditRow{eventRow: e, ActorFilter: actorFilter(e.Actor)})
	}
	if n := len(page.Items); n == f.Limit || n > 0 && f.AfterID != 0 {
		d.OlderURL = c.auditCursor(q, directory.AuditBefore, page.Items[n-1].ID)
	}
	if len(page.Items) > 0 && (f.BeforeID != 0 || f.AfterID != 0) {
		d.NewerURL = c.auditCursor(q, directory.AuditAfter, page.Items[0].ID)
	}
	return q.render(http.StatusOK, "audit_list", "Audit log", d)
}

// auditRow is an event of the log, with the actor filter that lists what
// its actor did.
type auditRow struct {
	eventRow
	ActorFilter string
}

// actorFilter is the filter ("user:7", "cli") that selects an event's
// actor, as the actor text ("user:7 (root)") names it.
func actorFilter(actor string) string {
	kind, id := directory.ParseActor(actor)
	if id == 0 {
		return string(kind)
	}
	return string(kind) + ":" + strconv.FormatInt(id, 10)
}

// auditCursor is this page's URL with its filters and the cursor param at
// id instead of either cursor.
func (c *console) auditCursor(q *request, param string, id int64) string {
	v := url.Values{}
	for k, vs := range q.r.URL.Query() {
		if k != directory.AuditAfter && k != directory.AuditBefore {
			v[k] = vs
		}
	}
	v.Set(param, strconv.FormatInt(id, 10))
	return q.r.URL.Path + "?" + v.Encode()
}

// auditFilter reads the filter form; a field left empty does not filter.
// Every problem is reported at once, by the form's names, which are the
// directory's.
func (c *console) auditFilter(q *request) (directory.AuditFilter, error) {
	f := directory.AuditFilter{Limit: auditPerPage}
	query := q.r.URL.Query()
	q.form = map[string]string{}
	p := directory.Problems{}
	now := c.now()
	for _, name := range []string{directory.AuditSince, directory.AuditUntil, directory.AuditActor, directory.AuditTargetType,
		directory.AuditTargetID, directory.AuditAction, directory.AuditAfter, directory.AuditBefore} {
		v := query.Get(name)
		if v == "" {
			continue
		}
		q.form[name] = v
		switch name {
		case directory.AuditSince, directory.AuditUntil:
			t, ok := directory.ParseAuditTime(v, now)
			switch {
			case !ok:
				p.Add(name, directory.MsgAuditTime)
			case name == directory.AuditSince:
				f.Since = t
			default:
				f.Until = t
			}
		case directory.AuditActor:
			f.Actor = v
		case directory.AuditTargetType:
			f.TargetType = v
		case directory.AuditAction:
			f.Action = v
		default:
			n, err := strconv.ParseInt(v, 10, 64)
			switch {
			case err != nil:
				p.Add(name, "must be a whole number")
			case name == directory.AuditTargetID:
				f.TargetID = n
			case name == directory.AuditAfter:
				f.AfterID = n
			default:
				f.BeforeID = n
			}
		}
	}
	if _, err := f.Query(); err != nil {
		de, ok := directory.AsError(err)
		if !ok {
			return f, err
		}
		for name, msgs := range de.Fields {
			if _, unread := p[name]; !unread {
				p[name] = msgs
			}
		}
	}
	return f, p.Err()
}

type auditEventData struct {
	Event eventRow
	// Shown are the fields that changed, or every field of a record made
	// or removed; Unchanged are the rest, folded away. Both are nil when
	// a record is not a JSON object (the page then shows them whole).
	Shown, Unchanged []diffRow
}

// diffRow is one field of an event's records: its value before and after
// (indented JSON; empty where the record has no such field).
type diffRow struct {
	Field, Before, After string
	Changed              bool
}

func (c *console) auditShow(q *request) error {
	id, err := pathID(q, "event")
	if err != nil {
		return err
	}
	e, err := c.dir.AuditEvent(q.ctx(), id)
	if err != nil {
		return err
	}
	d := auditEventData{Event: eventRows([]directory.Event{e})[0]}
	both := present(e.Before) && present(e.After)
	for _, r := range diff(e.Before, e.After) {
		if r.Changed || !both {
			d.Shown = append(d.Shown, r)
		} else {
			d.Unchanged = append(d.Unchanged, r)
		}
	}
	return q.render(http.StatusOK, "audit_show", "Event "+strconv.FormatInt(e.ID, 10), d)
}

// diff sets an event's records side by side, field by field, marking the
// fields that changed; nil when either is not a JSON object (the page then
// shows them whole).
func diff(before, after json.RawMessage) []diffRow {
	b, okB := fields(before)
	a, okA := fields(after)
	if !okB || !okA {
		return nil
	}
	var names []string
	for k := range b {
		names = append(names, k)
	}
	for k := range a {
		if _, ok := b[k]; !ok {
			names = append(names, k)
		}
	}
	slices.Sort(names)
	// A record made or removed is not a change of its fields: only an
	// event with both records marks them.
	both := present(before) && present(after)
	rows := make([]diffRow, len(names))
	for i, n := range names {
		rows[i] = diffRow{Field: n, Before: indent(b[n]), After: indent(a[n])}
		rows[i].Changed = both && rows[i].Before != rows[i].After
	}
	return rows
}

// fields reads a record as its fields, those of an object inside it
// named by their path (access.remote_rdp), so that a change in a block of
// settings shows as the one setting that changed. An absent record has
// none.
func fields(raw json.RawMessage) (map[string]json.RawMessage, bool) {
	out := map[string]json.RawMessage{}
	if !present(raw) {
		return out, true
	}
	var m map[string]json.RawMessage
	if json.Unmarshal(raw, &m) != nil {
		return nil, false
	}
	for k, v := range m {
		inner, ok := fields(v)
		if !ok || len(inner) == 0 || !bytes.HasPrefix(bytes.TrimSpace(v), []byte("{")) {
			out[k] = v
			continue
		}
		for ik, iv := range inner {
			out[k+"."+ik] = iv
		}
	}
	return out, true
}

// present reports whether an event has the record: a create has no
// before, a delete no after.
func present(raw json.RawMessage) bool {
	t := bytes.TrimSpace(raw)
	return len(t) > 0 && string(t) != "null"
}
