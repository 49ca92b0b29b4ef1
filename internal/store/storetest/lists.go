package storetest

import (
	"errors"
	"fmt"
	"slices"
	"testing"

	"github.com/gatehouse/gatehouse/internal/directory"
)

var listCases = []testCase{
	{"Sort", testSort},
	{"SortTiesByID", testSortTiesByID},
	{"Pagination", testPagination},
	{"EmptyList", testEmptyList},
	{"PagesFromBothEnds", testPagesFromBothEnds},
	{"TotalsFollowWrites", testTotalsFollowWrites},
	{"PageMaximum", testPageMaximum},
}

func testSort(t *testing.T, open Opener) {
	s := openStore(t, open)
	_, _ = filterFixture(t, s)
	asc := func(a directory.Attr) []directory.SortKey { return []directory.SortKey{{Attr: a}} }
	desc := func(a directory.Attr) []directory.SortKey { return []directory.SortKey{{Attr: a, Desc: true}} }
	for _, c := range []struct {
		name string
		sort []directory.SortKey
		want []string
	}{
		{"default is id", nil, []string{alice, bob, carol, dave, eve, frank}},
		{"username folds case", asc(directory.UserUsername), []string{alice, bob, carol, dave, eve, frank}},
		{"username desc", desc(directory.UserUsername), []string{frank, eve, dave, carol, bob, alice}},
		{"case-exact by bytes", asc(directory.UserExternalID), []string{carol, dave, eve, frank, bob, alice}},
		{"bool then id", asc(directory.UserEnabled), []string{bob, alice, carol, dave, eve, frank}},
		{"bool desc then id", desc(directory.UserEnabled), []string{alice, carol, dave, eve, frank, bob}},
		{"time desc", desc(directory.UserCreatedAt), []string{frank, eve, dave, carol, bob, alice}},
		{"int", desc(directory.UserSecurityProviderID), []string{frank, alice, bob, carol, dave, eve}},
		{"two keys", []directory.SortKey{{Attr: directory.UserLocale}, {Attr: directory.UserUsername, Desc: true}},
			[]string{eve, frank, dave, bob, alice, carol}},
	} {
		page, err := s.Users(ctx, directory.Query{Sort: c.sort, Limit: 10})
		must(t, err)
		if got := usernames(page.Items); !slices.Equal(got, c.want) {
			t.Errorf("%s: got %q, want %q", c.name, got, c.want)
		}
	}
}

// testSortTiesByID checks that rows with equal sort keys come in ID order,
// whichever way the keys sort, so that pages neither overlap nor skip.
func testSortTiesByID(t *testing.T, open Opener) {
	s := openStore(t, open)
	var users []directory.User
	write(t, s, func(tx directory.Tx) error {
		for i := range 9 {
			u := user(fmt.Sprintf("u%d", i))
			u.DisplayName = []string{"B", "a", "C"}[i%3] // three of each
			if err := tx.CreateUser(ctx, &u); err != nil {
				return err
			}
			users = append(users, u)
		}
		return nil
	})
	id := func(i int) int64 { return users[i].ID }
	for _, c := range []struct {
		desc bool
		want []int64
	}{
		{false, []int64{id(1), id(4), id(7), id(0), id(3), id(6), id(2), id(5), id(8)}},
		{true, []int64{id(2), id(5), id(8), id(0), id(3), id(6), id(1), id(4), id(7)}},
	} {
		q := directory.Query{Sort: []directory.SortKey{{Attr: directory.UserDisplayName, Desc: c.desc}}}
		var got []int64
		for q.Offset = 0; q.Offset < 9; q.Offset += 2 {
			q.Limit = 2
			page, err := s.Users(ctx, q)
			must(t, err)
			got = append(got, ids(page.Items)...)
		}
		equal(t, fmt.Sprintf("pages sorted desc=%v", c.desc), got, c.want)
	}
}

func testPagination(t *testing.T, open Opener) {
	s := openStore(t, open)
	names := make([]string, 25)
	for i := range names {
		names[i] = fmt.Sprintf("user-%02d", i)
	}
	users := createUsers(t, s, names...)
	all := ids(users)
	for _, limit := range []int{1, 7, 10, 24, 25, 26, 1000} {
		var got []int64
		for offset := 0; offset < 30; offset += limit {
			page, err := s.Users(ctx, directory.Query{Offset: offset, Limit: limit})
			must(t, err)
			if page.Total != 25 {
				t.Fatalf("limit %d offset %d: total %d, want 25", limit, offset, page.Total)
			}
			if want := min(limit, max(0, 25-offset)); len(page.Items) != want {
				t.Fatalf("limit %d offset %d: %d items, want %d", limit, offset, len(page.Items), want)
			}
			got = append(got, ids(page.Items)...)
		}
		equal(t, fmt.Sprintf("all pages of %d", limit), got, all)
	}

	// Limit 0 counts without returning rows.
	page, err := s.Users(ctx, directory.Query{})
	must(t, err)
	equal(t, "limit 0", page, directory.Page[directory.User]{Items: []directory.User{}, Total: 25})

	// Totals count the filtered rows, whichever page is asked for.
	odd := directory.Or{}
	for i := 1; i < 25; i += 2 {
		odd = append(odd, directory.Eq(directory.UserID, all[i]))
	}
	for _, q := range []directory.Query{{Filter: odd, Limit: 5}, {Filter: odd, Offset: 10, Limit: 5},
		{Filter: odd, Offset: 12, Limit: 5}, {Filter: odd, Offset: 40, Limit: 5}, {Filter: odd}} {
		page, err := s.Users(ctx, q)
		must(t, err)
		want := []int64{}
		for i := 1 + 2*q.Offset; i < 25 && len(want) < q.Limit; i += 2 {
			want = append(want, all[i])
		}
		if page.Total != 12 || !slices.Equal(ids(page.Items), want) {
			t.Errorf("offset %d limit %d: ids %v total %d, want %v total 12", q.Offset, q.Limit, ids(page.Items), page.Total, want)
		}
	}
}

func testEmptyList(t *testing.T, open Opener) {
	s := openStore(t, open)
	page, err := s.Users(ctx, directory.Query{Limit: 10})
	must(t, err)
	// Items is empty but not nil, so that faces render [] rather than null.
	if page.Items == nil || len(page.Items) != 0 || page.Total != 0 {
		t.Fatalf("empty list: %#v", page)
	}
	page, err = s.Users(ctx, directory.Query{Offset: 5, Limit: 10})
	must(t, err)
	if page.Items == nil || page.Total != 0 {
		t.Fatalf("empty list past its end: %#v", page)
	}
}

// testPageMaximum checks that a store serves a page of MaxPageSize rows and
// refuses a larger one on every kind of list, as a caller's bug rather
// than a client's error, whatever the offset.
func testPageMaximum(t *testing.T, open Opener) {
	s := openStore(t, open)
	names := make([]string, directory.MaxPageSize+1)
	for i := range names {
		names[i] = fmt.Sprintf("user-%04d", i)
	}
	createUsers(t, s, names...)
	page, err := s.Users(ctx, directory.Query{Limit: directory.MaxPageSize})
	must(t, err)
	if len(page.Items) != directory.MaxPageSize || page.Total != len(names) {
		t.Fatalf("a maximum page: %d items of %d, want %d of %d", len(page.Items), page.Total, directory.MaxPageSize, len(names))
	}
	over := directory.Query{Limit: directory.MaxPageSize + 1}
	for i, q := range []directory.Query{over, {Limit: over.Limit, Offset: 1}, {Limit: over.Limit, NoTotal: true}} {
		page, err := s.Users(ctx, q)
		wantInternalAt(t, i, err)
		if len(page.Items) > 0 {
			t.Errorf("query %d: %d items beside the error", i, len(page.Items))
		}
	}
	_, err = s.Groups(ctx, over)
	wantInternalAt(t, 3, err)
	_, err = s.Teams(ctx, over)
	wantInternalAt(t, 4, err)
	_, err = s.APIAccounts(ctx, over)
	wantInternalAt(t, 5, err)
	_, err = s.SecurityProviders(ctx, over)
	wantInternalAt(t, 6, err)
}

// testPagesFromBothEnds checks every page of several orders, with and
// without a total, against the whole list: a store may walk a page nearer
// the end from the end, in the reverse order.
func testPagesFromBothEnds(t *testing.T, open Opener) {
	s := openStore(t, open)
	var all []directory.User
	write(t, s, func(tx directory.Tx) error {
		for i := range 23 {
			u := user(fmt.Sprintf("u%02d", (i*7)%23))
			u.DisplayName = []string{"B", "a", "C", "b"}[i%4]
			u.Enabled = i%3 != 0
			if err := tx.CreateUser(ctx, &u); err != nil {
				return err
			}
			all = append(all, u)
		}
		return nil
	})
	var sorts [][]directory.SortKey
	for _, desc := range []bool{false, true} {
		sorts = append(sorts, []directory.SortKey{{Attr: directory.UserDisplayName, Desc: desc}},
			[]directory.SortKey{{Attr: directory.UserUsername, Desc: desc}},
			[]directory.SortKey{{Attr: directory.UserEnabled, Desc: desc}, {Attr: directory.UserDisplayName, Desc: !desc}})
	}
	sorts = append(sorts, nil)
	for _, filter := range []directory.Expr{nil, directory.Eq(directory.UserEnabled, true)} {
		for _, sort := range sorts {
			whole, err := s.Users(ctx, directory.Query{Filter: filter, Sort: sort, Limit: 1000})
			must(t, err)
			want := ids(whole.Items)
			for _, noTotal := range []bool{false, true} {
				for _, limit := range []int{1, 4, 10, 30} {
					for offset := range len(want) + 2 {
						q := directory.Query{Filter: filter, Sort: sort, Limit: limit, Offset: offset, NoTotal: noTotal}
						page, err := s.Users(ctx, q)
						must(t, err)
						wantPage := want[min(offset, len(want)):min(offset+limit, len(want))]
						if !slices.Equal(ids(page.Items), wantPage) || !noTotal && page.Total != len(want) {
							t.Fatalf("%+v: ids %v total %d, want %v total %d", q, ids(page.Items), page.Total, wantPage, len(want))
						}
					}
				}
			}
		}
	}
	// The same for a group's users, a list scoped by a join.
	g := group("g")
	write(t, s, func(tx directory.Tx) error {
		if err := tx.CreateGroup(ctx, &g); err != nil {
			return err
		}
		for i := 0; i < len(all); i += 2 {
			if err := tx.AddMember(ctx, &directory.Member{GroupID: g.ID, SecurityProviderID: directory.LocalProviderID, UserID: all[i].ID}); err != nil {
				return err
			}
		}
		return nil
	})
	for _, sort := range sorts {
		whole, err := s.MemberUsers(ctx, g.ID, directory.Query{Sort: sort, Limit: 1000})
		must(t, err)
		want := ids(whole.Items)
		if len(want) != 12 {
			t.Fatalf("%d members, want 12", len(want))
		}
		for offset := range len(want) + 2 {
			q := directory.Query{Sort: sort, Limit: 3, Offset: offset}
			page, err := s.MemberUsers(ctx, g.ID, q)
			must(t, err)
			wantPage := want[min(offset, len(want)):min(offset+3, len(want))]
			if !slices.Equal(ids(page.Items), wantPage) || page.Total != len(want) {
				t.Fatalf("members %+v: ids %v total %d, want %v total %d", q, ids(page.Items), page.Total, wantPage, len(want))
			}
		}
	}
}

// testTotalsFollowWrites checks that a list's total stays exact through
// creates, deletes, a rolled-back transaction, and an import that clears
// the directory first.
func testTotalsFollowWrites(t *testing.T, open Opener) {
	s := openStore(t, open)
	total := func(what string, want int) {
		t.Helper()
		for _, q := range []directory.Query{{}, {Limit: 1}, {Limit: 1, Offset: want - 1}, {Limit: 2, Offset: want + 3}} {
			page, err := s.Users(ctx, q)
			must(t, err)
			if page.Total != want {
				t.Fatalf("%s: %+v total %d, want %d", what, q, page.Total, want)
			}
		}
	}
	users := createUsers(t, s, "a", "b", "c", "d", "e")
	total("created", 5)
	write(t, s, func(tx directory.Tx) error { return tx.DeleteUser(ctx, users[1].ID) })
	total("deleted", 4)
	dup := user("A")
	err := s.Write(ctx, func(tx directory.Tx) error { return tx.CreateUser(ctx, &dup) })
	if !directory.IsKind(err, directory.KindConflict) {
		t.Fatalf("duplicate username: %v", err)
	}
	total("conflict", 4)
	rollback := errors.New("roll back")
	err = s.Write(ctx, func(tx directory.Tx) error {
		u := user("f")
		if err := tx.CreateUser(ctx, &u); err != nil {
			return err
		}
		if page, err := tx.Users(ctx, directory.Query{}); err != nil || page.Total != 5 {
			t.Errorf("inside the transaction: total %d (%v), want 5", page.Total, err)
		}
		return rollback
	})
	if !errors.Is(err, rollback) {
		t.Fatal(err)
	}
	total("rolled back", 4)
	tr, ok := s.(directory.Transfer)
	if !ok {
		return
	}
	err = tr.Import(ctx, func(tx directory.ImportTx) error {
		if err := tx.Clear(ctx); err != nil {
			return err
		}
		us := []directory.User{users[0], users[2]}
		return tx.ImportUsers(ctx, us)
	})
	must(t, err)
	total("imported", 2)
}
