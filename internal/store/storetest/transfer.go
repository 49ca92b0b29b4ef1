package storetest

import (
	"encoding/json"
	"fmt"
	"testing"

	"github.com/gatehouse/gatehouse/internal/directory"
)

var transferCases = []testCase{
	{"ImportKeepsEveryColumn", testImportKeepsEveryColumn},
	{"ImportManyRows", testImportManyRows},
	{"ImportSetsIDMarks", testImportSetsIDMarks},
	{"IDMarksRememberDeletedRows", testIDMarksRememberDeletedRows},
	{"ImportRefusesDanglingReferences", testImportRefusesDanglingReferences},
	{"ClearEmptiesTheDirectory", testClearEmptiesTheDirectory},
	{"KeysetScans", testKeysetScans},
}

func transfer(t *testing.T, s directory.Store) directory.Transfer {
	t.Helper()
	tr, ok := s.(directory.Transfer)
	if !ok {
		t.Fatalf("%T does not implement directory.Transfer", s)
	}
	return tr
}

func importRows(t *testing.T, s directory.Store, fn func(tx directory.ImportTx) error) {
	t.Helper()
	if err := transfer(t, s).Import(ctx, fn); err != nil {
		t.Fatalf("Import: %v", err)
	}
}

// imported is one row of every kind, with ids, times and versions no
// create would give them.
type imported struct {
	provider directory.SecurityProvider
	user     directory.User
	group    directory.Group
	member   directory.Member
	team     directory.Team
	teamUser directory.TeamUser
	account  directory.APIAccount
	event    directory.Event

	adProvider   directory.SecurityProvider
	adUser       directory.User
	appUser      directory.User
	registration directory.APIRegistration
	secret       directory.Secret
}

func importFixture(t *testing.T, s directory.Store) imported {
	t.Helper()
	var r imported
	r.provider = directory.SecurityProvider{ID: 4, Type: directory.ProviderLDAP, Name: "Corp LDAP", Enabled: true,
		GroupLookup: true, Priority: 3, DefaultPolicyID: 7}
	r.user = user("imported")
	r.user.ID, r.user.Version, r.user.SecurityProviderID, r.user.Source = 41, 9, r.provider.ID, directory.SourceLDAP
	r.user.CreatedAt, r.user.UpdatedAt = at("2021-01-02T03:04:05.000006Z"), at("2022-01-02T03:04:05.5Z")
	r.user.LastLogin = directory.LastLogin{At: ptr(at("2022-02-03T04:05:06Z")), AuthType: "ldap", ConfigName: "corp"}
	r.user.PasswordExpiration, r.user.FailedLogins, r.user.Access.AccessAllowed = ptr(at("2030-01-01T00:00:00Z")), 2, true
	r.user.Profile = fullProfile()
	r.group = group("imported group")
	r.group.ID, r.group.Version, r.group.CreatedAt, r.group.UpdatedAt = 7, 3, at("2020-01-01T00:00:00Z"), at("2020-06-01T00:00:00Z")
	r.member = directory.Member{ID: 90, GroupID: 7, SecurityProviderID: r.provider.ID, UserID: r.user.ID, CreatedAt: at("2020-07-01T00:00:00Z")}
	r.team = directory.Team{ID: 12, Name: "Ops", CodeName: "ops", Comments: ptr("on call"),
		CreatedAt: at("2019-01-01T00:00:00Z"), UpdatedAt: at("2019-02-01T00:00:00Z")}
	r.teamUser = directory.TeamUser{TeamID: 12, UserID: r.user.ID, Role: directory.RoleLead}
	r.account = account("imported account", "client-imported")
	r.account.ID, r.account.Version, r.account.TokenGeneration, r.account.TokenSerial = 5, 8, 3, 77
	r.account.IPAllow, r.account.LockedUntil = []string{"10.0.0.0/8"}, ptr(at("2023-01-01T00:00:00Z"))
	r.account.LastTokenAt = ptr(at("2022-12-31T00:00:00Z"))
	r.account.CreatedAt, r.account.UpdatedAt = at("2018-01-01T00:00:00Z"), at("2018-05-01T00:00:00Z")
	r.event = directory.Event{ID: 300, At: at("2017-01-01T00:00:00Z"), Actor: "cli", Action: "user.create",
		TargetType: "user", TargetID: 41, After: json.RawMessage(`{"Username":"imported"}`)}

	r.adProvider = directory.SecurityProvider{ID: 6, Type: directory.ProviderLDAP, Name: "Corp AD", Enabled: true,
		UserAuthentication: true, Priority: 4, Directory: &directory.DirectorySettings{Kind: directory.SourceActiveDirectory,
			Domain: "corp.example.com", Host: "dc1.corp.example.com", Port: 389, BaseDN: "DC=corp,DC=example,DC=com",
			AccountAttribute: "sAMAccountName", BindUser: "svc", BindPassword: "bind secret"}}
	r.adUser = user("jdoe")
	r.adUser.ID, r.adUser.Version, r.adUser.SecurityProviderID = 43, 2, r.adProvider.ID
	r.adUser.Source, r.adUser.PasswordHash = directory.SourceActiveDirectory, ""
	r.adUser.DomainName, r.adUser.DistinguishedName = "corp.example.com", "CN=John Doe,DC=corp,DC=example,DC=com"
	r.adUser.CreatedAt, r.adUser.UpdatedAt = at("2021-03-01T00:00:00Z"), at("2021-03-02T00:00:00Z")
	r.appUser = appUser("app", "6a0e2f0c-1b2c-4d3e-8f40-516273849506")
	r.appUser.ID, r.appUser.Version, r.appUser.SecretGeneration, r.appUser.AccessPolicyID = 44, 5, 3, 2
	r.appUser.CreatedAt, r.appUser.UpdatedAt = at("2021-04-01T00:00:00Z"), at("2021-04-02T00:00:00Z")
	r.registration = registration("imported registration")
	r.registration.ID, r.registration.Version, r.registration.IPAllow = 15, 4, []string{"192.0.2.0/24"}
	r.registration.UserPasswordRequired = true
	r.registration.CreatedAt, r.registration.UpdatedAt = at("2016-01-01T00:00:00Z"), at("2016-02-01T00:00:00Z")
	r.group.Active, r.group.RegistrationIDs = false, []int64{r.registration.ID}
	r.group.Permissions = []directory.GroupPermission{{PermissionID: directory.PermQuarantine, Level: directory.LevelReadWrite}}
	r.secret = directory.Secret{ID: 21, Title: "imported secret", OwnerIDs: []int64{r.user.ID, r.appUser.ID},
		CreatedAt: at("2015-01-01T00:00:00.000001Z")}
	importRows(t, s, func(tx directory.ImportTx) error {
		for _, err := range []func() error{
			func() error {
				return tx.ImportSecurityProviders(ctx, []directory.SecurityProvider{r.provider, r.adProvider})
			},
			func() error { return tx.ImportUsers(ctx, []directory.User{r.user, r.adUser, r.appUser}) },
			func() error { return tx.ImportAPIRegistrations(ctx, []directory.APIRegistration{r.registration}) },
			func() error { return tx.ImportGroups(ctx, []directory.Group{r.group}) },
			func() error { return tx.ImportMembers(ctx, []directory.Member{r.member}) },
			func() error { return tx.ImportTeams(ctx, []directory.Team{r.team}) },
			func() error { return tx.ImportTeamUsers(ctx, []directory.TeamUser{r.teamUser}) },
			func() error { return tx.ImportAPIAccounts(ctx, []directory.APIAccount{r.account}) },
			func() error { return tx.ImportSecrets(ctx, []directory.Secret{r.secret}) },
			func() error { return tx.ImportEvents(ctx, []directory.Event{r.event}) },
		} {
			if err := err(); err != nil {
				return err
			}
		}
		return nil
	})
	return r
}

func testImportKeepsEveryColumn(t *testing.T, open Opener) {
	s := openStore(t, open)
	want := importFixture(t, s)
	var got imported
	var err error
	got.provider, err = s.SecurityProvider(ctx, want.provider.ID)
	must(t, err)
	got.user, err = s.User(ctx, want.user.ID)
	must(t, err)
	got.group, err = s.Group(ctx, want.group.ID)
	must(t, err)
	got.member, err = s.Member(ctx, want.group.ID, want.member.ID)
	must(t, err)
	got.team, err = s.Team(ctx, want.team.ID)
	must(t, err)
	got.teamUser, err = s.TeamUser(ctx, want.team.ID, want.user.ID)
	must(t, err)
	got.account, err = s.APIAccount(ctx, want.account.ID)
	must(t, err)
	events, err := s.Events(ctx, directory.Query{Limit: 10})
	must(t, err)
	if len(events.Items) == 1 {
		got.event = events.Items[0]
	}
	got.adProvider, err = s.SecurityProvider(ctx, want.adProvider.ID)
	must(t, err)
	got.adUser, err = s.User(ctx, want.adUser.ID)
	must(t, err)
	got.appUser, err = s.User(ctx, want.appUser.ID)
	must(t, err)
	got.registration, err = s.APIRegistrationByKeyHash(ctx, want.registration.KeyHash)
	must(t, err)
	got.secret, err = s.Secret(ctx, want.secret.ID)
	must(t, err)
	equal(t, "imported rows", got, want)
	n, err := s.SoleOwnedSecrets(ctx, want.user.ID)
	must(t, err)
	equal(t, "secrets solely owned", n, 0)
}

// testImportManyRows imports more rows than one statement takes, with
// gaps between their ids.
func testImportManyRows(t *testing.T, open Opener) {
	s := openStore(t, open)
	var users []directory.User
	for i := range 250 {
		u := user(fmt.Sprintf("u%03d", i))
		u.ID, u.Version, u.CreatedAt, u.UpdatedAt = int64(3*i+2), 1, at("2020-01-01T00:00:00Z"), at("2020-01-01T00:00:00Z")
		users = append(users, u)
	}
	importRows(t, s, func(tx directory.ImportTx) error { return tx.ImportUsers(ctx, users) })
	page, err := s.Users(ctx, directory.Query{Limit: 1000})
	must(t, err)
	equal(t, "imported users", page.Items, users)
}

func testImportSetsIDMarks(t *testing.T, open Opener) {
	s := openStore(t, open)
	r := importFixture(t, s)
	// Marks above the rows' ids win; below them, the ids do.
	marks := directory.IDMarks{SecurityProvider: 2, User: 100, Group: 3, Member: 200, Team: 1, APIAccount: 50, Event: 1,
		APIRegistration: 30, Secret: 2}
	importRows(t, s, func(tx directory.ImportTx) error { return tx.SetIDMarks(ctx, marks) })
	got, err := transfer(t, s).IDMarks(ctx)
	must(t, err)
	equal(t, "marks", got, directory.IDMarks{SecurityProvider: 6, User: 100, Group: 7, Member: 200, Team: 12,
		APIAccount: 50, Event: 300, APIRegistration: 30, Secret: 21})

	u, g, team, a := user("next"), group("next"), directory.Team{Name: "next"}, account("next", "client-next")
	p := directory.SecurityProvider{Type: directory.ProviderSAML, Name: "next"}
	m := directory.Member{GroupID: r.group.ID, SecurityProviderID: 1, UserID: 0, GroupName: "x"}
	e := directory.Event{Actor: "cli", Action: "x", TargetType: "user"}
	reg, sec := registration("next"), directory.Secret{Title: "next", OwnerIDs: []int64{r.user.ID}}
	write(t, s, func(tx directory.Tx) error {
		for _, err := range []error{tx.CreateSecurityProvider(ctx, &p), tx.CreateUser(ctx, &u), tx.CreateGroup(ctx, &g),
			tx.AddMember(ctx, &m), tx.CreateTeam(ctx, &team), tx.CreateAPIAccount(ctx, &a), tx.AppendEvent(ctx, &e),
			tx.CreateAPIRegistration(ctx, &reg), tx.CreateSecret(ctx, &sec)} {
			if err != nil {
				return err
			}
		}
		return nil
	})
	equal(t, "next ids", []int64{p.ID, u.ID, g.ID, m.ID, team.ID, a.ID, e.ID, reg.ID, sec.ID},
		[]int64{7, 101, 8, 201, 13, 51, 301, 31, 22})
}

func testIDMarksRememberDeletedRows(t *testing.T, open Opener) {
	s := openStore(t, open)
	marks, err := transfer(t, s).IDMarks(ctx)
	must(t, err)
	equal(t, "fresh marks", marks, directory.IDMarks{SecurityProvider: 1})
	users := createUsers(t, s, "a", "b", "c")
	write(t, s, func(tx directory.Tx) error { return tx.DeleteUser(ctx, users[2].ID) })
	marks, err = transfer(t, s).IDMarks(ctx)
	must(t, err)
	if marks.User != users[2].ID {
		t.Fatalf("user mark %d after deleting the newest user %d", marks.User, users[2].ID)
	}
}

// A member whose user is missing fails, and the transaction leaves nothing.
func testImportRefusesDanglingReferences(t *testing.T, open Opener) {
	s := openStore(t, open)
	g := group("g")
	g.ID, g.Version = 3, 1
	err := transfer(t, s).Import(ctx, func(tx directory.ImportTx) error {
		if err := tx.ImportGroups(ctx, []directory.Group{g}); err != nil {
			return err
		}
		return tx.ImportMembers(ctx, []directory.Member{{ID: 1, GroupID: 3, SecurityProviderID: 1, UserID: 99}})
	})
	if err == nil {
		t.Fatal("a member of a missing user was imported")
	}
	groups, err := s.Groups(ctx, directory.Query{Limit: 0})
	must(t, err)
	equal(t, "groups after the failed import", groups.Total, 0)
}

func testClearEmptiesTheDirectory(t *testing.T, open Opener) {
	s := openStore(t, open)
	r := importFixture(t, s)
	// A session would name a user id the next import may give another user.
	must(t, s.CreateSession(ctx, &directory.Session{IDHash: sessionID("stale"), UserID: r.user.ID}))
	importRows(t, s, func(tx directory.ImportTx) error { return tx.Clear(ctx) })
	_, err := s.Session(ctx, sessionID("stale"))
	wantKind(t, err, directory.KindNotFound)
	for what, list := range map[string]func() (int, error){
		"users":  func() (int, error) { p, err := s.Users(ctx, directory.Query{}); return p.Total, err },
		"groups": func() (int, error) { p, err := s.Groups(ctx, directory.Query{}); return p.Total, err },
		"teams":  func() (int, error) { p, err := s.Teams(ctx, directory.Query{}); return p.Total, err },
		"events": func() (int, error) { p, err := s.Events(ctx, directory.Query{}); return p.Total, err },
		"API accounts": func() (int, error) {
			p, err := s.APIAccounts(ctx, directory.Query{})
			return p.Total, err
		},
		"API registrations": func() (int, error) {
			p, err := s.APIRegistrations(ctx, directory.Query{})
			return p.Total, err
		},
		"secrets": func() (int, error) { p, err := s.Secrets(ctx, directory.Query{}); return p.Total, err },
	} {
		n, err := list()
		must(t, err)
		if n != 0 {
			t.Errorf("%d %s left", n, what)
		}
	}
	providers, err := s.SecurityProviders(ctx, directory.Query{Limit: 10})
	must(t, err)
	equal(t, "providers left", ids(providers.Items), []int64{directory.LocalProviderID})
	// The generators start over, as in a new directory.
	marks, err := transfer(t, s).IDMarks(ctx)
	must(t, err)
	equal(t, "marks after Clear", marks, directory.IDMarks{SecurityProvider: 1})
	u := createUsers(t, s, "first")[0]
	equal(t, "first user id after Clear", u.ID, int64(1))
}

// testKeysetScans pages through the lists an export scans, by id and
// without totals.
func testKeysetScans(t *testing.T, open Opener) {
	s := openStore(t, open)
	users := createUsers(t, s, "a", "b", "c")
	g := createGroup(t, s, "g")
	addUsers(t, s, g, users...)
	team := directory.Team{Name: "t"}
	write(t, s, func(tx directory.Tx) error {
		if err := tx.CreateTeam(ctx, &team); err != nil {
			return err
		}
		for _, u := range users {
			if err := tx.PutTeamUser(ctx, directory.TeamUser{TeamID: team.ID, UserID: u.ID, Role: directory.RoleMember}); err != nil {
				return err
			}
			if err := tx.AppendEvent(ctx, &directory.Event{Actor: "cli", Action: "x", TargetType: "user", TargetID: u.ID}); err != nil {
				return err
			}
		}
		return nil
	})
	after := func(a directory.Attr, id int64) directory.Query {
		return directory.Query{Filter: directory.Compare{Attr: a, Op: directory.OpGt, Value: id}, Limit: 2, NoTotal: true}
	}
	members, err := s.Members(ctx, g.ID, after(directory.MemberID, 1))
	must(t, err)
	equal(t, "members after 1", ids(members.Items), []int64{2, 3})
	equal(t, "members total", members.Total, 0)
	events, err := s.Events(ctx, after(directory.EventID, 2))
	must(t, err)
	equal(t, "events after 2", ids(events.Items), []int64{3})
	teamUsers, err := s.TeamUsers(ctx, team.ID, after(directory.UserID, users[0].ID))
	must(t, err)
	if len(teamUsers.Items) != 2 || teamUsers.Items[0].UserID != users[1].ID {
		t.Fatalf("team users after the first: %+v", teamUsers.Items)
	}
}
