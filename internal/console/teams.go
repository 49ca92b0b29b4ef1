package console

import (
	"context"
	"net/http"
	"strconv"
	"strings"

	"github.com/gatehouse/gatehouse/internal/directory"
)

func (c *console) teamsRoutes() {
	c.page("GET "+Prefix+"/teams", c.teamsList)
	c.page("GET "+Prefix+"/teams/new", c.teamNew)
	c.page("POST "+Prefix+"/teams", c.teamCreate)
	c.page("GET "+Prefix+"/teams/{id}", c.teamShowPage)
	c.page("GET "+Prefix+"/teams/{id}/edit", c.teamEditPage)
	c.page("POST "+Prefix+"/teams/{id}/edit", c.teamEdit)
	c.page("GET "+Prefix+"/teams/{id}/delete", c.teamDeletePage)
	c.page("POST "+Prefix+"/teams/{id}/delete", c.teamDelete)
	c.page("POST "+Prefix+"/teams/{id}/users", c.teamUserAdd)
	c.page("POST "+Prefix+"/teams/{id}/users/{user}/role", c.teamUserRole)
	c.page("POST "+Prefix+"/teams/{id}/users/{user}/remove", c.teamUserRemove)
}

func teamPath(id int64) string { return Prefix + "/teams/" + strconv.FormatInt(id, 10) }

var teamRoles = []option{{string(directory.RoleMember), "Member"}, {string(directory.RoleLead), "Lead"},
	{string(directory.RoleManager), "Manager"}}

type teamsListData struct {
	Teams []directory.Team
	Pager pager
}

func (c *console) teamsList(q *request) error {
	q.form = map[string]string{}
	p := directory.Problems{}
	filter := nameSearch(q, directory.TeamName, p)
	var d teamsListData
	err := p.Err()
	if err == nil {
		d.Teams, d.Pager, err = listPage(q, filter, c.dir.Teams)
	}
	return q.list(err, "teams_list", "Teams", d)
}

func (c *console) team(q *request) (directory.Team, error) {
	id, err := pathID(q, "team")
	if err != nil {
		return directory.Team{}, err
	}
	return c.dir.Team(q.ctx(), id)
}

type teamData struct {
	Team   directory.Team
	Users  []teamUserRow
	Pager  pager
	Pick   userPick
	Roles  []option
	Events []eventRow
}

type teamUserRow struct {
	directory.TeamUser
	Username string
}

func (c *console) teamShowPage(q *request) error {
	t, err := c.team(q)
	if err != nil {
		return err
	}
	d, err := c.teamData(q, t)
	return q.list(err, "teams_show", t.Name, d)
}

// teamData reads what the team's page shows: a page of its users with
// their roles, the users a search found, and its history.
func (c *console) teamData(q *request, t directory.Team) (teamData, error) {
	d := teamData{Team: t, Roles: teamRoles}
	tus, pg, err := listPage(q, nil, func(ctx context.Context, dq directory.Query) (directory.Page[directory.TeamUser], error) {
		return c.dir.TeamUsers(ctx, t.ID, dq)
	})
	if err != nil {
		return d, err
	}
	d.Pager = pg
	ids := make([]int64, len(tus))
	for i, tu := range tus {
		ids[i] = tu.UserID
	}
	users, err := c.usersByID(q.ctx(), ids)
	if err != nil {
		return d, err
	}
	for _, tu := range tus {
		d.Users = append(d.Users, teamUserRow{TeamUser: tu, Username: users[tu.UserID].Username})
	}
	events, err := c.dir.Audit(q.ctx(), directory.AuditFilter{TargetType: "team", TargetID: t.ID, Limit: recordEvents})
	if err != nil {
		return d, err
	}
	d.Events = eventRows(events.Items)
	d.Pick, err = c.pickUsers(q, teamPath(t.ID)+"#users-h", teamPath(t.ID)+"/users", teamRoles)
	return d, err
}

// refuseTeam shows the team's page again with err's messages.
func (c *console) refuseTeam(q *request, t directory.Team, err error) error {
	if _, ok := formError(err); !ok {
		return err
	}
	d, derr := c.teamData(q, t)
	if derr != nil {
		return derr
	}
	return q.refuse(err, "teams_show", t.Name, d)
}

// teamForm fills the form with a team's values.
func teamForm(t *directory.Team) map[string]string {
	f := map[string]string{directory.FieldName: t.Name, directory.FieldCodeName: t.CodeName}
	if t.Comments != nil {
		f[directory.FieldComments] = *t.Comments
	}
	return f
}

// teamChange reads the form; empty comments are none.
func teamChange(q *request) directory.TeamChange {
	f := q.r.PostFormValue
	ch := directory.TeamChange{Name: directory.To(strings.TrimSpace(f(directory.FieldName))),
		CodeName: directory.To(strings.TrimSpace(f(directory.FieldCodeName))), Comments: directory.To[*string](nil)}
	if s := strings.TrimSpace(f(directory.FieldComments)); s != "" {
		ch.Comments = directory.To(&s)
	}
	return ch
}

func (c *console) teamNew(q *request) error {
	return q.render(http.StatusOK, "teams_new", "New team", nil)
}

func (c *console) teamCreate(q *request) error {
	t, err := c.dir.CreateTeam(q.ctx(), teamChange(q))
	if err != nil {
		return q.refuse(err, "teams_new", "New team", nil)
	}
	q.flash("Team " + t.Name + " created.")
	return q.redirect(teamPath(t.ID))
}

func (c *console) teamEditPage(q *request) error {
	t, err := c.team(q)
	if err != nil {
		return err
	}
	q.form = teamForm(&t)
	return q.render(http.StatusOK, "teams_edit", "Edit "+t.Name, t)
}

func (c *console) teamEdit(q *request) error {
	t, err := c.team(q)
	if err != nil {
		return err
	}
	if _, err := c.dir.UpdateTeam(q.ctx(), t.ID, teamChange(q)); err != nil {
		return q.refuse(err, "teams_edit", "Edit "+t.Name, t)
	}
	q.flash("Team " + t.Name + " saved.")
	return q.redirect(teamPath(t.ID))
}

func (c *console) teamDeletePage(q *request) error {
	t, err := c.team(q)
	if err != nil {
		return err
	}
	return q.render(http.StatusOK, "teams_delete", "Delete "+t.Name, t)
}

func (c *console) teamDelete(q *request) error {
	t, err := c.team(q)
	if err != nil {
		return err
	}
	if err := c.dir.DeleteTeam(q.ctx(), t.ID); err != nil {
		return err
	}
	q.flash("Team " + t.Name + " deleted.")
	return q.redirect(Prefix + "/teams")
}

// teamUserAdd puts the chosen user on the team with the chosen role.
func (c *console) teamUserAdd(q *request) error {
	t, err := c.team(q)
	if err != nil {
		return err
	}
	p := directory.Problems{}
	u, err := c.formUser(q, p)
	if err != nil {
		return err
	}
	if err = p.Err(); err == nil {
		_, err = c.dir.AddTeamUser(q.ctx(), directory.TeamUser{TeamID: t.ID, UserID: u.ID, Role: directory.TeamRole(q.r.PostFormValue(directory.FieldRole))})
	}
	if err != nil {
		return c.refuseTeam(q, t, err)
	}
	q.flash(u.Username + " added to " + t.Name + ".")
	return q.redirect(teamPath(t.ID))
}

// teamUser reads the {user} of the path: a user on the team.
func (c *console) teamUser(q *request, t directory.Team) (directory.TeamUser, error) {
	id, err := strconv.ParseInt(q.r.PathValue("user"), 10, 64)
	if err != nil || id < 1 || id > directory.MaxID {
		return directory.TeamUser{}, directory.NotFound("team user")
	}
	return c.dir.TeamUser(q.ctx(), t.ID, id)
}

func (c *console) teamUserRole(q *request) error {
	t, err := c.team(q)
	if err != nil {
		return err
	}
	tu, err := c.teamUser(q, t)
	if err != nil {
		return err
	}
	role := directory.TeamRole(q.r.PostFormValue(directory.FieldRole))
	if _, err := c.dir.UpdateTeamUser(q.ctx(), t.ID, tu.UserID, directory.To(role), 0); err != nil {
		return c.refuseTeam(q, t, err)
	}
	q.flash("Role changed to " + string(role) + ".")
	return q.redirect(teamPath(t.ID))
}

func (c *console) teamUserRemove(q *request) error {
	t, err := c.team(q)
	if err != nil {
		return err
	}
	tu, err := c.teamUser(q, t)
	if err != nil {
		return err
	}
	if err := c.dir.RemoveTeamUser(q.ctx(), t.ID, tu.UserID); err != nil {
		return err
	}
	q.flash("User removed from " + t.Name + ".")
	return q.redirect(teamPath(t.ID))
}
