package dump

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/gatehouse/gatehouse/internal/directory"
	"github.com/gatehouse/gatehouse/internal/pgtest"
	"github.com/gatehouse/gatehouse/internal/store"
	"github.com/gatehouse/gatehouse/internal/testserver"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

var ctx = directory.WithActor(context.Background(), directory.Actor{Kind: "cli"})

// open opens a new, empty store of the kind the test run selects.
func open(t *testing.T) directory.Store {
	t.Helper()
	st, err := store.Open(ctx, testserver.DSN(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

func check(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// populate fills st through the Service, as the faces would, with every
// kind of row, a changed user and a deleted newest one.
func populate(t *testing.T, st directory.Store) {
	t.Helper()
	svc := directory.NewService(st, directory.NewHasher(directory.Argon2Params{MemoryKiB: 64, Time: 1, Threads: 1}))
	ldap := directory.SecurityProvider{Type: directory.ProviderLDAP, Name: "Corp", Enabled: true, UserAuthentication: true,
		GroupLookup: true, Priority: 2}
	check(t, st.Write(ctx, func(tx directory.Tx) error { return tx.CreateSecurityProvider(ctx, &ldap) }))
	set := directory.To[string]
	user := func(in directory.NewUser) directory.User {
		u, err := svc.CreateUser(ctx, in)
		check(t, err)
		return u
	}
	alice := user(directory.NewUser{Admin: true, UserChange: directory.UserChange{
		Username: set("alice"), FirstName: set("Alice"), LastName: set("Liddell"), Email: set("alice@example.com"),
		Password: set("correct horse battery"), Locale: set("fr"), ExternalID: set("ext-1"),
		PasswordExpiration: directory.To(ptr(time.Date(2031, 1, 2, 3, 4, 5, 0, time.UTC)))}})
	bob := user(directory.NewUser{UserChange: directory.UserChange{Username: set("bob"), DisplayName: set("Bob <b>"),
		PublicKey: set("ssh-ed25519 AAAA")}})
	carol := user(directory.NewUser{Source: directory.SourceLDAP, SecurityProviderID: ldap.ID,
		UserChange: directory.UserChange{Username: set("carol")}})
	gone := user(directory.NewUser{UserChange: directory.UserChange{Username: set("gone")}})
	_, err := svc.UpdateUser(ctx, bob.ID, directory.UserChange{TwoFactorRequired: directory.To(true)}, 0)
	check(t, err)
	check(t, svc.DeleteUser(ctx, gone.ID))

	group := func(in directory.NewGroup) directory.Group {
		g, err := svc.CreateGroup(ctx, in)
		check(t, err)
		return g
	}
	access := directory.DefaultAccess()
	access.AccessAllowed, access.SessionIdleTimeout = true, 3600
	admins := group(directory.NewGroup{GroupChange: directory.GroupChange{Name: set("Admins"),
		AccessStatus: directory.To(directory.AccessFinal), Access: directory.To(access)}})
	corp := group(directory.NewGroup{Source: directory.SourceLDAP, SecurityProviderID: ldap.ID,
		GroupChange: directory.GroupChange{Name: set("Corp"), Description: set("from LDAP")}})
	group(directory.NewGroup{GroupChange: directory.GroupChange{Name: set("Empty")}})
	for _, in := range []struct {
		group int64
		m     directory.MemberInput
	}{
		{admins.ID, directory.MemberInput{SecurityProviderID: 1, UserID: alice.ID}},
		{admins.ID, directory.MemberInput{SecurityProviderID: 1, UserID: bob.ID}},
		{corp.ID, directory.MemberInput{SecurityProviderID: ldap.ID, UserID: carol.ID}},
		{corp.ID, directory.MemberInput{SecurityProviderID: ldap.ID, DistinguishedName: "CN=Ops,DC=corp"}},
	} {
		_, err := svc.AddMember(ctx, in.group, in.m)
		check(t, err)
	}
	check(t, svc.ProvisionUsers(ctx, nil))

	ops, err := svc.CreateTeam(ctx, directory.TeamChange{Name: set("Ops"), CodeName: set("ops"),
		Comments: directory.To(ptr("on call"))})
	check(t, err)
	_, err = svc.CreateTeam(ctx, directory.TeamChange{Name: set("Empty")})
	check(t, err)
	for _, tu := range []directory.TeamUser{{TeamID: ops.ID, UserID: alice.ID, Role: directory.RoleLead},
		{TeamID: ops.ID, UserID: carol.ID}} {
		_, err := svc.AddTeamUser(ctx, tu)
		check(t, err)
	}
	for _, a := range []directory.NewAPIAccount{
		{Name: "ci", Comments: "pipeline", Perms: directory.FullPermissions(), IPAllow: []string{"10.0.0.0/8"}},
		{Name: "reader", Perms: directory.Permissions{Configuration: directory.AccessReadOnly, UserManagement: directory.AccessNone}},
	} {
		_, _, err := svc.CreateAPIAccount(ctx, a)
		check(t, err)
	}
}

func ptr[T any](v T) *T { return &v }

// contents reads every row of st through the Store, in a form to compare.
func contents(t *testing.T, st directory.Store) map[string]any {
	t.Helper()
	all := directory.Query{Limit: 1000}
	out := map[string]any{}
	var errs []error
	keep := func(key string) func(items any, err error) {
		return func(items any, err error) {
			out[key] = items
			errs = append(errs, err)
		}
	}
	providers, err := st.SecurityProviders(ctx, all)
	keep("providers")(providers.Items, err)
	users, err := st.Users(ctx, all)
	keep("users")(users.Items, err)
	events, err := st.Events(ctx, all)
	keep("events")(events.Items, err)
	accounts, err := st.APIAccounts(ctx, all)
	for i := range accounts.Items {
		accounts.Items[i].SecretHash = nil // never exported
	}
	keep("accounts")(accounts.Items, err)
	groups, err := st.Groups(ctx, all)
	keep("groups")(groups.Items, err)
	for _, g := range groups.Items {
		members, err := st.Members(ctx, g.ID, all)
		keep("members of "+g.Name)(members.Items, err)
	}
	teams, err := st.Teams(ctx, all)
	keep("teams")(teams.Items, err)
	for _, team := range teams.Items {
		tu, err := st.TeamUsers(ctx, team.ID, all)
		keep("users of "+team.Name)(tu.Items, err)
	}
	check(t, errors.Join(errs...))
	return out
}

func export(t *testing.T, st directory.Store, opt ExportOptions) []byte {
	t.Helper()
	var buf bytes.Buffer
	if _, err := Export(ctx, st, &buf, opt); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

var everything = ExportOptions{PasswordHashes: true, Events: true}

func TestRoundTripKeepsEveryRow(t *testing.T) {
	src, dst := open(t), open(t)
	populate(t, src)
	want := contents(t, src)
	srcMarks, err := src.(directory.Transfer).IDMarks(ctx)
	check(t, err)
	dumped := export(t, src, everything)

	res, err := Import(ctx, dst, bytes.NewReader(dumped), nil)
	check(t, err)
	if res.RandomPasswords != 0 || len(res.Accounts) != 2 {
		t.Errorf("result: %d random passwords, %d accounts", res.RandomPasswords, len(res.Accounts))
	}
	got := contents(t, dst)
	// The import adds its own audit event, and nothing else.
	events := got["events"].([]directory.Event)
	if last := events[len(events)-1]; last.Action != "directory.import" || last.Actor != "cli" {
		t.Errorf("last event %+v, want the import", last)
	}
	got["events"] = events[:len(events)-1]
	for k := range want {
		if !reflect.DeepEqual(got[k], want[k]) {
			t.Errorf("%s after the round trip:\n got  %+v\n want %+v", k, got[k], want[k])
		}
	}

	// A second export differs only in its header, the import's event and
	// the end counts.
	again := export(t, dst, everything)
	a, b := strings.Split(string(dumped), "\n"), strings.Split(string(again), "\n")
	a, b = a[1:len(a)-2], b[1:len(b)-3]
	if strings.Join(a, "\n") != strings.Join(b, "\n") {
		t.Errorf("re-export differs:\n%s\n---\n%s", strings.Join(a, "\n"), strings.Join(b, "\n"))
	}

	// The ids go on from the source's marks, past the deleted newest user.
	var u directory.User
	err = dst.Write(ctx, func(tx directory.Tx) error {
		u = directory.User{Username: "next", DisplayName: "next", Source: directory.SourceLocal, SecurityProviderID: 1,
			Access: directory.DefaultAccess()}
		return tx.CreateUser(ctx, &u)
	})
	if err != nil || u.ID != srcMarks.User+1 {
		t.Fatalf("new user id %d (%v), want %d", u.ID, err, srcMarks.User+1)
	}
}

func TestExportWithoutHashesAndEvents(t *testing.T) {
	src, dst := open(t), open(t)
	populate(t, src)
	dumped := export(t, src, ExportOptions{})
	if bytes.Contains(dumped, []byte(`"password_hash":"`)) || bytes.Contains(dumped, []byte(`"type":"event"`)) {
		t.Fatalf("export kept what it was told to leave out:\n%s", dumped)
	}
	res, err := Import(ctx, dst, bytes.NewReader(dumped), nil)
	check(t, err)
	if res.RandomPasswords != 2 { // alice and bob; carol is an LDAP user without one
		t.Errorf("%d users got random passwords, want 2", res.RandomPasswords)
	}
	srcAlice, err := src.User(ctx, 1)
	check(t, err)
	dstAlice, err := dst.User(ctx, 1)
	check(t, err)
	if dstAlice.PasswordHash == "" || dstAlice.PasswordHash == srcAlice.PasswordHash {
		t.Errorf("alice's imported password hash %q", dstAlice.PasswordHash)
	}
	events, err := dst.Events(ctx, directory.Query{Limit: 10})
	check(t, err)
	if events.Total != 1 {
		t.Errorf("%d events after importing none, want the import's own", events.Total)
	}
}

// An export of a large table pages by id, and an import writes it in
// batches, both across page boundaries.
func TestManyRows(t *testing.T) {
	if testing.Short() {
		t.Skip("writes thousands of rows")
	}
	src, dst := open(t), open(t)
	const n = 2*pageSize + 7
	err := src.Write(ctx, func(tx directory.Tx) error {
		g := directory.Group{Name: "all", Source: directory.SourceLocal, SecurityProviderID: 1,
			AccessStatus: directory.AccessNotDefined}
		if err := tx.CreateGroup(ctx, &g); err != nil {
			return err
		}
		for i := range n {
			u := directory.User{Username: fmt.Sprintf("u%05d", i), DisplayName: "U", Source: directory.SourceLocal, SecurityProviderID: 1, PasswordHash: "h"}
			if err := tx.CreateUser(ctx, &u); err != nil {
				return err
			}
			if err := tx.AddMember(ctx, &directory.Member{GroupID: g.ID, SecurityProviderID: 1, UserID: u.ID}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	dumped := export(t, src, everything)
	res, err := Import(ctx, dst, bytes.NewReader(dumped), nil)
	check(t, err)
	if res.Counts[TypeUser] != n || res.Counts[TypeMember] != n {
		t.Fatalf("imported %v", res.Counts)
	}
	if !reflect.DeepEqual(contents(t, dst)["members of all"], contents(t, src)["members of all"]) {
		t.Fatal("members differ")
	}
}
