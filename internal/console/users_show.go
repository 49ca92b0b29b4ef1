package console

import (
	"net/http"
	"strconv"

	"github.com/gatehouse/gatehouse/internal/directory"
)

// A user's page lists up to these many of its group policies and teams,
// offers up to maxGroupChoices groups to add it to, and shows its latest
// userEvents audit events.
const (
	maxUserGroups   = 200
	maxTeams        = 200
	maxGroupChoices = 500
	userEvents      = 20
)

type userTeam struct {
	directory.Team
	Role directory.TeamRole
}

type userShowData struct {
	User         directory.User
	Groups       []directory.Group
	MoreGroups   bool
	GroupChoices []directory.Group
	Teams        []userTeam
	Events       []eventRow
}

func (c *console) userShow(q *request) error {
	u, err := c.user(q)
	if err != nil {
		return err
	}
	d, err := c.userShowData(q, u)
	if err != nil {
		return err
	}
	return q.render(http.StatusOK, "users_show", u.Username, d)
}

func (c *console) userShowData(q *request, u directory.User) (userShowData, error) {
	d := userShowData{User: u}
	groups, err := c.dir.UserGroups(q.ctx(), u.ID, directory.Query{Limit: maxUserGroups + 1, NoTotal: true})
	if err != nil {
		return d, err
	}
	d.Groups = groups.Items
	if len(d.Groups) > maxUserGroups {
		d.Groups, d.MoreGroups = d.Groups[:maxUserGroups], true
	}
	in := map[int64]bool{}
	for _, g := range d.Groups {
		in[g.ID] = true
	}
	all, err := c.dir.Groups(q.ctx(), directory.Query{Sort: []directory.SortKey{{Attr: directory.GroupName}},
		Limit: maxGroupChoices, NoTotal: true})
	if err != nil {
		return d, err
	}
	for _, g := range all.Items {
		if !in[g.ID] {
			d.GroupChoices = append(d.GroupChoices, g)
		}
	}
	teams, err := c.dir.Teams(q.ctx(), directory.Query{Filter: directory.Eq(directory.TeamMember, u.ID), Limit: maxTeams, NoTotal: true})
	if err != nil {
		return d, err
	}
	for _, t := range teams.Items {
		tu, err := c.dir.TeamUser(q.ctx(), t.ID, u.ID)
		switch {
		case err == nil:
			d.Teams = append(d.Teams, userTeam{Team: t, Role: tu.Role})
		case !directory.IsKind(err, directory.KindNotFound): // gone since the list: not on the team
			return d, err
		}
	}
	events, err := c.dir.Audit(q.ctx(), directory.AuditFilter{TargetType: "user", TargetID: u.ID, Limit: userEvents})
	if err != nil {
		return d, err
	}
	d.Events = eventRows(events.Items)
	return d, nil
}

// userGroups adds the user to a group policy (add=<id>) or removes it from
// one (remove=<id>).
func (c *console) userGroups(q *request) error {
	u, err := c.user(q)
	if err != nil {
		return err
	}
	var added, removed []int64
	p := directory.Problems{}
	for _, f := range []struct {
		name string
		ids  *[]int64
	}{{"add", &added}, {"remove", &removed}} {
		v := q.r.PostFormValue(f.name)
		if v == "" {
			continue
		}
		id, err := strconv.ParseInt(v, 10, 64)
		if err != nil || id < 1 || id > directory.MaxID {
			p.Add(f.name, "must name a group policy")
			continue
		}
		*f.ids = append(*f.ids, id)
	}
	if len(added)+len(removed) == 0 && len(p) == 0 {
		p.Add("add", "must name a group policy")
	}
	err = p.Err()
	if err == nil {
		err = c.dir.ChangeUserGroups(q.ctx(), u.ID, added, removed)
	}
	if err != nil {
		d, derr := c.userShowData(q, u)
		if derr != nil {
			return derr
		}
		return q.refuse(err, "users_show", u.Username, d)
	}
	if len(added) > 0 {
		q.flash(u.Username + " added to the group policy.")
	} else {
		q.flash(u.Username + " removed from the group policy.")
	}
	return q.redirect(userPath(u.ID) + "#groups")
}
