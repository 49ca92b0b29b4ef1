package storetest

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/gatehouse/gatehouse/internal/directory"
)

var eventCases = []testCase{
	{"Events", testEvents},
	{"AuditFilters", testAuditFilters},
	{"AuditFilterProblems", testAuditFilterProblems},
	{"AuditTimeOutOfIDOrder", testAuditTimeOutOfIDOrder},
}

func testEvents(t *testing.T, open Opener) {
	s := openStore(t, open)
	events := []directory.Event{
		{Actor: "cli", Action: "user.create", TargetType: "user", TargetID: 1, After: json.RawMessage(`{"Username":"a"}`)},
		{Actor: "api_account:3 (ci)", Action: "user.update", TargetType: "user", TargetID: 1,
			Before: json.RawMessage(`{"Username":"a"}`), After: json.RawMessage(`{"Username":"b"}`)},
		{Actor: "system", Action: "group.delete", TargetType: "group", TargetID: 1, Before: json.RawMessage(`{}`)},
		{At: at("2020-05-06T07:08:09.123456Z"), Actor: "system", Action: "user.delete", TargetType: "user", TargetID: 2},
	}
	write(t, s, func(tx directory.Tx) error {
		for i := range events {
			if err := tx.AppendEvent(ctx, &events[i]); err != nil {
				return err
			}
		}
		// An event without a time gets the transaction's.
		if !events[0].At.Equal(tx.Now()) {
			t.Errorf("event time %v, transaction time %v", events[0].At, tx.Now())
		}
		return nil
	})
	page, err := s.Events(ctx, directory.Query{Limit: 10})
	must(t, err)
	equal(t, "events", page, directory.Page[directory.Event]{Items: events, Total: 4})
	for _, c := range []struct {
		filter directory.Expr
		want   []directory.Event
	}{
		{directory.And{directory.Eq(directory.EventTargetType, "user"), directory.Eq(directory.EventTargetID, int64(1))}, events[:2]},
		{directory.Eq(directory.EventTargetType, "USER"), nil},
		{cmp(directory.EventAction, directory.OpSw, "user."), []directory.Event{events[0], events[1], events[3]}},
		{cmp(directory.EventAction, directory.OpEw, ".delete"), events[2:]},
	} {
		page, err := s.Events(ctx, directory.Query{Filter: c.filter, Limit: 10})
		must(t, err)
		if c.want == nil {
			c.want = []directory.Event{}
		}
		equal(t, "filtered events", page, directory.Page[directory.Event]{Items: c.want, Total: len(c.want)})
	}
	page, err = s.Events(ctx, directory.Query{Sort: []directory.SortKey{{Attr: directory.EventTargetID, Desc: true}}, Limit: 1})
	must(t, err)
	equal(t, "latest by target", ids(page.Items), []int64{events[3].ID})
}

// auditEvents is a log of every actor kind, target and action, at known
// times an hour apart, for the filter tests.
func auditEvents() []directory.Event {
	return []directory.Event{
		{At: at("2026-01-01T00:00:00Z"), Actor: "cli", Action: "user.create", TargetType: "user", TargetID: 1},
		{At: at("2026-01-01T01:00:00Z"), Actor: "api_account:3 (ci)", Action: "user.update", TargetType: "user", TargetID: 1},
		{At: at("2026-01-01T02:00:00Z"), Actor: "api_account:33 (other)", Action: "group.create", TargetType: "group", TargetID: 1},
		{At: at("2026-01-01T03:00:00Z"), Actor: "user:7 (alice: admin)", Action: "group.member.add", TargetType: "group", TargetID: 1},
		{At: at("2026-01-01T04:00:00Z"), Actor: "system", Action: "api_account.create", TargetType: "api_account", TargetID: 3},
		{At: at("2026-01-01T05:00:00Z"), Actor: "api_account:3 (ci)", Action: "user.delete", TargetType: "user", TargetID: 2},
		{At: at("2026-01-01T06:00:00Z"), Actor: "user:7 (alice: admin)", Action: "group.member.remove", TargetType: "group", TargetID: 1},
	}
}

// Service.Audit filters in the store by every field of AuditFilter, lists
// newest first, and pages by id both ways without skipping or repeating.
func testAuditFilters(t *testing.T, open Opener) {
	s := openStore(t, open)
	events := auditEvents()
	write(t, s, func(tx directory.Tx) error {
		for i := range events {
			if err := tx.AppendEvent(ctx, &events[i]); err != nil {
				return err
			}
		}
		return nil
	})
	svc := directory.NewService(s, nil)
	// pick lists events by index, newest first, as Audit returns them.
	pick := func(idx ...int) []int64 {
		out := []int64{}
		for i := len(idx) - 1; i >= 0; i-- {
			out = append(out, events[idx[i]].ID)
		}
		return out
	}
	for _, c := range []struct {
		name string
		f    directory.AuditFilter
		want []int64
	}{
		{"everything", directory.AuditFilter{}, pick(0, 1, 2, 3, 4, 5, 6)},
		{"since, inclusive", directory.AuditFilter{Since: at("2026-01-01T05:00:00Z")}, pick(5, 6)},
		{"until, exclusive", directory.AuditFilter{Until: at("2026-01-01T01:00:00Z")}, pick(0)},
		{"since and until", directory.AuditFilter{Since: at("2026-01-01T01:30:00Z"), Until: at("2026-01-01T04:00:00.000001Z")}, pick(2, 3, 4)},
		{"actor kind", directory.AuditFilter{Actor: "api_account"}, pick(1, 2, 5)},
		{"actor kind and id", directory.AuditFilter{Actor: "api_account:3"}, pick(1, 5)},
		{"actor id is not a prefix", directory.AuditFilter{Actor: "api_account:33"}, pick(2)},
		{"user actor", directory.AuditFilter{Actor: "user:7"}, pick(3, 6)},
		{"cli", directory.AuditFilter{Actor: "cli"}, pick(0)},
		{"system", directory.AuditFilter{Actor: "system"}, pick(4)},
		{"nobody", directory.AuditFilter{Actor: "user:8"}, pick()},
		{"target type", directory.AuditFilter{TargetType: "group"}, pick(2, 3, 6)},
		{"target type and id", directory.AuditFilter{TargetType: "user", TargetID: 1}, pick(0, 1)},
		{"target id alone", directory.AuditFilter{TargetID: 3}, pick(4)},
		{"exact action", directory.AuditFilter{Action: "user.create"}, pick(0)},
		{"exact action is not a prefix", directory.AuditFilter{Action: "group.member"}, pick()},
		{"action prefix", directory.AuditFilter{Action: "user."}, pick(0, 1, 5)},
		{"nested action prefix", directory.AuditFilter{Action: "group.member."}, pick(3, 6)},
		{"prefix does not match a longer word", directory.AuditFilter{Action: "api."}, pick()},
		{"everything together", directory.AuditFilter{Since: at("2026-01-01T01:00:00Z"), Actor: "api_account:3",
			TargetType: "user", Action: "user."}, pick(1, 5)},
		{"before", directory.AuditFilter{BeforeID: events[2].ID}, pick(0, 1)},
		{"after", directory.AuditFilter{AfterID: events[4].ID}, pick(5, 6)},
		{"between", directory.AuditFilter{AfterID: events[1].ID, BeforeID: events[4].ID}, pick(2, 3)},
		{"limit keeps the newest", directory.AuditFilter{Limit: 2}, pick(5, 6)},
		{"limit before keeps the nearest", directory.AuditFilter{BeforeID: events[5].ID, Limit: 2}, pick(3, 4)},
		{"limit after keeps the nearest", directory.AuditFilter{AfterID: events[1].ID, Limit: 2}, pick(2, 3)},
		{"a filter and a cursor", directory.AuditFilter{Actor: "user", BeforeID: events[6].ID}, pick(3)},
	} {
		if c.f.Limit == 0 {
			c.f.Limit = directory.MaxPageSize
		}
		page, err := svc.Audit(ctx, c.f)
		must(t, err)
		equal(t, c.name, ids(page.Items), c.want)
	}

	// Paging back from the newest, two at a time, visits every event once.
	var seen []int64
	f := directory.AuditFilter{Limit: 2}
	for {
		page, err := svc.Audit(ctx, f)
		must(t, err)
		if len(page.Items) == 0 {
			break
		}
		seen = append(seen, ids(page.Items)...)
		f.BeforeID = page.Items[len(page.Items)-1].ID
	}
	equal(t, "paged back", seen, pick(0, 1, 2, 3, 4, 5, 6))

	ev, err := svc.AuditEvent(ctx, events[3].ID)
	must(t, err)
	equal(t, "one event", ev, events[3])
	_, err = svc.AuditEvent(ctx, events[6].ID+1)
	wantKind(t, err, directory.KindNotFound)
}

// An event's time and id can disagree by the length of a transaction (its
// time is the transaction's start, its id taken at insert) or the clock
// skew of two instances: a time window still finds every event in it, and
// none outside.
func testAuditTimeOutOfIDOrder(t *testing.T, open Opener) {
	s := openStore(t, open)
	events := []directory.Event{
		{At: at("2026-01-01T08:00:00Z"), Actor: "cli", Action: "user.create", TargetType: "user", TargetID: 1},
		{At: at("2026-01-01T10:00:00Z"), Actor: "cli", Action: "user.create", TargetType: "user", TargetID: 2},
		{At: at("2026-01-01T09:57:00Z"), Actor: "cli", Action: "user.create", TargetType: "user", TargetID: 3}, // committed late
		{At: at("2026-01-01T12:00:00Z"), Actor: "cli", Action: "user.create", TargetType: "user", TargetID: 4},
	}
	write(t, s, func(tx directory.Tx) error {
		for i := range events {
			if err := tx.AppendEvent(ctx, &events[i]); err != nil {
				return err
			}
		}
		return nil
	})
	svc := directory.NewService(s, nil)
	for _, c := range []struct {
		since, until string
		want         []int64 // target ids, newest first
	}{
		{"2026-01-01T09:56:00Z", "2026-01-01T09:58:00Z", []int64{3}},
		{"2026-01-01T09:59:00Z", "", []int64{4, 2}},
		{"", "2026-01-01T10:01:00Z", []int64{3, 2, 1}},
		{"2026-01-01T09:00:00Z", "2026-01-01T11:00:00Z", []int64{3, 2}},
		{"2026-01-01T12:00:01Z", "", []int64{}},
		{"", "2026-01-01T08:00:00Z", []int64{}},
	} {
		f := directory.AuditFilter{Limit: 10}
		if c.since != "" {
			f.Since = at(c.since)
		}
		if c.until != "" {
			f.Until = at(c.until)
		}
		page, err := svc.Audit(ctx, f)
		must(t, err)
		got := []int64{}
		for _, e := range page.Items {
			got = append(got, e.TargetID)
		}
		equal(t, "window "+c.since+" to "+c.until, got, c.want)
	}
}

// A filter that cannot be right is refused naming every bad field, before
// the store is asked.
func testAuditFilterProblems(t *testing.T, open Opener) {
	svc := directory.NewService(openStore(t, open), nil)
	_, err := svc.Audit(ctx, directory.AuditFilter{
		Since: at("2026-01-02T00:00:00Z"), Until: at("2026-01-01T00:00:00Z"), Actor: "cli:1", TargetType: "User",
		TargetID: -1, Action: "user.%", AfterID: -1, BeforeID: -2, Limit: directory.MaxPageSize + 1})
	de, ok := directory.AsError(err)
	if !ok || de.Kind != directory.KindInvalid {
		t.Fatalf("bad filter: %v, want invalid", err)
	}
	var fields []string
	for f := range de.Fields {
		fields = append(fields, f)
	}
	slices.Sort(fields)
	equal(t, "refused fields", fields, []string{"action", "actor", "after", "before", "limit", "target_id", "target_type", "until"})
	for _, actor := range []string{"robot", "user:", "user:0", "user:x", "user:+1", "api_account:3 (ci)", "system:1", "User:7"} {
		if _, err := svc.Audit(ctx, directory.AuditFilter{Actor: actor, Limit: 1}); !directory.IsKind(err, directory.KindInvalid) {
			t.Errorf("actor %q: %v, want invalid", actor, err)
		}
	}
	for _, action := range []string{".", ".user", "user..create", "user create", strings.Repeat("a", 101)} {
		if _, err := svc.Audit(ctx, directory.AuditFilter{Action: action, Limit: 1}); !directory.IsKind(err, directory.KindInvalid) {
			t.Errorf("action %q: %v, want invalid", action, err)
		}
	}
}

// BeforeAuditFilters are events as the schema before migration 0008 held
// them, without the actor's kind and id, which that migration derives.
const BeforeAuditFilters = `
INSERT INTO events (id, at, actor, action, target_type, target_id) VALUES
	(11, 1000000, 'cli', 'user.create', 'user', 7),
	(12, 2000000, 'api_account:3 (ci: prod)', 'user.update', 'user', 7),
	(13, 3000000, 'user:70 (alice)', 'group.create', 'group', 5),
	(14, 4000000, 'system', 'api_account.create', 'api_account', 3);
`

// checkAuditBackfill checks that migration 0008 gave the events of
// BeforeAuditFilters the kinds and ids their actor text names.
func checkAuditBackfill(t *testing.T, s directory.Store) {
	t.Helper()
	svc := directory.NewService(s, nil)
	for actor, want := range map[string][]int64{
		"cli": {11}, "api_account": {12}, "api_account:3": {12}, "user:70": {13}, "user:7": {}, "system": {14},
	} {
		page, err := svc.Audit(ctx, directory.AuditFilter{Actor: actor, Limit: 10})
		must(t, err)
		equal(t, "old events by "+actor, ids(page.Items), want)
	}
}
