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
	r.group = group("imported group")
	r.group.ID, r.group.Version, r.group.CreatedAt, r.group.UpdatedAt = 7, 3, at("2020-01-01T00:00:00Z"), at("2020-06-01T00:00:00Z")
	r.member = directory.Member{ID: 90, GroupID: 7, SecurityProviderID: r.provider.ID, UserID: r.user.ID, CreatedAt: at("2020-07-01T00:00:00Z")}
	r.team = directory.Team{ID: 12, Name: "Ops", CodeName: "ops", Comments: ptr("on call"),
		CreatedAt: at("2019-01-01T00:00:00Z"), UpdatedAt: at("2019-02-01T00:00:00Z")}
	r.teamUser = directory.TeamUser{TeamID: 12, UserID: r.user.ID, Role: directory.RoleLead}
	r.account = account("imported account", "client-imported")
	r.account.ID, r.account.Version, r.account.TokenGeneration, r.account.TokenSerial = 5, 8, 3, 77
	r.account.IPAllow, r.account.LockedUntil = []string{"10.0.0.0/8"}, ptr(at("2023-01-01T00:00:00Z"))
	r.account.CreatedAt, r.account.UpdatedAt = at("2018-01-01T00:00:00Z"), at("2018-05-01T00:00:00Z")
	r.event = directory.Event{ID: 300, At: at("2017-01-01T00:00:00Z"), Actor: "cli", Action: "user.create",
		TargetType: "user", TargetID: 41, After: json.RawMessage(`{"Username":"imported"}`)}
	importRows(t, s, func(tx directory.ImportTx) error {
		for _, err := range []func() error{
			func() error { return tx.ImportSecurityProviders(ctx, []directory.SecurityProvider{r.provider}) },
			func() error { return tx.ImportUsers(ctx, []directory.User{r.user}) },
			func() error { return tx.ImportGroups(ctx, []directory.Group{r.group}) },
			func() error { return tx.ImportMembers(ctx, []directory.Member{r.member}) },
			func() error { return tx.ImportTeams(ctx, []directory.Team{r.team}) },
			func() error { return tx.ImportTeamUsers(ctx, []directory.TeamUser{r.teamUser}) },
			func() error { return tx.ImportAPIAccounts(ctx, []directory.APIAccount{r.account}) },
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
	equal(t, "imported rows", got, want)
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
	marks := directory.IDMarks{SecurityProvider: 2, User: 100, Group: 3, Member: 200, Team: 1, APIAccount: 50, Event: 1}
	importRows(t, s, func(tx directory.ImportTx) error { return tx.SetIDMarks(ctx, marks) })
	got, err := transfer(t, s).IDMarks(ctx)
	must(t, err)
	equal(t, "marks", got, directory.IDMarks{SecurityProvider: 4, User: 100, Group: 7, Member: 200, Team: 12,
		APIAccount: 50, Event: 300})

	u, g, team, a := user("next"), group("next"), directory.Team{Name: "next"}, account("next", "client-next")
	p := directory.SecurityProvider{Type: directory.ProviderSAML, Name: "next"}
	m := directory.Member{GroupID: r.group.ID, SecurityProviderID: 1, UserID: 0, GroupName: "x"}
	e := directory.Event{Actor: "cli", Action: "x", TargetType: "user"}
	write(t, s, func(tx directory.Tx) error {
		for _, err := range []error{tx.CreateSecurityProvider(ctx, &p), tx.CreateUser(ctx, &u), tx.CreateGroup(ctx, &g),
			tx.AddMember(ctx, &m), tx.CreateTeam(ctx, &team), tx.CreateAPIAccount(ctx, &a), tx.AppendEvent(ctx, &e)} {
			if err != nil {
				return err
			}
		}
		return nil
	})
	equal(t, "next ids", []int64{p.ID, u.ID, g.ID, m.ID, team.ID, a.ID, e.ID}, []int64{5, 101, 8, 201, 13, 51, 301})
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
	importFixture(t, s)
	importRows(t, s, func(tx directory.ImportTx) error { return tx.Clear(ctx) })
	for what, list := range map[string]func() (int, error){
		"users":  func() (int, error) { p, err := s.Users(ctx, directory.Query{}); return p.Total, err },
		"groups": func() (int, error) { p, err := s.Groups(ctx, directory.Query{}); return p.Total, err },
		"teams":  func() (int, error) { p, err := s.Teams(ctx, directory.Query{}); return p.Total, err },
		"events": func() (int, error) { p, err := s.Events(ctx, directory.Query{}); return p.Total, err },
		"API accounts": func() (int, error) {
			p, err := s.APIAccounts(ctx, directory.Query{})
			return p.Total, err
		},
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
