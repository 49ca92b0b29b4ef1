package storetest

import (
	"slices"
	"strings"
	"testing"

	"github.com/gatehouse/gatehouse/internal/directory"
)

var membershipCases = []testCase{
	{"FilterUsersByGroup", testFilterUsersByGroup},
	{"FilterGroupsByMember", testFilterGroupsByMember},
	{"MembershipFilterPages", testMembershipFilterPages},
	{"MembershipFilterErrors", testMembershipFilterErrors},
	{"LongMembershipFilters", testLongMembershipFilters},
}

// membershipFixture is five users and four groups: g1 has alice, bob and
// carol; g2 has bob and dave; g3 has only an external group as a member,
// which is no user; g4 has nobody. eve is in no group.
type membershipFixture struct {
	users  map[string]directory.User
	groups map[string]directory.Group
	names  []string // the users' names in id order
}

func newMembershipFixture(t *testing.T, s directory.Store) membershipFixture {
	t.Helper()
	f := membershipFixture{users: map[string]directory.User{}, groups: map[string]directory.Group{},
		names: []string{"alice", "bob", "carol", "dave", "eve"}}
	for _, u := range createUsers(t, s, f.names...) {
		f.users[u.Username] = u
	}
	for _, name := range []string{"g1", "g2", "g3", "g4"} {
		f.groups[name] = createGroup(t, s, name)
	}
	addUsers(t, s, f.groups["g1"], f.users["alice"], f.users["bob"], f.users["carol"])
	addUsers(t, s, f.groups["g2"], f.users["dave"], f.users["bob"])
	write(t, s, func(tx directory.Tx) error {
		m := directory.Member{GroupID: f.groups["g3"].ID, SecurityProviderID: directory.LocalProviderID, GroupName: "Engineering"}
		return tx.AddMember(ctx, &m)
	})
	return f
}

func (f membershipFixture) user(name string) int64  { return f.users[name].ID }
func (f membershipFixture) group(name string) int64 { return f.groups[name].ID }

func inGroup(g int64) directory.Expr { return directory.Eq(directory.UserGroup, g) }
func notInGroup(g int64) directory.Expr {
	return directory.Compare{Attr: directory.UserGroup, Op: directory.OpNe, Value: g}
}
func hasMember(u int64) directory.Expr { return directory.Eq(directory.GroupMember, u) }
func lacksMember(u int64) directory.Expr {
	return directory.Compare{Attr: directory.GroupMember, Op: directory.OpNe, Value: u}
}

// testFilterUsersByGroup checks UserGroup alone and combined, on the users
// list and on a group's member users, which compile the same filters.
func testFilterUsersByGroup(t *testing.T, open Opener) {
	s := openStore(t, open)
	f := newMembershipFixture(t, s)
	g1, g2, g3, g4 := f.group("g1"), f.group("g2"), f.group("g3"), f.group("g4")
	const missing = int64(999999)
	all := f.names
	none := []string{}
	cases := []struct {
		name   string
		filter directory.Expr
		want   []string
	}{
		{"eq", inGroup(g1), []string{"alice", "bob", "carol"}},
		{"eq other", inGroup(g2), []string{"bob", "dave"}},
		{"eq group of no users", inGroup(g3), none},
		{"eq empty group", inGroup(g4), none},
		{"eq missing group", inGroup(missing), none},
		{"ne", notInGroup(g1), []string{"dave", "eve"}},
		{"ne empty group", notInGroup(g4), all},
		{"ne missing group", notInGroup(missing), all},
		{"present", directory.Present{Attr: directory.UserGroup}, []string{"alice", "bob", "carol", "dave"}},
		{"not present", directory.Not{X: directory.Present{Attr: directory.UserGroup}}, []string{"eve"}},
		{"not eq", directory.Not{X: inGroup(g1)}, []string{"dave", "eve"}},
		{"not ne", directory.Not{X: notInGroup(g2)}, []string{"bob", "dave"}},
		{"or of eq, no IN list", directory.Or{inGroup(g1), inGroup(g2)}, []string{"alice", "bob", "carol", "dave"}},
		{"or of eq with missing", directory.Or{inGroup(missing), inGroup(g2), inGroup(g4)}, []string{"bob", "dave"}},
		{"or of ne", directory.Or{notInGroup(g1), notInGroup(g2)}, []string{"alice", "carol", "dave", "eve"}},
		{"and of eq", directory.And{inGroup(g1), inGroup(g2)}, []string{"bob"}},
		{"and eq ne", directory.And{inGroup(g1), notInGroup(g2)}, []string{"alice", "carol"}},
		{"and with a column", directory.And{inGroup(g1), cmp(directory.UserUsername, directory.OpSw, "C")}, []string{"carol"}},
		{"or with a column", directory.Or{inGroup(g2), directory.Eq(directory.UserUsername, "EVE")}, []string{"bob", "dave", "eve"}},
		{"or with ids", directory.Or{directory.Eq(directory.UserID, f.user("eve")), inGroup(g2),
			directory.Eq(directory.UserID, f.user("alice"))}, []string{"alice", "bob", "dave", "eve"}},
		{"not or", directory.Not{X: directory.Or{inGroup(g1), inGroup(g2)}}, []string{"eve"}},
		{"not and", directory.Not{X: directory.And{inGroup(g1), inGroup(g2)}}, []string{"alice", "carol", "dave", "eve"}},
		{"nested", directory.Or{
			directory.And{inGroup(g1), directory.Not{X: directory.Eq(directory.UserUsername, "alice")}},
			directory.And{directory.Not{X: directory.Present{Attr: directory.UserGroup}}, directory.Present{Attr: directory.UserEmail}},
		}, []string{"bob", "carol"}},
		{"id IN list beside a membership", directory.And{inGroup(g1), directory.Or{directory.Eq(directory.UserID, f.user("alice")),
			directory.Eq(directory.UserID, f.user("dave"))}}, []string{"alice"}},
	}
	for _, c := range cases {
		page, err := s.Users(ctx, directory.Query{Filter: c.filter, Limit: 100})
		if err != nil {
			t.Errorf("%s: %v", c.name, err)
			continue
		}
		if got := usernames(page.Items); !slices.Equal(got, c.want) || page.Total != len(c.want) {
			t.Errorf("%s: got %q (total %d), want %q", c.name, got, page.Total, c.want)
		}
		// Among g2's member users: bob and dave only.
		want := slices.DeleteFunc(slices.Clone(c.want), func(n string) bool { return n != "bob" && n != "dave" })
		page, err = s.MemberUsers(ctx, g2, directory.Query{Filter: c.filter, Limit: 100})
		if err != nil {
			t.Errorf("%s, members of g2: %v", c.name, err)
		} else if got := usernames(page.Items); !slices.Equal(got, want) || page.Total != len(want) {
			t.Errorf("%s, members of g2: got %q (total %d), want %q", c.name, got, page.Total, want)
		}
	}
}

// testFilterGroupsByMember checks GroupMember alone and combined, on the
// groups list and on a user's groups.
func testFilterGroupsByMember(t *testing.T, open Opener) {
	s := openStore(t, open)
	f := newMembershipFixture(t, s)
	alice, bob, dave, eve := f.user("alice"), f.user("bob"), f.user("dave"), f.user("eve")
	const missing = int64(999999)
	all := []string{"g1", "g2", "g3", "g4"}
	none := []string{}
	cases := []struct {
		name   string
		filter directory.Expr
		want   []string
	}{
		{"eq", hasMember(alice), []string{"g1"}},
		{"eq two groups", hasMember(bob), []string{"g1", "g2"}},
		{"eq user in no group", hasMember(eve), none},
		{"eq missing user", hasMember(missing), none},
		{"ne", lacksMember(bob), []string{"g3", "g4"}},
		{"ne missing user", lacksMember(missing), all},
		// g3's only member is an external group, which is no user.
		{"present", directory.Present{Attr: directory.GroupMember}, []string{"g1", "g2"}},
		{"not present", directory.Not{X: directory.Present{Attr: directory.GroupMember}}, []string{"g3", "g4"}},
		{"not eq", directory.Not{X: hasMember(alice)}, []string{"g2", "g3", "g4"}},
		{"or of eq, no IN list", directory.Or{hasMember(alice), hasMember(dave)}, []string{"g1", "g2"}},
		{"or of eq with missing", directory.Or{hasMember(missing), hasMember(dave)}, []string{"g2"}},
		{"and of eq", directory.And{hasMember(alice), hasMember(bob)}, []string{"g1"}},
		{"and eq ne", directory.And{hasMember(bob), lacksMember(alice)}, []string{"g2"}},
		{"and with a column", directory.And{hasMember(bob), directory.Eq(directory.GroupName, "G2")}, []string{"g2"}},
		{"or with a column", directory.Or{hasMember(dave), directory.Eq(directory.GroupName, "g4")}, []string{"g2", "g4"}},
		{"not or", directory.Not{X: directory.Or{hasMember(alice), hasMember(dave)}}, []string{"g3", "g4"}},
		{"present and ne", directory.And{directory.Present{Attr: directory.GroupMember}, lacksMember(alice)}, []string{"g2"}},
		{"id IN list beside a membership", directory.And{hasMember(bob), directory.Or{directory.Eq(directory.GroupID, f.group("g2")),
			directory.Eq(directory.GroupID, f.group("g3"))}}, []string{"g2"}},
	}
	name := func(gs []directory.Group) []string {
		out := make([]string, len(gs))
		for i, g := range gs {
			out[i] = g.Name
		}
		return out
	}
	for _, c := range cases {
		page, err := s.Groups(ctx, directory.Query{Filter: c.filter, Limit: 100})
		if err != nil {
			t.Errorf("%s: %v", c.name, err)
			continue
		}
		if got := name(page.Items); !slices.Equal(got, c.want) || page.Total != len(c.want) {
			t.Errorf("%s: got %q (total %d), want %q", c.name, got, page.Total, c.want)
		}
		// Among bob's groups: g1 and g2 only.
		want := slices.DeleteFunc(slices.Clone(c.want), func(n string) bool { return n != "g1" && n != "g2" })
		page, err = s.UserGroups(ctx, bob, directory.Query{Filter: c.filter, Limit: 100})
		if err != nil {
			t.Errorf("%s, groups of bob: %v", c.name, err)
		} else if got := name(page.Items); !slices.Equal(got, want) || page.Total != len(want) {
			t.Errorf("%s, groups of bob: got %q (total %d), want %q", c.name, got, page.Total, want)
		}
	}
}

// testMembershipFilterPages pages through membership filters, sorted and
// not, so that both the page and the count that follows a full page
// compile them.
func testMembershipFilterPages(t *testing.T, open Opener) {
	s := openStore(t, open)
	f := newMembershipFixture(t, s)
	more := createUsers(t, s, "frank", "grace", "heidi", "ivan")
	addUsers(t, s, f.groups["g1"], more...)
	inG1 := []string{"alice", "bob", "carol", "frank", "grace", "heidi", "ivan"}
	byName := directory.Query{Filter: directory.And{inGroup(f.group("g1")), notInGroup(f.group("g2"))},
		Sort: []directory.SortKey{{Attr: directory.UserUsername, Desc: true}}}
	want := []string{"ivan", "heidi", "grace", "frank", "carol", "alice"}
	for _, c := range []struct {
		q    directory.Query
		want []string
	}{
		{directory.Query{Filter: inGroup(f.group("g1"))}, inG1},
		{byName, want},
	} {
		for _, limit := range []int{1, 2, 3, 7} {
			var got []string
			for offset := 0; offset < len(c.want)+limit; offset += limit {
				q := c.q
				q.Offset, q.Limit = offset, limit
				page, err := s.Users(ctx, q)
				must(t, err)
				if page.Total != len(c.want) {
					t.Fatalf("%v limit %d offset %d: total %d, want %d", q.Filter, limit, offset, page.Total, len(c.want))
				}
				got = append(got, usernames(page.Items)...)
			}
			equal(t, "pages of users", got, c.want)
		}
	}
	// Counting alone, and a page past the end, count with the filter.
	page, err := s.Users(ctx, directory.Query{Filter: directory.Present{Attr: directory.UserGroup}})
	must(t, err)
	equal(t, "users in any group", page.Total, 8)
	page, err = s.MemberUsers(ctx, f.group("g1"), directory.Query{Filter: inGroup(f.group("g2")), Offset: 5, Limit: 2})
	must(t, err)
	if len(page.Items) != 0 || page.Total != 1 {
		t.Fatalf("members of g1 in g2 past the end: %d items, total %d", len(page.Items), page.Total)
	}

	groups, err := s.Groups(ctx, directory.Query{Filter: directory.Present{Attr: directory.GroupMember},
		Sort: []directory.SortKey{{Attr: directory.GroupName, Desc: true}}, Limit: 1})
	must(t, err)
	equal(t, "first group with members", ids(groups.Items), []int64{f.group("g2")})
	equal(t, "groups with members", groups.Total, 2)
	groups, err = s.Groups(ctx, directory.Query{Filter: lacksMember(f.user("alice")), Offset: 1, Limit: 2})
	must(t, err)
	equal(t, "groups without alice, second page", ids(groups.Items), []int64{f.group("g3"), f.group("g4")})
	equal(t, "groups without alice", groups.Total, 3)
	groups, err = s.UserGroups(ctx, f.user("bob"), directory.Query{Filter: hasMember(f.user("dave")), Offset: 0, Limit: 1})
	must(t, err)
	equal(t, "bob's groups with dave", ids(groups.Items), []int64{f.group("g2")})
	equal(t, "bob's groups with dave, total", groups.Total, 1)
}

// testMembershipFilterErrors checks that what a membership cannot do is a
// clear error, never SQL that fails or a wrong answer.
func testMembershipFilterErrors(t *testing.T, open Opener) {
	s := openStore(t, open)
	f := newMembershipFixture(t, s)
	check := func(what string, err error, says string) {
		t.Helper()
		if _, ok := directory.AsError(err); ok || err == nil {
			t.Errorf("%s: got %v, want a non-domain error", what, err)
		} else if !strings.Contains(err.Error(), says) {
			t.Errorf("%s: got %q, want it to say %q", what, err, says)
		}
	}
	sortBy := func(a directory.Attr) []directory.SortKey { return []directory.SortKey{{Attr: a}} }
	_, err := s.Users(ctx, directory.Query{Sort: sortBy(directory.UserGroup), Limit: 10})
	check("users sorted by group", err, "membership")
	_, err = s.Users(ctx, directory.Query{Sort: sortBy(directory.UserGroup)}) // even when only counting
	check("users counted sorted by group", err, "membership")
	_, err = s.MemberUsers(ctx, f.group("g1"), directory.Query{Sort: sortBy(directory.UserGroup), Limit: 10})
	check("member users sorted by group", err, "membership")
	_, err = s.Groups(ctx, directory.Query{Sort: sortBy(directory.GroupMember), Limit: 10})
	check("groups sorted by member", err, "membership")
	_, err = s.UserGroups(ctx, f.user("bob"), directory.Query{Sort: sortBy(directory.GroupMember), Limit: 10})
	check("user groups sorted by member", err, "membership")
	for _, op := range []directory.Op{directory.OpGt, directory.OpGe, directory.OpLt, directory.OpLe} {
		_, err = s.Users(ctx, directory.Query{Filter: cmp(directory.UserGroup, op, f.group("g1")), Limit: 10})
		check("users by group "+string(op), err, "only eq and ne")
		_, err = s.Groups(ctx, directory.Query{Filter: cmp(directory.GroupMember, op, f.user("bob")), Limit: 10})
		check("groups by member "+string(op), err, "only eq and ne")
	}
	_, err = s.Users(ctx, directory.Query{Filter: directory.Eq(directory.UserGroup, "g1"), Limit: 10})
	check("group as a name", err, "does not take")
	_, err = s.Users(ctx, directory.Query{Filter: hasMember(f.user("bob")), Limit: 10})
	check("users by member", err, "does not apply")
	_, err = s.Groups(ctx, directory.Query{Filter: inGroup(f.group("g1")), Limit: 10})
	check("groups by group", err, "does not apply")
	_, err = s.Members(ctx, f.group("g1"), directory.Query{Filter: directory.Present{Attr: directory.UserGroup}, Limit: 10})
	check("members by group", err, "does not apply")
	_, err = s.TeamUsers(ctx, 1, directory.Query{Filter: inGroup(f.group("g1")), Limit: 10})
	check("team users by group", err, "does not apply")
}

// testLongMembershipFilters checks Or and And lists as long as the limits
// allow, longer than SQLite lets a flat list be (its expression depth is
// 1000), and that a filter over the limits is a KindInvalid error, not a
// query that takes minutes to plan.
func testLongMembershipFilters(t *testing.T, open Opener) {
	s := openStore(t, open)
	f := newMembershipFixture(t, s)
	var anyGroup directory.Or
	for i := range int64(directory.MaxMembershipTests) {
		g := 1000000 + i // no such groups, but for g2 at the end
		if i == directory.MaxMembershipTests-1 {
			g = f.group("g2")
		}
		anyGroup = append(anyGroup, inGroup(g))
	}
	page, err := s.Users(ctx, directory.Query{Filter: anyGroup, Limit: 10})
	must(t, err)
	equal(t, "users in any of many groups", usernames(page.Items), []string{"bob", "dave"})

	notOthers := directory.And{directory.Present{Attr: directory.UserGroup}, notInGroup(f.group("g1"))}
	for i := range int64(directory.MaxFilterTests - 2) {
		notOthers = append(notOthers, cmp(directory.UserID, directory.OpNe, 1000000+i))
	}
	page, err = s.Users(ctx, directory.Query{Filter: notOthers, Limit: 10})
	must(t, err)
	equal(t, "users in a group but g1, of a long and", usernames(page.Items), []string{"dave"})

	_, err = s.Users(ctx, directory.Query{Filter: append(anyGroup, inGroup(1)), Limit: 10})
	wantKind(t, err, directory.KindInvalid)
	_, err = s.Users(ctx, directory.Query{Filter: append(notOthers, cmp(directory.UserID, directory.OpNe, int64(1))), Limit: 10})
	wantKind(t, err, directory.KindInvalid)
}
