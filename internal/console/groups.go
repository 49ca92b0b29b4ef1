package console

import (
	"context"
	"net/http"
	"strconv"
	"strings"

	"github.com/gatehouse/gatehouse/internal/directory"
)

// A group is one row that every face shows as its own kind: a PRA group
// policy (access status and perm_* settings), a BeyondInsight user group
// (active, Permissions, API registrations), a SCIM group (external id).
// The console shows it once, with each kind's fields in a section of
// their own.
func (c *console) groupsRoutes() {
	c.page("GET "+Prefix+"/groups", c.groupsList)
	c.page("GET "+Prefix+"/groups/new", c.groupNew)
	c.page("POST "+Prefix+"/groups", c.groupCreate)
	c.page("GET "+Prefix+"/groups/{id}", c.groupShowPage)
	c.page("GET "+Prefix+"/groups/{id}/edit", c.groupEditPage)
	c.page("POST "+Prefix+"/groups/{id}/edit", c.groupEdit)
	c.page("GET "+Prefix+"/groups/{id}/delete", c.groupDeletePage)
	c.page("POST "+Prefix+"/groups/{id}/delete", c.groupDelete)
	c.page("POST "+Prefix+"/groups/{id}/members", c.groupMemberAdd)
	c.page("POST "+Prefix+"/groups/{id}/members/{member}/remove", c.groupMemberRemove)
}

func groupPath(id int64) string { return Prefix + "/groups/" + strconv.FormatInt(id, 10) }

// groupSources are the sources a group can come from, for the list's
// filter.
var groupSources = []option{{"", "Any"}, {string(directory.SourceLocal), "local"}, {string(directory.SourceLDAP), "ldap"},
	{string(directory.SourceActiveDirectory), "active_directory"}, {string(directory.SourceSAML), "saml"}, {string(directory.SourceSCIM), "scim"}}

type groupsListData struct {
	Groups  []directory.Group
	Pager   pager
	Sources []option
}

func (c *console) groupsList(q *request) error {
	query := q.r.URL.Query()
	q.form = map[string]string{}
	p := directory.Problems{}
	var and directory.And
	if byName := nameSearch(q, directory.GroupName, p); byName != nil {
		and = append(and, byName)
	}
	if src := query.Get("source"); src != "" {
		q.form["source"] = src
		if !validOption(groupSources, src) {
			p.Add("source", "must be one of local, ldap, active_directory, saml or scim")
		}
		and = append(and, directory.Eq(directory.GroupSource, src))
	}
	var filter directory.Expr
	if len(and) > 0 {
		filter = and
	}
	d := groupsListData{Sources: groupSources}
	err := p.Err()
	if err == nil {
		d.Groups, d.Pager, err = listPage(q, filter, c.dir.Groups)
	}
	return q.list(err, "groups_list", "Group policies and user groups", d)
}

func (c *console) group(q *request) (directory.Group, error) {
	id, err := pathID(q, "group")
	if err != nil {
		return directory.Group{}, err
	}
	return c.dir.Group(q.ctx(), id)
}

// recordEvents is how much of a record's audit history its page shows.
const recordEvents = 10

type groupData struct {
	Group         directory.Group
	Members       []memberRow
	Pager         pager
	Pick          userPick
	Providers     []option // the providers external members can come from
	Registrations []directory.APIRegistration
	Permissions   []permissionRow
	IdleTimeout   string // in words
	Events        []eventRow
}

// memberRow is one member: a user, or an external group or DN of a
// security provider.
type memberRow struct {
	directory.Member
	User     *directory.User
	Provider string
}

type permissionRow struct{ Name, Level string }

// levelNames are BeyondInsight's access levels as the console names them.
var levelNames = map[directory.AccessLevel]string{directory.LevelNone: "None", directory.LevelRead: "Read",
	directory.LevelReadWrite: "Read/write"}

func (c *console) groupShowPage(q *request) error {
	g, err := c.group(q)
	if err != nil {
		return err
	}
	d, err := c.groupData(q, g)
	return q.list(err, "groups_show", g.Name, d)
}

// groupData reads what the group's page shows: a page of its members, the
// users a member search found, its permissions, registrations and history.
func (c *console) groupData(q *request, g directory.Group) (groupData, error) {
	d := groupData{Group: g, IdleTimeout: strconv.Itoa(g.Access.SessionIdleTimeout)}
	for _, o := range idleTimeouts {
		if o.Value == d.IdleTimeout {
			d.IdleTimeout = o.Label
		}
	}
	for _, gp := range g.Permissions {
		d.Permissions = append(d.Permissions, permissionRow{Name: permissionName(gp.PermissionID), Level: levelNames[gp.Level]})
	}
	for _, id := range g.RegistrationIDs {
		r, err := c.dir.APIRegistration(q.ctx(), id)
		if err != nil {
			return d, err
		}
		d.Registrations = append(d.Registrations, r)
	}
	providers, err := c.dir.SecurityProviders(q.ctx(), directory.Query{Limit: directory.MaxPageSize, NoTotal: true})
	if err != nil {
		return d, err
	}
	names := map[int64]string{}
	for _, p := range providers.Items {
		names[p.ID] = p.Name
		if p.Type == directory.ProviderLDAP || p.Type == directory.ProviderSAML || p.Type == directory.ProviderSCIM {
			d.Providers = append(d.Providers, option{strconv.FormatInt(p.ID, 10), p.Name + " (" + string(p.Type) + ")"})
		}
	}
	members, pg, err := listPage(q, nil, func(ctx context.Context, dq directory.Query) (directory.Page[directory.Member], error) {
		return c.dir.Members(ctx, g.ID, dq)
	})
	if err != nil {
		return d, err
	}
	d.Pager = pg
	var ids []int64
	for _, m := range members {
		if m.UserID != 0 {
			ids = append(ids, m.UserID)
		}
	}
	users, err := c.usersByID(q.ctx(), ids)
	if err != nil {
		return d, err
	}
	for _, m := range members {
		row := memberRow{Member: m, Provider: names[m.SecurityProviderID]}
		if u, ok := users[m.UserID]; ok {
			row.User = &u
		}
		d.Members = append(d.Members, row)
	}
	events, err := c.dir.Audit(q.ctx(), directory.AuditFilter{TargetType: "group", TargetID: g.ID, Limit: recordEvents})
	if err != nil {
		return d, err
	}
	d.Events = eventRows(events.Items)
	d.Pick, err = c.pickUsers(q, groupPath(g.ID)+"#members-h", groupPath(g.ID)+"/members", nil)
	return d, err
}

func permissionName(id int64) string {
	for _, p := range directory.PermissionCatalog {
		if p.ID == id {
			return p.Name
		}
	}
	return "Permission " + strconv.FormatInt(id, 10)
}

// groupMemberAdd adds a user (user_id: the provider is the user's) or an
// external group or DN of a security provider.
func (c *console) groupMemberAdd(q *request) error {
	g, err := c.group(q)
	if err != nil {
		return err
	}
	in := directory.MemberInput{GroupName: strings.TrimSpace(q.r.PostFormValue(directory.FieldGroupName)),
		DistinguishedName: strings.TrimSpace(q.r.PostFormValue(directory.FieldDistinguishedName))}
	p := directory.Problems{}
	what := ""
	if s := q.r.PostFormValue(directory.FieldUserID); s != "" {
		u, err := c.formUser(q, p)
		if err != nil {
			return err
		}
		in.UserID, in.SecurityProviderID, what = u.ID, u.SecurityProviderID, u.Username
	} else {
		in.SecurityProviderID = formInt(q, directory.FieldSecurityProviderID, p)
		what = in.GroupName + in.DistinguishedName
	}
	err = p.Err()
	if err == nil {
		_, err = c.dir.AddMember(q.ctx(), g.ID, in)
	}
	if err != nil {
		return c.refuseGroup(q, g, err)
	}
	q.flash(what + " added to " + g.Name + ".")
	return q.redirect(groupPath(g.ID))
}

// formUser reads the form's user_id: a user that exists.
func (c *console) formUser(q *request, p directory.Problems) (directory.User, error) {
	id := formInt(q, directory.FieldUserID, p)
	if len(p) > 0 {
		return directory.User{}, nil
	}
	u, err := c.dir.User(q.ctx(), id)
	if directory.IsKind(err, directory.KindNotFound) {
		p.Add(directory.FieldUserID, "does not exist")
		return u, nil
	}
	return u, err
}

// refuseGroup shows the group's page again with err's messages.
func (c *console) refuseGroup(q *request, g directory.Group, err error) error {
	if _, ok := formError(err); !ok {
		return err
	}
	d, derr := c.groupData(q, g)
	if derr != nil {
		return derr
	}
	return q.refuse(err, "groups_show", g.Name, d)
}

func (c *console) groupMemberRemove(q *request) error {
	g, err := c.group(q)
	if err != nil {
		return err
	}
	id, err := strconv.ParseInt(q.r.PathValue("member"), 10, 64)
	if err != nil || id < 1 || id > directory.MaxID {
		return directory.NotFound("member")
	}
	if err := c.dir.RemoveMember(q.ctx(), g.ID, id); err != nil {
		return c.refuseGroup(q, g, err)
	}
	q.flash("Member removed from " + g.Name + ".")
	return q.redirect(groupPath(g.ID))
}

func (c *console) groupDeletePage(q *request) error {
	g, err := c.group(q)
	if err != nil {
		return err
	}
	return q.render(http.StatusOK, "groups_delete", "Delete "+g.Name, g)
}

// groupDelete deletes the group the confirmation page showed, not one
// that changed since (its version).
func (c *console) groupDelete(q *request) error {
	g, err := c.group(q)
	if err != nil {
		return err
	}
	version, err := formVersion(q)
	if err == nil {
		err = c.dir.DeleteGroupIf(q.ctx(), g.ID, version)
	}
	if err != nil {
		return q.refuse(err, "groups_delete", "Delete "+g.Name, g)
	}
	q.flash("Group " + g.Name + " deleted.")
	return q.redirect(Prefix + "/groups")
}
