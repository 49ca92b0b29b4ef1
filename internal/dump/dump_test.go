package dump

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/gatehouse/gatehouse/internal/directory"
	"github.com/gatehouse/gatehouse/internal/pgtest"
	"github.com/gatehouse/gatehouse/internal/store"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

var ctx = directory.WithActor(context.Background(), directory.Actor{Kind: directory.ActorCLI})

// open opens a new, empty store of the kind the test run selects
// (GATEHOUSE_TEST_STORE, as internal/testserver reads it).
func open(t *testing.T) directory.Store {
	t.Helper()
	kind := os.Getenv("GATEHOUSE_TEST_STORE")
	if kind == "" {
		kind = "sqlite"
	}
	return openKind(t, kind)
}

// openKind opens a new, empty store of one kind: sqlite or postgres.
func openKind(t *testing.T, kind string) directory.Store {
	t.Helper()
	var dsn string
	switch kind {
	case "sqlite":
		dsn = filepath.Join(t.TempDir(), "gatehouse.db")
	case "postgres":
		dsn = pgtest.DSN(t)
	default:
		t.Fatalf("GATEHOUSE_TEST_STORE=%q: want sqlite or postgres", kind)
	}
	st, err := store.Open(ctx, dsn)
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

// finder is a directory that has every account it is asked for.
type finder struct{}

func (finder) FindByName(_ context.Context, _ directory.DirectoryBind, base, _, name string) (directory.ExternalAccount, error) {
	return directory.ExternalAccount{DN: "CN=" + name + ",CN=Users," + base, AccountName: name, FirstName: "Dave",
		LastName: "Doe", Email: name + "@corp.example.com"}, nil
}

func (finder) ReadDN(_ context.Context, _ directory.DirectoryBind, dn, _ string) (directory.ExternalAccount, error) {
	return directory.ExternalAccount{DN: dn, AccountName: "x"}, nil
}

func (finder) Bind(context.Context, directory.DirectoryBind) error { return nil }

// populate fills st through the Service, as the faces would, with every
// kind of row, a changed user and a deleted newest one.
func populate(t *testing.T, st directory.Store) {
	t.Helper()
	svc := directory.NewService(st, directory.NewHasher(directory.Argon2Params{MemoryKiB: 64, Time: 1, Threads: 1}),
		directory.WithAccountFinder(finder{}))
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
		PasswordExpiration: directory.To(ptr(time.Date(2031, 1, 2, 3, 4, 5, 0, time.UTC))),
		Profile:            directory.To(aliceProfile)}})
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
	populateBeyondInsight(t, svc, alice)
}

// populateBeyondInsight adds what the BeyondInsight face keeps: an Active
// Directory provider with a bind password and one of its users, an
// application user, API registrations, a group with permissions and
// registrations, and a secret.
func populateBeyondInsight(t *testing.T, svc *directory.Service, owner directory.User) {
	t.Helper()
	ad, err := svc.CreateDirectoryProvider(ctx, "Corp AD", directory.DirectorySettings{Kind: directory.SourceActiveDirectory,
		Domain: "corp.example.com", Port: 636, UseSSL: true, BindUser: `CORP\svc`, BindPassword: "bind password"})
	check(t, err)
	_, err = svc.CreateDirectoryUser(ctx, directory.NewDirectoryUser{Kind: directory.SourceActiveDirectory,
		AccountName: "dave", Domain: "corp.example.com"})
	check(t, err)
	app, _, err := svc.CreateApplicationUser(ctx, directory.UserChange{Username: directory.To("app"),
		AccessPolicyID: directory.To(int64(4))})
	check(t, err)
	_, _, err = svc.RecycleClientSecret(ctx, app.ID)
	check(t, err)
	scripts, _, err := svc.CreateAPIRegistration(ctx, directory.NewAPIRegistration{Name: "Scripts",
		IPAllow: []string{"192.0.2.0/24"}, UserPasswordRequired: true})
	check(t, err)
	_, _, err = svc.CreateAPIRegistration(ctx, directory.NewAPIRegistration{Name: "Anywhere"})
	check(t, err)
	_, err = svc.CreateGroup(ctx, directory.NewGroup{Source: directory.SourceActiveDirectory, SecurityProviderID: ad.ID,
		GroupChange: directory.GroupChange{Name: directory.To("Domain Admins"), Active: directory.To(false),
			Permissions: directory.To([]directory.GroupPermission{
				{PermissionID: directory.PermUserAccounts, Level: directory.LevelReadWrite},
				{PermissionID: directory.PermQuarantine, Level: directory.LevelRead}}),
			RegistrationIDs: directory.To([]int64{scripts.ID})}})
	check(t, err)
	_, err = svc.CreateSecret(ctx, "Database root", []int64{app.ID, owner.ID})
	check(t, err)
	_, err = svc.CreateSecret(ctx, "Alice's own", []int64{owner.ID})
	check(t, err)
}

func ptr[T any](v T) *T { return &v }

// aliceProfile has every kind of profile field, and text a dump must carry
// byte for byte.
var aliceProfile = directory.Profile{NameFormatted: "Alice P. Liddell", MiddleName: "Pleasance", NickName: "Ålice 🐇",
	HonorificPrefix: "Ms.", Title: "Explorer <of> \"Wonderland\"", UserType: "Employee", PreferredLanguage: "en-GB",
	Timezone: "Europe/London", ProfileURL: "https://example.com/~alice?a=1&b=2",
	Emails:       []directory.Contact{{Value: "alice@home.example", Type: "home", Primary: true}, {Value: "a@work.example"}},
	PhoneNumbers: []directory.Contact{{Value: "+44 20 7946 0000", Type: "work", Display: "☎ work"}},
	Addresses: []directory.Address{{Formatted: "1 Rabbit Hole\nOxford", StreetAddress: "1 Rabbit Hole", Locality: "Oxford",
		Country: "GB", Type: "home", Primary: true}, {}},
	Enterprise: directory.Enterprise{EmployeeNumber: "42", Department: "Looking-Glass", ManagerDisplayName: "Queen ♥"}}

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
	registrations, err := st.APIRegistrations(ctx, all)
	keep("registrations")(registrations.Items, err)
	secrets, err := st.Secrets(ctx, all)
	keep("secrets")(secrets.Items, err)
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
	roundTrip(t, open(t), open(t))
}

// The dump moves a directory between the two stores, both ways.
func TestRoundTripBetweenStores(t *testing.T) {
	for _, c := range []struct{ from, to string }{{"sqlite", "postgres"}, {"postgres", "sqlite"}} {
		t.Run(c.from+" to "+c.to, func(t *testing.T) {
			t.Parallel()
			roundTrip(t, openKind(t, c.from), openKind(t, c.to))
		})
	}
}

// roundTrip populates src, moves it to dst, and checks that dst holds
// what src did, sign-in sessions aside.
func roundTrip(t *testing.T, src, dst directory.Store) {
	t.Helper()
	populate(t, src)
	want := contents(t, src)
	srcMarks, err := src.(directory.Transfer).IDMarks(ctx)
	check(t, err)
	if srcMarks.APIRegistration != 2 || srcMarks.Secret != 2 {
		t.Fatalf("source marks %+v", srcMarks)
	}
	session := directory.Session{IDHash: directory.HashSecret("cookie"), UserID: 1}
	check(t, src.CreateSession(ctx, &session))
	dumped := export(t, src, everything)
	for _, s := range []string{`"type":"session"`, `"id_hash"`} {
		if bytes.Contains(dumped, []byte(s)) {
			t.Errorf("the dump has %s", s)
		}
	}

	res, err := Import(ctx, dst, bytes.NewReader(dumped), nil)
	check(t, err)
	if res.RandomPasswords != 0 || len(res.Accounts) != 2 || res.RandomClientSecrets != 0 ||
		len(res.Registrations) != 0 || len(res.NoBindPasswords) != 0 {
		t.Errorf("result: %d random passwords, %d accounts, %d random client secrets, %d registrations without keys, "+
			"%d providers without bind passwords", res.RandomPasswords, len(res.Accounts), res.RandomClientSecrets,
			len(res.Registrations), len(res.NoBindPasswords))
	}
	for typ, n := range map[string]int{TypeAPIRegistration: 2, TypeSecret: 2, TypeSecurityProvider: 3, TypeUser: 5,
		TypeGroup: 4} {
		if res.Counts[typ] != n {
			t.Errorf("imported %d %s records, want %d", res.Counts[typ], typ, n)
		}
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
	if len(got) != len(want) {
		t.Errorf("%d lists after the round trip, want %d", len(got), len(want))
	}
	// The credentials moved: the registration is found by its key's hash,
	// the application user's secret and the bind password are there.
	for _, r := range want["registrations"].([]directory.APIRegistration) {
		found, err := dst.APIRegistrationByKeyHash(ctx, r.KeyHash)
		if err != nil || found.ID != r.ID {
			t.Errorf("registration %d by its key hash: %+v %v", r.ID, found, err)
		}
	}
	var app directory.User
	for _, u := range want["users"].([]directory.User) {
		if u.Source == directory.SourceApplication {
			app = u
		}
	}
	if len(app.SecretHash) != 32 || app.SecretGeneration != 2 || app.ClientID == "" {
		t.Errorf("the application user in the source: %+v", app)
	}
	sole, err := dst.SoleOwnedSecrets(ctx, 1)
	check(t, err)
	if sole != 1 {
		t.Errorf("alice solely owns %d secrets after the move, want 1", sole)
	}
	if _, err := dst.Session(ctx, session.IDHash); !directory.IsKind(err, directory.KindNotFound) {
		t.Errorf("a session moved with the dump: %v", err)
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
	reg := directory.APIRegistration{Name: "next", KeyHash: directory.HashSecret("next")}
	sec := directory.Secret{Title: "next", OwnerIDs: []int64{1}}
	err = dst.Write(ctx, func(tx directory.Tx) error {
		u = directory.User{Username: "next", DisplayName: "next", Source: directory.SourceLocal, SecurityProviderID: 1,
			Access: directory.DefaultAccess()}
		return errors.Join(tx.CreateUser(ctx, &u), tx.CreateAPIRegistration(ctx, &reg), tx.CreateSecret(ctx, &sec))
	})
	if err != nil || u.ID != srcMarks.User+1 || reg.ID != srcMarks.APIRegistration+1 || sec.ID != srcMarks.Secret+1 {
		t.Fatalf("new ids %d, %d, %d (%v), want past %+v", u.ID, reg.ID, sec.ID, err, srcMarks)
	}
}

func TestExportWithoutHashesAndEvents(t *testing.T) {
	src, dst := open(t), open(t)
	populate(t, src)
	dumped := export(t, src, ExportOptions{})
	for _, s := range []string{`"password_hash":"`, `"type":"event"`, `"secret_hash"`, `"key_hash"`, `"bind_password"`,
		"bind password"} {
		if bytes.Contains(dumped, []byte(s)) {
			t.Fatalf("export kept %s, which it was told to leave out:\n%s", s, dumped)
		}
	}
	res, err := Import(ctx, dst, bytes.NewReader(dumped), nil)
	check(t, err)
	if res.RandomPasswords != 2 { // alice and bob; carol is an LDAP user without one
		t.Errorf("%d users got random passwords, want 2", res.RandomPasswords)
	}
	if res.RandomClientSecrets != 1 || len(res.Registrations) != 2 || len(res.NoBindPasswords) != 1 {
		t.Errorf("result: %d random client secrets, registrations %+v, providers %+v", res.RandomClientSecrets,
			res.Registrations, res.NoBindPasswords)
	}
	for _, r := range res.Registrations {
		if r.KeyHash != nil {
			t.Errorf("the result shows registration %d's random key hash", r.ID)
		}
	}
	srcAlice, err := src.User(ctx, 1)
	check(t, err)
	dstAlice, err := dst.User(ctx, 1)
	check(t, err)
	if dstAlice.PasswordHash == "" || dstAlice.PasswordHash == srcAlice.PasswordHash {
		t.Errorf("alice's imported password hash %q", dstAlice.PasswordHash)
	}
	// Hashes nobody knows the secret of, different from the source's.
	srcRegs, err := src.APIRegistrations(ctx, directory.Query{Limit: 10})
	check(t, err)
	dstRegs, err := dst.APIRegistrations(ctx, directory.Query{Limit: 10})
	check(t, err)
	for i, r := range dstRegs.Items {
		if len(r.KeyHash) != 32 || bytes.Equal(r.KeyHash, srcRegs.Items[i].KeyHash) {
			t.Errorf("registration %d's imported key hash %x", r.ID, r.KeyHash)
		}
	}
	apps, err := dst.Users(ctx, directory.Query{Filter: directory.Eq(directory.UserSource, "application"), Limit: 10})
	check(t, err)
	if len(apps.Items) != 1 || len(apps.Items[0].SecretHash) != 32 {
		t.Errorf("imported application users %+v", apps.Items)
	}
	providers, err := dst.SecurityProviders(ctx, directory.Query{Limit: 10})
	check(t, err)
	if d := providers.Items[2].Directory; d == nil || d.BindUser == "" || d.BindPassword != "" {
		t.Errorf("imported directory settings %+v", d)
	}
	events, err := dst.Events(ctx, directory.Query{Limit: 10})
	check(t, err)
	if events.Total != 1 {
		t.Errorf("%d events after importing none, want the import's own", events.Total)
	}
}

// addedIn lists what each format version added: the fields of each
// record type, and whole record types (under "").
var addedIn = map[int]map[string][]string{
	2: {
		TypeSecurityProvider: {"directory"},
		TypeUser:             {"domain_name", "distinguished_name", "client_id", "secret_hash", "secret_generation", "access_policy_id"},
		TypeGroup:            {"active", "permissions", "registration_ids"},
		"":                   {TypeAPIRegistration, TypeSecret},
	},
	3: {TypeUser: {"profile"}},
}

// asVersion rewrites a dump as an earlier version had it: without the
// fields and record types the versions after it added.
func asVersion(t *testing.T, dump []byte, version int) string {
	t.Helper()
	added, types := map[string][]string{}, map[string]bool{}
	for v, fields := range addedIn {
		if v <= version {
			continue
		}
		for typ, names := range fields {
			if typ == "" {
				for _, n := range names {
					types[n] = true
				}
			}
			added[typ] = append(added[typ], names...)
		}
	}
	var out []string
	for _, line := range strings.Split(strings.TrimSuffix(string(dump), "\n"), "\n") {
		var rec map[string]any
		check(t, json.Unmarshal([]byte(line), &rec))
		typ := rec["type"].(string)
		if types[typ] {
			continue
		}
		for _, f := range added[typ] {
			delete(rec, f)
		}
		for _, key := range []string{"counts", "id_marks"} {
			if m, ok := rec[key].(map[string]any); ok {
				for typ := range types {
					delete(m, typ)
				}
			}
		}
		if typ == Format {
			rec["version"] = version
		}
		b, err := json.Marshal(rec)
		check(t, err)
		out = append(out, string(b))
	}
	return strings.Join(out, "\n") + "\n"
}

// A version 1 dump still imports: its groups are active, and nothing else
// of version 2 is there.
func TestImportVersion1(t *testing.T) {
	src, dst := open(t), open(t)
	populate(t, src)
	old := asVersion(t, export(t, src, everything), 1)
	if !strings.Contains(old, `"version":1`) {
		t.Fatalf("not a version 1 dump:\n%s", old)
	}
	for _, line := range strings.Split(old, "\n") {
		// Audit events of groups name "active" too; group records must not.
		if strings.Contains(line, `"type":"group"`) && strings.Contains(line, `"active"`) {
			t.Fatalf("not a version 1 group: %s", line)
		}
	}
	_, err := Import(ctx, dst, strings.NewReader(old), nil)
	check(t, err)
	groups, err := dst.Groups(ctx, directory.Query{Limit: 10})
	check(t, err)
	srcGroups, err := src.Groups(ctx, directory.Query{Limit: 10})
	check(t, err)
	for i, g := range groups.Items {
		want := srcGroups.Items[i]
		want.Active, want.Permissions, want.RegistrationIDs = true, nil, nil
		if !reflect.DeepEqual(g, want) {
			t.Errorf("group from a version 1 dump:\n got  %+v\n want %+v", g, want)
		}
	}
	for _, list := range []func() (int, error){
		func() (int, error) { p, err := dst.APIRegistrations(ctx, directory.Query{}); return p.Total, err },
		func() (int, error) { p, err := dst.Secrets(ctx, directory.Query{}); return p.Total, err },
	} {
		if n, err := list(); err != nil || n != 0 {
			t.Errorf("%d rows of a type version 1 does not have (%v)", n, err)
		}
	}
	dave, err := dst.User(ctx, 5)
	check(t, err)
	if dave.Username == "" || dave.DomainName != "" || dave.ClientID != "" {
		t.Errorf("user from a version 1 dump %+v", dave)
	}
	alice, err := dst.User(ctx, 1)
	check(t, err)
	if alice.Username != "alice" || !reflect.DeepEqual(alice.Profile, directory.Profile{}) {
		t.Errorf("user from a version 1 dump %+v", alice)
	}
}

// A version 2 dump still imports: its users have the zero profile, and
// everything else is as in the source.
func TestImportVersion2(t *testing.T) {
	src, dst := open(t), open(t)
	populate(t, src)
	old := asVersion(t, export(t, src, everything), 2)
	if !strings.Contains(old, `"version":2`) || strings.Contains(old, `"profile"`) || !strings.Contains(old, `"active"`) {
		t.Fatalf("not a version 2 dump:\n%s", old)
	}
	_, err := Import(ctx, dst, strings.NewReader(old), nil)
	check(t, err)
	want, got := contents(t, src), contents(t, dst)
	users := want["users"].([]directory.User)
	if !reflect.DeepEqual(users[0].Profile, aliceProfile) {
		t.Fatalf("the source's alice has the profile %+v", users[0].Profile)
	}
	for i := range users {
		users[i].Profile = directory.Profile{}
	}
	// Rewriting the dump re-encoded the events' JSON; the round trips
	// compare them.
	delete(want, "events")
	delete(got, "events")
	for k := range want {
		if !reflect.DeepEqual(got[k], want[k]) {
			t.Errorf("%s from a version 2 dump:\n got  %+v\n want %+v", k, got[k], want[k])
		}
	}
}

// fill sets every field of v, a struct, list or scalar, to something not
// empty, lists to two items.
func fill(v reflect.Value, seed string) {
	switch v.Kind() {
	case reflect.String:
		v.SetString(seed)
	case reflect.Bool:
		v.SetBool(true)
	case reflect.Int, reflect.Int64:
		v.SetInt(int64(len(seed)))
	case reflect.Slice:
		v.Set(reflect.MakeSlice(v.Type(), 2, 2))
		for i := range 2 {
			fill(v.Index(i), fmt.Sprintf("%s[%d]", seed, i))
		}
	case reflect.Struct:
		for i := range v.NumField() {
			fill(v.Field(i), seed+"."+v.Type().Field(i).Name)
		}
	default:
		panic("fill: a " + v.Kind().String())
	}
}

// A profile with every field set goes through a user record unchanged, so
// that a field added to directory.Profile and not to the record fails here.
func TestProfileRecordKeepsEveryField(t *testing.T) {
	var p directory.Profile
	fill(reflect.ValueOf(&p).Elem(), "p")
	line, err := json.Marshal(fromUser(directory.User{ID: 1, Source: directory.SourceLocal, Profile: p}, true))
	check(t, err)
	var r userRecord
	check(t, strictJSON(line, &r))
	if got := r.user().Profile; !reflect.DeepEqual(got, p) {
		t.Fatalf("profile through a record:\n got  %+v\n want %+v", got, p)
	}
	// The zero profile is an empty object, and no object at all reads as it.
	line, err = json.Marshal(fromUser(directory.User{ID: 1}, true))
	check(t, err)
	if !bytes.Contains(line, []byte(`"profile":{}`)) {
		t.Fatalf("a user with the zero profile: %s", line)
	}
	r = userRecord{}
	check(t, strictJSON(bytes.Replace(line, []byte(`,"profile":{}`), nil, 1), &r))
	if got := r.user().Profile; !reflect.DeepEqual(got, directory.Profile{}) {
		t.Fatalf("a user record without a profile has %+v", got)
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
