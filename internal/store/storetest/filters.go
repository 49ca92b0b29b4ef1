package storetest

import (
	"slices"
	"testing"

	"github.com/gatehouse/gatehouse/internal/directory"
)

var filterCases = []testCase{
	{"FilterUsers", testFilterUsers},
	{"FilterErrors", testFilterErrors},
	{"FilterNonASCII", testFilterNonASCII},
}

// filterFixture creates six users, each in its own transaction so that
// their times differ, and returns them by username.
func filterFixture(t *testing.T, s directory.Store) (map[string]directory.User, []string) {
	t.Helper()
	ldap := directory.SecurityProvider{Type: directory.ProviderLDAP, Name: "LDAP", Enabled: true, UserAuthentication: true}
	write(t, s, func(tx directory.Tx) error { return tx.CreateSecurityProvider(ctx, &ldap) })

	alice := user("alice")
	alice.FirstName, alice.LastName, alice.DisplayName = "Alice", "Smith", "Alice Smith"
	alice.Email, alice.ExternalID = "alice@example.com", "ext-A"
	bob := user("Bob")
	bob.FirstName, bob.LastName = "Bob", "Jones"
	bob.Email, bob.ExternalID, bob.Enabled = "BOB@Example.COM", "EXT-b", false
	carol := user("carol_100%")
	carol.DisplayName, carol.Locale = `C\D`, "fr"
	dave := user("dave' OR 1=1 --")
	dave.DisplayName, dave.Email, dave.Quarantined = "Dave", "d@x.org", true
	dave.DomainName = "Example.ORG"
	eve := user("eve")
	eve.Email, eve.Source, eve.Locale = "eve@example.com", directory.SourceSCIM, "de"
	eve.ClientID = "Eve-Client"
	frank := user("frank")
	frank.Email, frank.Source, frank.SecurityProviderID = "frank@example.org", directory.SourceLDAP, ldap.ID
	frank.DomainName, frank.DistinguishedName = "corp.example.com", "CN=frank,DC=corp,DC=example,DC=com"

	byName := map[string]directory.User{}
	var names []string
	for _, u := range []directory.User{alice, bob, carol, dave, eve, frank} {
		write(t, s, func(tx directory.Tx) error { return tx.CreateUser(ctx, &u) })
		byName[u.Username] = u
		names = append(names, u.Username)
	}
	return byName, names
}

const (
	alice = "alice"
	bob   = "Bob"
	carol = "carol_100%"
	dave  = "dave' OR 1=1 --"
	eve   = "eve"
	frank = "frank"
)

func cmp(a directory.Attr, op directory.Op, v any) directory.Expr {
	return directory.Compare{Attr: a, Op: op, Value: v}
}

func testFilterUsers(t *testing.T, open Opener) {
	s := openStore(t, open)
	u, all := filterFixture(t, s)
	except := func(names ...string) []string {
		return slices.DeleteFunc(slices.Clone(all), func(n string) bool { return slices.Contains(names, n) })
	}
	none := []string{}
	cases := []struct {
		name   string
		filter directory.Expr
		want   []string
	}{
		{"eq folds case", directory.Eq(directory.UserUsername, "ALICE"), []string{alice}},
		{"eq is not a prefix match", directory.Eq(directory.UserUsername, "alic"), none},
		{"ne", cmp(directory.UserUsername, directory.OpNe, "alice"), except(alice)},
		{"ne keeps absent values", cmp(directory.UserEmail, directory.OpNe, "alice@example.com"), except(alice)},
		{"ne folds case", cmp(directory.UserEmail, directory.OpNe, "bob@example.com"), except(bob)},
		{"eq empty matches absent", directory.Eq(directory.UserEmail, ""), []string{carol}},
		{"ne empty", cmp(directory.UserEmail, directory.OpNe, ""), except(carol)},
		{"present", directory.Present{Attr: directory.UserEmail}, except(carol)},
		{"not present", directory.Not{X: directory.Present{Attr: directory.UserEmail}}, []string{carol}},
		{"present case-exact", directory.Present{Attr: directory.UserExternalID}, []string{alice, bob}},
		{"present bool", directory.Present{Attr: directory.UserEnabled}, all},
		{"present int", directory.Present{Attr: directory.UserID}, all},
		{"present time", directory.Present{Attr: directory.UserCreatedAt}, all},
		{"co folds case", cmp(directory.UserEmail, directory.OpCo, "EXAMPLE.COM"), []string{alice, bob, eve}},
		{"sw", cmp(directory.UserUsername, directory.OpSw, "CA"), []string{carol}},
		{"ew", cmp(directory.UserEmail, directory.OpEw, ".ORG"), []string{dave, frank}},
		{"co percent is literal", cmp(directory.UserUsername, directory.OpCo, "%"), []string{carol}},
		{"co percent is no wildcard", cmp(directory.UserUsername, directory.OpCo, "a%e"), none},
		{"co underscore is literal", cmp(directory.UserUsername, directory.OpCo, "_"), []string{carol}},
		{"sw underscore is no wildcard", cmp(directory.UserUsername, directory.OpSw, "caro_"), none},
		{"sw with underscore", cmp(directory.UserUsername, directory.OpSw, "carol_1"), []string{carol}},
		{"ew percent", cmp(directory.UserUsername, directory.OpEw, "0%"), []string{carol}},
		{"co backslash is literal", cmp(directory.UserDisplayName, directory.OpCo, `\`), []string{carol}},
		{"co backslash escapes nothing", cmp(directory.UserDisplayName, directory.OpCo, `\d`), []string{carol}},
		{"eq backslash", directory.Eq(directory.UserDisplayName, `c\d`), []string{carol}},
		{"injection as a value", directory.Eq(directory.UserUsername, "' OR 1=1 --"), none},
		{"injection stored and found", directory.Eq(directory.UserUsername, "DAVE' or 1=1 --"), []string{dave}},
		{"injection in LIKE", cmp(directory.UserUsername, directory.OpCo, "' OR '1'='1"), none},
		{"quote in LIKE", cmp(directory.UserUsername, directory.OpCo, "'"), []string{dave}},
		{"gt folds case", cmp(directory.UserUsername, directory.OpGt, "BOB"), []string{carol, dave, eve, frank}},
		{"ge", cmp(directory.UserUsername, directory.OpGe, "EVE"), []string{eve, frank}},
		{"lt", cmp(directory.UserUsername, directory.OpLt, "bob"), []string{alice}},
		{"le", cmp(directory.UserUsername, directory.OpLe, "Carol_100%"), []string{alice, bob, carol}},
		{"case-exact eq", directory.Eq(directory.UserExternalID, "ext-a"), none},
		{"case-exact eq matches", directory.Eq(directory.UserExternalID, "ext-A"), []string{alice}},
		{"case-exact co", cmp(directory.UserExternalID, directory.OpCo, "EXT"), []string{bob}},
		{"case-exact sw", cmp(directory.UserExternalID, directory.OpSw, "ext"), []string{alice}},
		{"case-exact ne", cmp(directory.UserExternalID, directory.OpNe, "ext-a"), all},
		{"case-exact gt", cmp(directory.UserExternalID, directory.OpGt, "EXT-c"), []string{alice}},
		{"source", directory.Eq(directory.UserSource, "scim"), []string{eve}},
		{"source is case-exact", directory.Eq(directory.UserSource, "SCIM"), none},
		{"locale folds case", directory.Eq(directory.UserLocale, "FR"), []string{carol}},
		{"first name", directory.Eq(directory.UserFirstName, "bob"), []string{bob}},
		{"last name", cmp(directory.UserLastName, directory.OpCo, "MIT"), []string{alice}},
		{"display name", directory.Eq(directory.UserDisplayName, "dave"), []string{dave}},
		{"bool eq", directory.Eq(directory.UserEnabled, false), []string{bob}},
		{"bool ne", cmp(directory.UserEnabled, directory.OpNe, true), []string{bob}},
		{"bool gt", cmp(directory.UserEnabled, directory.OpGt, false), except(bob)},
		{"bool le", cmp(directory.UserEnabled, directory.OpLe, false), []string{bob}},
		{"quarantined", directory.Eq(directory.UserQuarantined, true), []string{dave}},
		{"int eq", directory.Eq(directory.UserSecurityProviderID, u[frank].SecurityProviderID), []string{frank}},
		{"int ne", cmp(directory.UserSecurityProviderID, directory.OpNe, directory.LocalProviderID), []string{frank}},
		{"id gt", cmp(directory.UserID, directory.OpGt, u[carol].ID), []string{dave, eve, frank}},
		{"id ge", cmp(directory.UserID, directory.OpGe, u[carol].ID), []string{carol, dave, eve, frank}},
		{"id lt", cmp(directory.UserID, directory.OpLt, u[carol].ID), []string{alice, bob}},
		{"id le", cmp(directory.UserID, directory.OpLe, u[carol].ID), []string{alice, bob, carol}},
		{"time eq", directory.Eq(directory.UserCreatedAt, u[carol].CreatedAt), []string{carol}},
		{"time ne", cmp(directory.UserCreatedAt, directory.OpNe, u[carol].CreatedAt), except(carol)},
		{"time gt", cmp(directory.UserCreatedAt, directory.OpGt, u[carol].CreatedAt), []string{dave, eve, frank}},
		{"time ge", cmp(directory.UserCreatedAt, directory.OpGe, u[carol].CreatedAt), []string{carol, dave, eve, frank}},
		{"time lt", cmp(directory.UserCreatedAt, directory.OpLt, u[carol].CreatedAt), []string{alice, bob}},
		{"time le", cmp(directory.UserUpdatedAt, directory.OpLe, u[carol].UpdatedAt), []string{alice, bob, carol}},
		{"ids as IN", directory.Or{directory.Eq(directory.UserID, u[alice].ID), directory.Eq(directory.UserID, u[eve].ID)}, []string{alice, eve}},
		{"names as IN fold case", directory.Or{directory.Eq(directory.UserUsername, "ALICE"),
			directory.Eq(directory.UserUsername, "bob"), directory.Eq(directory.UserUsername, "nobody")}, []string{alice, bob}},
		{"and", directory.And{directory.Eq(directory.UserEnabled, true), cmp(directory.UserEmail, directory.OpEw, "example.com")}, []string{alice, eve}},
		{"empty and matches all", directory.And{}, all},
		{"empty or matches none", directory.Or{}, none},
		{"or", directory.Or{directory.Eq(directory.UserQuarantined, true), directory.Eq(directory.UserSource, "ldap")}, []string{dave, frank}},
		{"not", directory.Not{X: directory.Eq(directory.UserEnabled, true)}, []string{bob}},
		{"not or", directory.Not{X: directory.Or{directory.Eq(directory.UserUsername, "alice"),
			directory.Present{Attr: directory.UserExternalID}}}, []string{carol, dave, eve, frank}},
		{"not and", directory.Not{X: directory.And{directory.Eq(directory.UserEnabled, true),
			directory.Present{Attr: directory.UserEmail}}}, []string{bob, carol}},
		{"double not", directory.Not{X: directory.Not{X: directory.Eq(directory.UserUsername, "eve")}}, []string{eve}},
		{"nested", directory.Or{
			directory.And{directory.Eq(directory.UserEnabled, true), cmp(directory.UserUsername, directory.OpCo, "a")},
			directory.Not{X: directory.Present{Attr: directory.UserEmail}},
		}, []string{alice, carol, dave, frank}},
		{"and with nil", directory.And{nil, directory.Eq(directory.UserUsername, "eve")}, []string{eve}},
		{"client id", directory.Eq(directory.UserClientID, "Eve-Client"), []string{eve}},
		{"client id is case-exact", directory.Eq(directory.UserClientID, "eve-client"), none},
		{"client id present", directory.Present{Attr: directory.UserClientID}, []string{eve}},
		{"client ids as IN", directory.Or{directory.Eq(directory.UserClientID, "Eve-Client"),
			directory.Eq(directory.UserClientID, "other")}, []string{eve}},
		{"domain folds case", directory.Eq(directory.UserDomainName, "CORP.example.com"), []string{frank}},
		{"domain sw", cmp(directory.UserDomainName, directory.OpSw, "Corp."), []string{frank}},
		{"domain ew", cmp(directory.UserDomainName, directory.OpEw, ".org"), []string{dave}},
		{"domain absent", directory.Eq(directory.UserDomainName, ""), except(dave, frank)},
		{"domain and source", directory.And{directory.Eq(directory.UserDomainName, "corp.example.com"),
			directory.Eq(directory.UserSource, "ldap")}, []string{frank}},
	}

	// The join of MemberUsers compiles the same filters; frank is no member.
	g := createGroup(t, s, "members")
	var members []directory.User
	for _, n := range except(frank) {
		members = append(members, u[n])
	}
	addUsers(t, s, g, members...)

	for _, c := range cases {
		page, err := s.Users(ctx, directory.Query{Filter: c.filter, Limit: 100})
		if err != nil {
			t.Errorf("%s: %v", c.name, err)
			continue
		}
		if got := usernames(page.Items); !slices.Equal(got, c.want) || page.Total != len(c.want) {
			t.Errorf("%s: got %q (total %d), want %q", c.name, got, page.Total, c.want)
		}
		page, err = s.MemberUsers(ctx, g.ID, directory.Query{Filter: c.filter, Limit: 100})
		want := slices.DeleteFunc(slices.Clone(c.want), func(n string) bool { return n == frank })
		if err != nil {
			t.Errorf("%s, members: %v", c.name, err)
		} else if got := usernames(page.Items); !slices.Equal(got, want) || page.Total != len(want) {
			t.Errorf("%s, members: got %q (total %d), want %q", c.name, got, page.Total, want)
		}
	}
}

// testFilterErrors checks that a filter a list cannot compile is an error,
// not a wrong answer.
func testFilterErrors(t *testing.T, open Opener) {
	s := openStore(t, open)
	createUsers(t, s, "someone")
	g := createGroup(t, s, "g")
	bad := []directory.Query{
		{Filter: directory.Eq(directory.GroupName, "g"), Limit: 10},
		{Filter: directory.Eq("user.nope", "x"), Limit: 10},
		{Filter: directory.Eq(directory.UserUsername, int64(1)), Limit: 10},
		{Filter: cmp(directory.UserEnabled, directory.OpCo, "x"), Limit: 10},
		{Filter: cmp(directory.UserUsername, "like", "x"), Limit: 10},
		{Filter: directory.Or{directory.Eq(directory.UserUsername, "x"), directory.Eq(directory.GroupName, "x")}, Limit: 10},
		{Filter: directory.Present{Attr: directory.TeamName}, Limit: 10},
		{Sort: []directory.SortKey{{Attr: directory.GroupName}}, Limit: 10},
		{Filter: directory.Eq(directory.GroupName, "g")}, // even when only counting
		{Sort: []directory.SortKey{{Attr: directory.GroupName}}},
		{Limit: -1},
		{Offset: -1, Limit: 10},
	}
	for i, q := range bad {
		_, err := s.Users(ctx, q)
		wantInternalAt(t, i, err)
	}
	_, err := s.Members(ctx, g.ID, directory.Query{Filter: directory.Eq(directory.UserID, int64(1)), Limit: 10})
	wantInternalAt(t, len(bad), err)
	_, err = s.Groups(ctx, directory.Query{Filter: directory.Eq(directory.UserUsername, "x"), Limit: 10})
	wantInternalAt(t, len(bad)+1, err)
	_, err = s.SecurityProviders(ctx, directory.Query{Sort: []directory.SortKey{{Attr: directory.UserID}}, Limit: 10})
	wantInternalAt(t, len(bad)+2, err)
}

// wantInternalAt fails t unless query i's error is a non-domain error: the
// kind a programming mistake (an unknown attribute) must produce.
func wantInternalAt(t *testing.T, i int, err error) {
	t.Helper()
	if _, ok := directory.AsError(err); ok || err == nil {
		t.Errorf("query %d: got %v, want a non-domain error", i, err)
	}
}

// testFilterNonASCII checks that text outside ASCII is stored, matched and
// sorted byte for byte, whatever the database's locale. Case folding, in
// filters and in unique names alike, covers ASCII letters only.
func testFilterNonASCII(t *testing.T, open Opener) {
	s := openStore(t, open)
	createUsers(t, s, "Ärger", "日本語", "zoë")
	other := createUsers(t, s, "ärger")[0]
	other.Username = "ZOË"
	write(t, s, func(tx directory.Tx) error { return tx.UpdateUser(ctx, &other) })
	page, err := s.Users(ctx, directory.Query{Sort: []directory.SortKey{{Attr: directory.UserUsername}}, Limit: 10})
	must(t, err)
	equal(t, "sorted by username", usernames(page.Items), []string{"ZOË", "zoë", "Ärger", "日本語"})
	for _, c := range []struct {
		filter directory.Expr
		want   []string
	}{
		{directory.Eq(directory.UserUsername, "Ärger"), []string{"Ärger"}},
		{directory.Eq(directory.UserUsername, "ÄRGER"), []string{"Ärger"}},
		{cmp(directory.UserUsername, directory.OpCo, "本"), []string{"日本語"}},
		{cmp(directory.UserUsername, directory.OpEw, "ë"), []string{"zoë"}},
		{cmp(directory.UserUsername, directory.OpSw, "zo"), []string{"zoë", "ZOË"}},
		// NUL matches nothing (PostgreSQL would refuse it as a parameter).
		{directory.Eq(directory.UserUsername, "zo\x00ë"), nil},
		{cmp(directory.UserUsername, directory.OpCo, "\x00"), nil},
		{directory.Or{directory.Eq(directory.UserUsername, "zoë"), directory.Eq(directory.UserUsername, "\x00")}, []string{"zoë"}},
		{directory.And{cmp(directory.UserUsername, directory.OpNe, "\x00"), directory.Eq(directory.UserUsername, "zoë")}, []string{"zoë"}},
	} {
		page, err := s.Users(ctx, directory.Query{Filter: c.filter, Limit: 10})
		must(t, err)
		if got := usernames(page.Items); !slices.Equal(got, c.want) {
			t.Errorf("%v: got %q, want %q", c.filter, got, c.want)
		}
	}
}
