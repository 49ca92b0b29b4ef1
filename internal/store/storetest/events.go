package storetest

import (
	"encoding/json"
	"testing"

	"github.com/gatehouse/gatehouse/internal/directory"
)

var eventCases = []testCase{
	{"Events", testEvents},
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
