package admin

import (
	"math"
	"net/url"
	"strconv"
	"time"

	"github.com/gatehouse/gatehouse/internal/auditlog"
	"github.com/gatehouse/gatehouse/internal/directory"
)

// eventParams are the query parameters of GET /events: AuditFilter's
// fields, under the names its problems are reported by.
var eventParams = []string{
	directory.AuditSince, directory.AuditUntil, directory.AuditActor, directory.AuditTargetType,
	directory.AuditTargetID, directory.AuditAction, directory.AuditAfter, directory.AuditBefore, directory.AuditLimit,
}

// defaultLimit is the page size when the client gives none.
const defaultLimit = 100

// eventPage is the answer of GET /events: the events, newest first, and
// the links to the pages on either side, which keep the request's filters.
// Next (older events) is null once the page reaches the oldest match; prev
// (newer events) is there whenever the page has an event or a cursor, so
// that a client following the log polls it.
type eventPage struct {
	Events []auditlog.Record `json:"events"`
	Next   *string           `json:"next"`
	Prev   *string           `json:"prev"`
}

func (a *api) listEvents(c *call) error {
	f, err := c.auditFilter()
	if err != nil {
		return err
	}
	page, err := a.dir.Audit(c.ctx(), f)
	if err != nil {
		return err
	}
	body := eventPage{Events: make([]auditlog.Record, len(page.Items))}
	for i, e := range page.Items {
		body.Events[i] = auditlog.RecordOf(e)
	}
	if n := len(page.Items); n == f.Limit || n > 0 && f.AfterID != 0 {
		body.Next = c.cursor(f, directory.AuditBefore, page.Items[n-1].ID)
	}
	switch {
	case len(page.Items) > 0:
		body.Prev = c.cursor(f, directory.AuditAfter, page.Items[0].ID)
	case f.AfterID != 0:
		body.Prev = c.cursor(f, directory.AuditAfter, f.AfterID)
	}
	var links []string
	for rel, u := range map[string]*string{"next": body.Next, "prev": body.Prev} {
		if u != nil {
			links = append(links, "<"+*u+`>; rel="`+rel+`"`)
		}
	}
	for _, l := range links {
		c.w.Header().Add("Link", l)
	}
	return c.respond(body)
}

// cursor is the URL of this list with the request's filters and the
// cursor parameter (after or before) at id, instead of either. A time
// given as a duration ago is written as the time it meant, so that every
// page of a listing has the same bounds.
func (c *call) cursor(f directory.AuditFilter, param string, id int64) *string {
	q := url.Values{}
	for k, v := range c.query {
		if k != directory.AuditAfter && k != directory.AuditBefore {
			q[k] = v
		}
	}
	if !f.Since.IsZero() {
		q.Set(directory.AuditSince, auditlog.FormatTime(f.Since))
	}
	if !f.Until.IsZero() {
		q.Set(directory.AuditUntil, auditlog.FormatTime(f.Until))
	}
	q.Set(param, strconv.FormatInt(id, 10))
	u := c.url("/events?" + q.Encode())
	return &u
}

// auditFilter reads the query string into a filter, reporting every
// parameter that cannot be read, and those the directory refuses, at once.
func (c *call) auditFilter() (directory.AuditFilter, error) {
	f := directory.AuditFilter{Limit: defaultLimit}
	problems := map[string][]string{}
	ints := map[string]*int64{directory.AuditTargetID: &f.TargetID, directory.AuditAfter: &f.AfterID, directory.AuditBefore: &f.BeforeID}
	now := time.Now()
	for name, vals := range c.query {
		v := vals[0]
		if v == "" {
			problems[name] = []string{"must not be empty"}
			continue
		}
		switch name {
		case directory.AuditSince, directory.AuditUntil:
			t, ok := directory.ParseAuditTime(v, now)
			if !ok {
				problems[name] = []string{directory.MsgAuditTime}
			} else if name == directory.AuditSince {
				f.Since = t
			} else {
				f.Until = t
			}
		case directory.AuditActor:
			f.Actor = v
		case directory.AuditTargetType:
			f.TargetType = v
		case directory.AuditAction:
			f.Action = v
		default: // target_id, after, before, limit
			n, err := strconv.ParseInt(v, 10, 64)
			if err != nil {
				problems[name] = []string{"must be a whole number"}
			} else if name == directory.AuditLimit {
				f.Limit = int(max(min(n, math.MaxInt32), math.MinInt32)) // out of range either way
			} else {
				*ints[name] = n
			}
		}
	}
	if _, err := f.Query(); err != nil {
		de, ok := directory.AsError(err)
		if !ok {
			return f, err
		}
		for name, msgs := range de.Fields {
			if _, unread := problems[name]; !unread {
				problems[name] = msgs
			}
		}
	}
	if len(problems) > 0 {
		return f, badQuery(problems)
	}
	return f, nil
}

func (a *api) getEvent(c *call) error {
	id, err := strconv.ParseInt(c.r.PathValue("id"), 10, 64)
	if err != nil || id < 1 {
		return badQuery(map[string][]string{"id": {"must be an event id, a whole number of 1 or more"}})
	}
	e, err := a.dir.AuditEvent(c.ctx(), id)
	if err != nil {
		return err
	}
	return c.respond(auditlog.RecordOf(e))
}
