package storetest

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/gatehouse/gatehouse/internal/directory"
)

var teamCases = []testCase{
	{"Teams", testTeams},
	{"TeamCodeNameUnique", testTeamCodeNameUnique},
	{"TeamUsers", testTeamUsers},
}

func testTeams(t *testing.T, open Opener) {
	s := openStore(t, open)
	teams := []directory.Team{
		{Name: "Support", CodeName: "support", Comments: ptr("first line")},
		{Name: "Ops", CodeName: "ops_team"},
		{Name: "support-eu"},
	}
	var now time.Time
	write(t, s, func(tx directory.Tx) error {
		now = tx.Now()
		for i := range teams {
			if err := tx.CreateTeam(ctx, &teams[i]); err != nil {
				return err
			}
		}
		return nil
	})
	for _, team := range teams {
		if team.ID <= 0 || !team.CreatedAt.Equal(now) || !team.UpdatedAt.Equal(now) {
			t.Fatalf("created team %+v at %v", team, now)
		}
		got, err := s.Team(ctx, team.ID)
		must(t, err)
		equal(t, "team", got, team)
	}
	for _, c := range []struct {
		filter directory.Expr
		want   []directory.Team
	}{
		{directory.Eq(directory.TeamName, "SUPPORT"), teams[:1]},
		{cmp(directory.TeamName, directory.OpSw, "support"), []directory.Team{teams[0], teams[2]}},
		{cmp(directory.TeamCodeName, directory.OpCo, "_"), teams[1:2]},
		{directory.Present{Attr: directory.TeamCodeName}, teams[:2]},
	} {
		page, err := s.Teams(ctx, directory.Query{Filter: c.filter, Limit: 10})
		must(t, err)
		equal(t, "filtered teams", page, directory.Page[directory.Team]{Items: c.want, Total: len(c.want)})
	}
	page, err := s.Teams(ctx, directory.Query{Sort: []directory.SortKey{{Attr: directory.TeamCodeName, Desc: true}}, Limit: 10})
	must(t, err)
	equal(t, "sorted teams", ids(page.Items), ids([]directory.Team{teams[0], teams[1], teams[2]}))

	team := teams[0]
	team.Name, team.CodeName, team.Comments = "Help desk", "", nil
	write(t, s, func(tx directory.Tx) error {
		now = tx.Now()
		return tx.UpdateTeam(ctx, &team)
	})
	got, err := s.Team(ctx, team.ID)
	must(t, err)
	equal(t, "updated team", got, team)
	if !got.UpdatedAt.Equal(now) || !got.CreatedAt.Equal(teams[0].CreatedAt) {
		t.Fatalf("updated team times %v %v, want %v %v", got.CreatedAt, got.UpdatedAt, teams[0].CreatedAt, now)
	}

	write(t, s, func(tx directory.Tx) error { return tx.DeleteTeam(ctx, team.ID) })
	_, err = s.Team(ctx, team.ID)
	wantKind(t, err, directory.KindNotFound)
	err = s.Write(ctx, func(tx directory.Tx) error { return tx.DeleteTeam(ctx, team.ID) })
	wantKind(t, err, directory.KindNotFound)
	err = s.Write(ctx, func(tx directory.Tx) error { return tx.UpdateTeam(ctx, &team) })
	wantKind(t, err, directory.KindNotFound)
}

func testTeamCodeNameUnique(t *testing.T, open Opener) {
	s := openStore(t, open)
	a, b := directory.Team{Name: "A", CodeName: "a"}, directory.Team{Name: "B"}
	write(t, s, func(tx directory.Tx) error {
		if err := tx.CreateTeam(ctx, &a); err != nil {
			return err
		}
		dup := directory.Team{Name: "Another A", CodeName: "A"} // unique regardless of case
		wantConflict(t, tx.CreateTeam(ctx, &dup), directory.FieldCodeName)
		// Empty code names are not unique, and neither are names.
		for _, team := range []*directory.Team{&b, {Name: "B"}, {Name: "A"}} {
			if err := tx.CreateTeam(ctx, team); err != nil {
				return err
			}
		}
		return nil
	})
	b.CodeName = "A"
	err := s.Write(ctx, func(tx directory.Tx) error { return tx.UpdateTeam(ctx, &b) })
	wantConflict(t, err, directory.FieldCodeName)
	b.CodeName = "b"
	write(t, s, func(tx directory.Tx) error { return tx.UpdateTeam(ctx, &b) })
}

func testTeamUsers(t *testing.T, open Opener) {
	s := openStore(t, open)
	users := createUsers(t, s, "a", "b", "c")
	var team, other directory.Team
	write(t, s, func(tx directory.Tx) error {
		team, other = directory.Team{Name: "T"}, directory.Team{Name: "O"}
		if err := tx.CreateTeam(ctx, &team); err != nil {
			return err
		}
		if err := tx.CreateTeam(ctx, &other); err != nil {
			return err
		}
		for _, i := range []int{2, 0, 1} {
			if err := tx.PutTeamUser(ctx, directory.TeamUser{TeamID: team.ID, UserID: users[i].ID, Role: directory.RoleMember}); err != nil {
				return err
			}
		}
		// Putting again changes the role.
		return tx.PutTeamUser(ctx, directory.TeamUser{TeamID: team.ID, UserID: users[1].ID, Role: directory.RoleLead})
	})
	want := []directory.TeamUser{
		{TeamID: team.ID, UserID: users[0].ID, Role: directory.RoleMember},
		{TeamID: team.ID, UserID: users[1].ID, Role: directory.RoleLead},
		{TeamID: team.ID, UserID: users[2].ID, Role: directory.RoleMember},
	}
	page, err := s.TeamUsers(ctx, team.ID, directory.Query{Limit: 10})
	must(t, err)
	equal(t, "team users", page, directory.Page[directory.TeamUser]{Items: want, Total: 3})
	page, err = s.TeamUsers(ctx, team.ID, directory.Query{Offset: 1, Limit: 1})
	must(t, err)
	equal(t, "second team user", page, directory.Page[directory.TeamUser]{Items: want[1:2], Total: 3})
	got, err := s.TeamUser(ctx, team.ID, users[1].ID)
	must(t, err)
	equal(t, "team user", got, want[1])
	_, err = s.TeamUser(ctx, other.ID, users[1].ID)
	wantKind(t, err, directory.KindNotFound)

	// A user's teams, found from the user's side; pr is any user at all.
	write(t, s, func(tx directory.Tx) error {
		return tx.PutTeamUser(ctx, directory.TeamUser{TeamID: other.ID, UserID: users[1].ID, Role: directory.RoleManager})
	})
	for _, c := range []struct {
		filter directory.Expr
		want   []int64
	}{
		{directory.Eq(directory.TeamMember, users[1].ID), []int64{team.ID, other.ID}},
		{directory.Eq(directory.TeamMember, users[0].ID), []int64{team.ID}},
		{directory.Compare{Attr: directory.TeamMember, Op: directory.OpNe, Value: users[0].ID}, []int64{other.ID}},
		{directory.Present{Attr: directory.TeamMember}, []int64{team.ID, other.ID}},
		{directory.Eq(directory.TeamMember, users[2].ID+100), []int64{}},
	} {
		teams, err := s.Teams(ctx, directory.Query{Filter: c.filter, Limit: 10})
		must(t, err)
		equal(t, fmt.Sprintf("teams where %v", c.filter), ids(teams.Items), c.want)
	}
	write(t, s, func(tx directory.Tx) error { return tx.RemoveTeamUser(ctx, other.ID, users[1].ID) })

	write(t, s, func(tx directory.Tx) error { return tx.RemoveTeamUser(ctx, team.ID, users[0].ID) })
	err = s.Write(ctx, func(tx directory.Tx) error { return tx.RemoveTeamUser(ctx, team.ID, users[0].ID) })
	wantKind(t, err, directory.KindNotFound)
	page, err = s.TeamUsers(ctx, team.ID, directory.Query{Limit: 10})
	must(t, err)
	if !slices.Equal([]int64{page.Items[0].UserID, page.Items[1].UserID}, []int64{users[1].ID, users[2].ID}) {
		t.Fatalf("team users after removal: %+v", page)
	}

	write(t, s, func(tx directory.Tx) error { return tx.DeleteTeam(ctx, team.ID) })
	page, err = s.TeamUsers(ctx, team.ID, directory.Query{Limit: 10})
	must(t, err)
	if page.Total != 0 {
		t.Fatalf("a deleted team still has users: %+v", page)
	}
}
