package directory

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"time"
)

// AuditFilter selects audit events. Every reader of the audit log (the
// gatehouse audit command, the administrator API, the console) fills one
// and calls Service.Audit, so that they all filter alike and all in SQL.
// Zero fields do not filter.
type AuditFilter struct {
	Since time.Time // events at or after
	Until time.Time // events before
	// Actor is "kind" or "kind:id", as Actor.String starts: "cli",
	// "system", "api_account", "api_account:3", "user:7".
	Actor      string
	TargetType string // "user", "group", ...
	TargetID   int64
	// Action is exact ("user.create"), or a prefix when it ends in a dot
	// ("user." matches every action on users, "group.member." both
	// membership actions).
	Action string
	// AfterID and BeforeID are keyset cursors: only events with a greater
	// (AfterID) or smaller (BeforeID) id. A page holds the Limit events
	// nearest the cursor: the newest ones before BeforeID, the oldest ones
	// after AfterID, so that paging either way and following the log as
	// it grows never skip one.
	AfterID, BeforeID int64
	Limit             int // 1..MaxPageSize
}

// Problems are reported under these names, which the faces and the CLI map
// to their own parameter names.
const (
	AuditSince      = "since"
	AuditUntil      = "until"
	AuditActor      = "actor"
	AuditTargetType = "target_type"
	AuditTargetID   = "target_id"
	AuditAction     = "action"
	AuditAfter      = "after"
	AuditBefore     = "before"
	AuditLimit      = "limit"
)

// maxAuditName bounds an action or target type in a filter: every real one
// is far shorter.
const maxAuditName = 100

// Audit lists one page of audit events, newest first, matching f.
// Page.Total is not counted (0): the log grows without bound, and the
// cursors page it without one.
func (s *Service) Audit(ctx context.Context, f AuditFilter) (Page[Event], error) {
	q, err := f.Query()
	if err == nil {
		q.Filter, err = s.auditIDRange(ctx, f, q.Filter)
	}
	if err != nil {
		return Page[Event]{Items: []Event{}}, err
	}
	page, err := s.store.Events(ctx, q)
	if err == nil && len(q.Sort) == 1 && !q.Sort[0].Desc {
		slices.Reverse(page.Items)
	}
	return page, err
}

// auditDisorder bounds how far an event's time and id can disagree: an
// event's time is its transaction's start, on its instance's clock, and its
// id is taken when it is inserted, before the commit. Events more than this
// apart in time are in id order.
const auditDisorder = 5 * time.Minute

// auditIDRange adds to a time-bounded filter the ids the bounds imply, so
// that a store walks only the ids of the window in id order, however far
// back it lies, instead of every newer event or the whole window sorted.
// The ids come from the events just outside the window by more than
// auditDisorder, found over the index on time; the time tests stay, so the
// range only ever widens what they select.
func (s *Service) auditIDRange(ctx context.Context, f AuditFilter, filter Expr) (Expr, error) {
	and, _ := filter.(And)
	edge := func(op Op, at time.Time, desc bool) (int64, error) {
		// Ties broken by id the same way round, so that the index on time
		// (which ends with the id) serves the order without a sort.
		page, err := s.store.Events(ctx, Query{Filter: Compare{Attr: EventAt, Op: op, Value: at},
			Sort: []SortKey{{Attr: EventAt, Desc: desc}, {Attr: EventID, Desc: desc}}, Limit: 1, NoTotal: true})
		if err != nil || len(page.Items) == 0 {
			return 0, err
		}
		return page.Items[0].ID, nil
	}
	if !f.Since.IsZero() {
		id, err := edge(OpLt, f.Since.Add(-auditDisorder), true)
		if err != nil {
			return nil, err
		}
		if id > 0 {
			and = append(and, Compare{Attr: EventID, Op: OpGt, Value: id})
		}
	}
	if !f.Until.IsZero() {
		id, err := edge(OpGe, f.Until.Add(auditDisorder), false)
		if err != nil {
			return nil, err
		}
		if id > 0 {
			and = append(and, Compare{Attr: EventID, Op: OpLt, Value: id})
		}
	}
	if len(and) == 0 {
		return filter, nil
	}
	return and, nil
}

// AuditEvent returns one audit event by id.
func (s *Service) AuditEvent(ctx context.Context, id int64) (Event, error) {
	page, err := s.store.Events(ctx, Query{Filter: Eq(EventID, id), Limit: 1, NoTotal: true})
	if err != nil {
		return Event{}, err
	}
	if len(page.Items) == 0 {
		return Event{}, NotFound("event")
	}
	return page.Items[0], nil
}

// Query checks f and compiles it into a store query: newest first by id,
// or oldest first when it pages forward from AfterID alone (Audit then
// turns the page round).
func (f AuditFilter) Query() (Query, error) {
	p := Problems{}
	var and And
	if !f.Since.IsZero() {
		and = append(and, Compare{Attr: EventAt, Op: OpGe, Value: f.Since})
	}
	if !f.Until.IsZero() {
		and = append(and, Compare{Attr: EventAt, Op: OpLt, Value: f.Until})
		if !f.Since.IsZero() && !f.Until.After(f.Since) {
			p.Add(AuditUntil, "must be later than since")
		}
	}
	if f.Actor != "" {
		kind, id, ok := ParseActorFilter(f.Actor)
		switch {
		case !ok:
			p.Add(AuditActor, `must be an actor kind (api_account, user, cli or system), or api_account or user with an id, such as "api_account:3"`)
		case kind == ActorCLI || kind == ActorSystem:
			// Their id is always 0: testing it too lets the index on kind
			// and id list them in id order.
			and = append(and, Eq(EventActorKind, string(kind)), Eq(EventActorID, int64(0)))
		case id == 0:
			and = append(and, Eq(EventActorKind, string(kind)))
		default:
			and = append(and, Eq(EventActorKind, string(kind)), Eq(EventActorID, id))
		}
	}
	if f.TargetType != "" {
		if !auditName(f.TargetType, false) {
			p.Add(AuditTargetType, "must be a resource type such as user or group")
		} else {
			and = append(and, Eq(EventTargetType, f.TargetType))
		}
	}
	if f.TargetID < 0 {
		p.Add(AuditTargetID, "must be a positive integer")
	} else if f.TargetID > 0 {
		and = append(and, Eq(EventTargetID, f.TargetID))
	}
	if f.Action != "" {
		switch {
		case !auditName(f.Action, true):
			p.Add(AuditAction, `must be an action such as "user.create", or a prefix ending in a dot such as "user."`)
		case strings.HasSuffix(f.Action, "."):
			and = append(and, Compare{Attr: EventAction, Op: OpSw, Value: f.Action})
		default:
			and = append(and, Eq(EventAction, f.Action))
		}
	}
	if f.AfterID < 0 {
		p.Add(AuditAfter, "must be an event id, 0 or more")
	} else if f.AfterID > 0 {
		and = append(and, Compare{Attr: EventID, Op: OpGt, Value: f.AfterID})
	}
	if f.BeforeID < 0 {
		p.Add(AuditBefore, "must be an event id, 0 or more")
	} else if f.BeforeID > 0 {
		and = append(and, Compare{Attr: EventID, Op: OpLt, Value: f.BeforeID})
	}
	if f.Limit < 1 || f.Limit > MaxPageSize {
		p.Add(AuditLimit, "must be between 1 and "+itoa(MaxPageSize))
	}
	if err := p.Err(); err != nil {
		return Query{}, err
	}
	q := Query{Limit: f.Limit, NoTotal: true, Sort: []SortKey{{Attr: EventID, Desc: f.AfterID == 0 || f.BeforeID != 0}}}
	if len(and) > 0 {
		q.Filter = and
	}
	return q, nil
}

// auditName reports whether s can name a target type (lower-case letters
// and underscores) or, with dots, an action or an action's prefix.
func auditName(s string, dots bool) bool {
	if len(s) > maxAuditName {
		return false
	}
	for _, r := range s {
		if !('a' <= r && r <= 'z' || r == '_' || dots && r == '.') {
			return false
		}
	}
	return !strings.HasPrefix(s, ".") && !strings.Contains(s, "..")
}

// ParseActorFilter reads "kind" or "kind:id" (id 0 when absent). Only the
// kinds that name a principal take an id; cli and system are one each.
func ParseActorFilter(s string) (ActorKind, int64, bool) {
	k, idText, hasID := strings.Cut(s, ":")
	kind := ActorKind(k)
	switch kind {
	case ActorAPIAccount, ActorUser:
	case ActorCLI, ActorSystem:
		return kind, 0, !hasID
	default:
		return "", 0, false
	}
	if !hasID {
		return kind, 0, true
	}
	id, err := strconv.ParseInt(idText, 10, 64)
	if err != nil || id < 1 || strings.TrimLeft(idText, "0123456789") != "" {
		return "", 0, false
	}
	return kind, id, true
}

// ParseActor reads an event's Actor text back into its kind and id: the
// inverse of Actor.String, which is all that older events and exports
// keep. Stores index both so that a filter by actor needs no text search.
func ParseActor(s string) (ActorKind, int64) {
	k, rest, hasID := strings.Cut(s, ":")
	if !hasID {
		return ActorKind(s), 0
	}
	digits, _, _ := strings.Cut(rest, " ")
	id, _ := strconv.ParseInt(digits, 10, 64)
	return ActorKind(k), id
}

// ParseAuditTime reads a time bound as an RFC 3339 date-time, or as a
// duration ("90m", "24h") meaning that long before now.
func ParseAuditTime(s string, now time.Time) (time.Time, bool) {
	if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
		return t.UTC(), true
	}
	d, err := time.ParseDuration(s)
	if err != nil || d < 0 {
		return time.Time{}, false
	}
	return now.Add(-d).UTC(), true
}

// MsgAuditTime phrases what ParseAuditTime takes, to follow a parameter's
// name.
const MsgAuditTime = `must be an RFC 3339 date-time such as "2026-11-30T21:00:00Z", or a duration ago such as "24h"`
