package storetest

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/gatehouse/gatehouse/internal/directory"
)

var groupCases = []testCase{
	{"GroupRoundTrip", testGroupRoundTrip},
	{"GroupBeyondInsightFields", testGroupBeyondInsightFields},
	{"GroupNameUnique", testGroupNameUnique},
	{"GroupFilters", testGroupFilters},
	{"GroupDeleteCascades", testGroupDeleteCascades},
	{"UserGroups", testUserGroups},
	{"UserGroupIDs", testUserGroupIDs},
}

func testGroupRoundTrip(t *testing.T, open Opener) {
	s := openStore(t, open)
	g := group("Admins")
	g.Description, g.ExternalID, g.Source = "The admins", "grp-1", directory.SourceSCIM
	g.AccessStatus = directory.AccessFinal
	g.Access.RemoteRDP, g.Access.SessionIdleTimeout = true, 900
	var now time.Time
	write(t, s, func(tx directory.Tx) error {
		now = tx.Now()
		return tx.CreateGroup(ctx, &g)
	})
	if g.ID <= 0 || g.Version != 1 || !g.CreatedAt.Equal(now) || !g.UpdatedAt.Equal(now) {
		t.Fatalf("created group: %+v, transaction time %v", g, now)
	}
	got, err := s.Group(ctx, g.ID)
	must(t, err)
	equal(t, "group", got, g)

	g.Name, g.Description, g.AccessStatus = "Operators", "", directory.AccessDefined
	g.Access = directory.DefaultAccess()
	write(t, s, func(tx directory.Tx) error {
		now = tx.Now()
		return tx.UpdateGroup(ctx, &g)
	})
	if g.Version != 2 || !g.UpdatedAt.Equal(now) {
		t.Fatalf("updated group: %+v, transaction time %v", g, now)
	}
	got, err = s.Group(ctx, g.ID)
	must(t, err)
	equal(t, "updated group", got, g)

	_, err = s.Group(ctx, g.ID+100)
	wantKind(t, err, directory.KindNotFound)
	err = s.Write(ctx, func(tx directory.Tx) error {
		missing := g
		missing.ID += 100
		return tx.UpdateGroup(ctx, &missing)
	})
	wantKind(t, err, directory.KindNotFound)
	err = s.Write(ctx, func(tx directory.Tx) error { return tx.DeleteGroup(ctx, g.ID+100) })
	wantKind(t, err, directory.KindNotFound)
}

// testGroupBeyondInsightFields checks that Active, Permissions and
// RegistrationIDs read back as written, empty lists as nil.
func testGroupBeyondInsightFields(t *testing.T, open Opener) {
	s := openStore(t, open)
	g := group("BI")
	g.Active = false
	g.Permissions = []directory.GroupPermission{{PermissionID: directory.PermUserAccounts, Level: directory.LevelReadWrite},
		{PermissionID: directory.PermQuarantine, Level: directory.LevelRead}}
	g.RegistrationIDs = []int64{7, 3}
	empty := group("empty lists")
	empty.Permissions, empty.RegistrationIDs = []directory.GroupPermission{}, []int64{}
	write(t, s, func(tx directory.Tx) error {
		if err := tx.CreateGroup(ctx, &g); err != nil {
			return err
		}
		return tx.CreateGroup(ctx, &empty)
	})
	got, err := s.Group(ctx, g.ID)
	must(t, err)
	equal(t, "group", got, g)
	got, err = s.Group(ctx, empty.ID)
	must(t, err)
	empty.Permissions, empty.RegistrationIDs = nil, nil
	equal(t, "group with empty lists", got, empty)

	g.Active, g.Permissions, g.RegistrationIDs = true, nil, []int64{3}
	write(t, s, func(tx directory.Tx) error { return tx.UpdateGroup(ctx, &g) })
	page, err := s.Groups(ctx, directory.Query{Filter: directory.Eq(directory.GroupID, g.ID), Limit: 10})
	must(t, err)
	equal(t, "updated group", page.Items, []directory.Group{g})
}

func testGroupNameUnique(t *testing.T, open Opener) {
	s := openStore(t, open)
	createGroup(t, s, "Admins")
	other := createGroup(t, s, "Operators")
	dup := group("ADMINS")
	err := s.Write(ctx, func(tx directory.Tx) error { return tx.CreateGroup(ctx, &dup) })
	wantConflict(t, err, directory.FieldName)
	other.Name = "admins"
	err = s.Write(ctx, func(tx directory.Tx) error { return tx.UpdateGroup(ctx, &other) })
	wantConflict(t, err, directory.FieldName)
}

func testGroupFilters(t *testing.T, open Opener) {
	s := openStore(t, open)
	var groups []directory.Group
	for i, name := range []string{"Admins", "admins-eu", "Operators"} {
		g := group(name)
		g.ExternalID = []string{"X-1", "x-1", ""}[i]
		g.Source = []directory.Source{directory.SourceLocal, directory.SourceSCIM, directory.SourceLocal}[i]
		write(t, s, func(tx directory.Tx) error { return tx.CreateGroup(ctx, &g) })
		groups = append(groups, g)
	}
	id := func(i int) int64 { return groups[i].ID }
	for _, c := range []struct {
		filter directory.Expr
		sort   []directory.SortKey
		want   []int64
	}{
		{directory.Eq(directory.GroupName, "ADMINS"), nil, []int64{id(0)}},
		{cmp(directory.GroupName, directory.OpSw, "admins"), nil, []int64{id(0), id(1)}},
		{directory.Eq(directory.GroupExternalID, "x-1"), nil, []int64{id(1)}},
		{directory.Present{Attr: directory.GroupExternalID}, nil, []int64{id(0), id(1)}},
		{directory.Eq(directory.GroupSource, "scim"), nil, []int64{id(1)}},
		{cmp(directory.GroupID, directory.OpGe, id(1)), nil, []int64{id(1), id(2)}},
		{cmp(directory.GroupCreatedAt, directory.OpGt, groups[0].CreatedAt), nil, []int64{id(1), id(2)}},
		{cmp(directory.GroupUpdatedAt, directory.OpLe, groups[1].UpdatedAt), nil, []int64{id(0), id(1)}},
		{nil, []directory.SortKey{{Attr: directory.GroupName, Desc: true}}, []int64{id(2), id(1), id(0)}},
		{nil, []directory.SortKey{{Attr: directory.GroupExternalID}}, []int64{id(2), id(0), id(1)}},
	} {
		page, err := s.Groups(ctx, directory.Query{Filter: c.filter, Sort: c.sort, Limit: 10})
		must(t, err)
		if got := ids(page.Items); !slices.Equal(got, c.want) || page.Total != len(c.want) {
			t.Errorf("%v sorted %v: got %v (total %d), want %v", c.filter, c.sort, got, page.Total, c.want)
		}
	}
}

func testGroupDeleteCascades(t *testing.T, open Opener) {
	s := openStore(t, open)
	users := createUsers(t, s, "a", "b")
	gone, stays := createGroup(t, s, "gone"), createGroup(t, s, "stays")
	addUsers(t, s, gone, users...)
	addUsers(t, s, stays, users[0])
	write(t, s, func(tx directory.Tx) error {
		m := directory.Member{GroupID: gone.ID, SecurityProviderID: directory.LocalProviderID, GroupName: "external"}
		if err := tx.AddMember(ctx, &m); err != nil {
			return err
		}
		return tx.DeleteGroup(ctx, gone.ID)
	})
	_, err := s.Group(ctx, gone.ID)
	wantKind(t, err, directory.KindNotFound)
	members, err := s.Members(ctx, gone.ID, directory.Query{})
	must(t, err)
	if members.Total != 0 {
		t.Fatalf("a deleted group still has %d members", members.Total)
	}
	got, err := s.UserGroupIDs(ctx, ids(users))
	must(t, err)
	equal(t, "group ids", got, map[int64][]int64{users[0].ID: {stays.ID}})
	// The name is free again.
	createGroup(t, s, "gone")
}

func testUserGroups(t *testing.T, open Opener) {
	s := openStore(t, open)
	users := createUsers(t, s, "a", "b")
	var groups []directory.Group
	for i := range 5 {
		groups = append(groups, createGroup(t, s, fmt.Sprintf("g%d", 5-i)))
	}
	// Added out of order; listed in priority (ID) order.
	addUsers(t, s, groups[3], users[0])
	addUsers(t, s, groups[0], users[0])
	addUsers(t, s, groups[4], users[0])
	addUsers(t, s, groups[1], users[1])
	page, err := s.UserGroups(ctx, users[0].ID, directory.Query{Limit: 2})
	must(t, err)
	if !slices.Equal(ids(page.Items), []int64{groups[0].ID, groups[3].ID}) || page.Total != 3 {
		t.Fatalf("first page: %v total %d", ids(page.Items), page.Total)
	}
	page, err = s.UserGroups(ctx, users[0].ID, directory.Query{Offset: 2, Limit: 2})
	must(t, err)
	if !slices.Equal(ids(page.Items), []int64{groups[4].ID}) || page.Total != 3 {
		t.Fatalf("second page: %v total %d", ids(page.Items), page.Total)
	}
	page, err = s.UserGroups(ctx, users[0].ID, directory.Query{Filter: directory.Eq(directory.GroupName, "G1"), Limit: 10})
	must(t, err)
	equal(t, "filtered", ids(page.Items), []int64{groups[4].ID})
	page, err = s.UserGroups(ctx, users[0].ID, directory.Query{Sort: []directory.SortKey{{Attr: directory.GroupName}}, Limit: 10})
	must(t, err)
	equal(t, "sorted by name", ids(page.Items), []int64{groups[4].ID, groups[3].ID, groups[0].ID})
	page, err = s.UserGroups(ctx, 999999, directory.Query{Limit: 10})
	must(t, err)
	equal(t, "groups of no one", page, directory.Page[directory.Group]{Items: []directory.Group{}})
}

func testUserGroupIDs(t *testing.T, open Opener) {
	s := openStore(t, open)
	// More users than one IN list takes.
	names := make([]string, 1005)
	for i := range names {
		names[i] = fmt.Sprintf("u%04d", i)
	}
	users := createUsers(t, s, names...)
	g1, g2, g3 := createGroup(t, s, "g1"), createGroup(t, s, "g2"), createGroup(t, s, "g3")
	first, last := users[0], users[len(users)-1]
	addUsers(t, s, g3, first, last)
	addUsers(t, s, g1, first)
	addUsers(t, s, g2, last)
	got, err := s.UserGroupIDs(ctx, ids(users))
	must(t, err)
	equal(t, "group ids", got, map[int64][]int64{first.ID: {g1.ID, g3.ID}, last.ID: {g2.ID, g3.ID}})
	got, err = s.UserGroupIDs(ctx, nil)
	must(t, err)
	equal(t, "group ids of no one", got, map[int64][]int64{})
}
