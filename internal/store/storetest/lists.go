package storetest

import (
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
