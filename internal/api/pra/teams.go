package pra

import (
	"context"
	"math"

	"github.com/gatehouse/gatehouse/internal/directory"
	"github.com/gatehouse/gatehouse/internal/httpx"
)

var teamFilters = []filter{
	{name: "name", attr: directory.TeamName, min: 1, max: 255},
	{name: "code_name", attr: directory.TeamCodeName, min: 0, max: 64},
}

var teamSchema = httpx.NewSchema(
	httpx.Field{Name: "id", ReadOnly: true},
	httpx.Field{Name: "name", Kind: httpx.String},
	httpx.Field{Name: "code_name", Kind: httpx.String},
	httpx.Field{Name: "comments", Kind: httpx.NullableString},
)

func writeTeam(j *httpx.JSON, t *directory.Team) {
	j.Object()
	j.Int("id", t.ID)
	j.String("name", t.Name)
	j.String("code_name", t.CodeName)
	j.NullableString("comments", t.Comments)
	j.EndObject()
}

func teamRules(v *httpx.Values) directory.Problems { return teamChange(v).Validate() }

func teamChange(v *httpx.Values) directory.TeamChange {
	var c directory.TeamChange
	set(&c.Name, v.String, "name")
	set(&c.CodeName, v.String, "code_name")
	set(&c.Comments, v.NullableString, "comments")
	return c
}

func (a *api) listTeams(c *call) error {
	return list(c, teamFilters, a.dir.Teams, writeTeam)
}

func (a *api) getTeam(c *call) error {
	id, err := c.id()
	if err != nil {
		return err
	}
	t, err := a.dir.Team(c.ctx(), id)
	if err != nil {
		return err
	}
	return c.respond(200, func(j *httpx.JSON) { writeTeam(j, &t) })
}

func (a *api) createTeam(c *call) error {
	v, err := c.checkedBody(teamSchema, teamRules, "name")
	if err != nil {
		return err
	}
	t, err := a.dir.CreateTeam(c.ctx(), teamChange(v))
	if err != nil {
		return err
	}
	return c.created("/team/"+itoa(t.ID), func(j *httpx.JSON) { writeTeam(j, &t) })
}

func (a *api) updateTeam(c *call) error {
	id, err := c.id()
	if err != nil {
		return err
	}
	v, err := c.checkedBody(teamSchema, teamRules)
	if err != nil {
		return err
	}
	t, err := a.dir.UpdateTeam(c.ctx(), id, teamChange(v))
	if err != nil {
		return err
	}
	return c.respond(200, func(j *httpx.JSON) { writeTeam(j, &t) })
}

func (a *api) deleteTeam(c *call) error {
	id, err := c.id()
	if err != nil {
		return err
	}
	if err := a.dir.DeleteTeam(c.ctx(), id); err != nil {
		return err
	}
	return c.noContent()
}

// Team users. On POST, team_id may repeat the path's team; on PATCH it
// moves the user to another team and user_id is read-only (the path names
// the user).
var (
	teamUserCreateSchema = httpx.NewSchema(
		httpx.Field{Name: "team_id", Kind: httpx.Int, Min: 1, Max: math.MaxInt32},
		httpx.Field{Name: "user_id", Kind: httpx.Int, Min: 1, Max: math.MaxInt32},
		httpx.Field{Name: "role", Kind: httpx.String},
	)
	teamUserUpdateSchema = httpx.NewSchema(
		httpx.Field{Name: "team_id", Kind: httpx.Int, Min: 1, Max: math.MaxInt32},
		httpx.Field{Name: "user_id", ReadOnly: true},
		httpx.Field{Name: "role", Kind: httpx.String},
	)
)

// teamUserRules are the rules a team user body breaks, reported beside its
// type errors: on POST a team_id other than the path's (teamID), and an
// unknown role (absent, it defaults to member).
func teamUserRules(teamID int64, create bool) func(*httpx.Values) directory.Problems {
	return func(v *httpx.Values) directory.Problems {
		p := directory.Problems{}
		if create {
			for field, msgs := range sameID("team_id", teamID, "must be the id of the team in the URL")(v) {
				p[field] = msgs
			}
		}
		if role, ok := v.String("role"); ok {
			directory.TeamRole(role).Check(p)
		}
		return p
	}
}

func writeTeamUser(j *httpx.JSON, tu *directory.TeamUser) {
	j.Object()
	j.Int("team_id", tu.TeamID)
	j.Int("user_id", tu.UserID)
	j.String("role", string(tu.Role))
	j.EndObject()
}

func (a *api) listTeamUsers(c *call) error {
	id, err := c.id()
	if err != nil {
		return err
	}
	return list(c, nil, func(ctx context.Context, q directory.Query) (directory.Page[directory.TeamUser], error) {
		return a.dir.TeamUsers(ctx, id, q)
	}, writeTeamUser)
}

func (a *api) getTeamUser(c *call) error {
	ids, err := c.ids("id", "user_id")
	if err != nil {
		return err
	}
	tu, err := a.dir.TeamUser(c.ctx(), ids[0], ids[1])
	if err != nil {
		return err
	}
	return c.respond(200, func(j *httpx.JSON) { writeTeamUser(j, &tu) })
}

func (a *api) addTeamUser(c *call) error {
	id, err := c.id()
	if err != nil {
		return err
	}
	v, err := c.checkedBody(teamUserCreateSchema, teamUserRules(id, true), "user_id")
	if err != nil {
		return err
	}
	tu := directory.TeamUser{TeamID: id}
	tu.UserID, _ = v.Int("user_id")
	if role, ok := v.String("role"); ok {
		tu.Role = directory.TeamRole(role)
	}
	tu, err = a.dir.AddTeamUser(c.ctx(), tu)
	if err != nil {
		return err
	}
	return c.created("/team/"+itoa(tu.TeamID)+"/user/"+itoa(tu.UserID), func(j *httpx.JSON) { writeTeamUser(j, &tu) })
}

func (a *api) updateTeamUser(c *call) error {
	ids, err := c.ids("id", "user_id")
	if err != nil {
		return err
	}
	v, err := c.checkedBody(teamUserUpdateSchema, teamUserRules(0, false))
	if err != nil {
		return err
	}
	var role directory.Set[directory.TeamRole]
	if r, ok := v.String("role"); ok {
		role = directory.To(directory.TeamRole(r))
	}
	newTeam, _ := v.Int("team_id")
	tu, err := a.dir.UpdateTeamUser(c.ctx(), ids[0], ids[1], role, newTeam)
	if err != nil {
		return err
	}
	return c.respond(200, func(j *httpx.JSON) { writeTeamUser(j, &tu) })
}

func (a *api) removeTeamUser(c *call) error {
	ids, err := c.ids("id", "user_id")
	if err != nil {
		return err
	}
	if err := a.dir.RemoveTeamUser(c.ctx(), ids[0], ids[1]); err != nil {
		return err
	}
	return c.noContent()
}
