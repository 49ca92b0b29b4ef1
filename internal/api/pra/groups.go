package pra

import (
	"context"
	"math"

	"github.com/gatehouse/gatehouse/internal/directory"
	"github.com/gatehouse/gatehouse/internal/httpx"
)

var groupFilters = []filter{{name: "name", attr: directory.GroupName, min: 1, max: 255}}

var groupSchema = func() *httpx.Schema {
	fields := []httpx.Field{
		{Name: "id", ReadOnly: true},
		{Name: "name", Kind: httpx.String},
		{Name: "access_perm_status", Kind: httpx.String},
	}
	for _, f := range accessFields {
		fields = append(fields, f.bodyField())
	}
	return httpx.NewSchema(fields...)
}()

var copySchema = httpx.NewSchema(httpx.Field{Name: "name", Kind: httpx.String})

// noFields is the schema of a POST that takes no body: any field is unknown.
var noFields = httpx.NewSchema()

func writeGroup(j *httpx.JSON, g *directory.Group) {
	j.Object()
	j.Int("id", g.ID)
	j.String("name", g.Name)
	j.Bool(permAccessAllowed, g.Access.AccessAllowed)
	j.String("access_perm_status", string(g.AccessStatus))
	writeAccess(j, &g.Access)
	j.EndObject()
}

func (a *api) listGroups(c *call) error {
	return list(c, groupFilters, a.dir.Groups, writeGroup)
}

func (a *api) getGroup(c *call) error {
	id, err := c.id()
	if err != nil {
		return err
	}
	g, err := a.dir.Group(c.ctx(), id)
	if err != nil {
		return err
	}
	return c.respond(200, func(j *httpx.JSON) { writeGroup(j, &g) })
}

// createGroup adds a group policy. As PRA documents, access_perm_status
// defaults to "defined" when the body sets any permission, else to
// "not_defined" (the directory's default).
func (a *api) createGroup(c *call) error {
	v, err := c.checkedBody(groupSchema, groupRules, "name")
	if err != nil {
		return err
	}
	g, err := a.dir.CreateGroup(c.ctx(), directory.NewGroup{GroupChange: groupChange(v)})
	if err != nil {
		return err
	}
	return c.created("/group-policy/"+itoa(g.ID), func(j *httpx.JSON) { writeGroup(j, &g) })
}

// groupChange maps a group policy body onto a new policy's fields: its
// settings onto the defaults.
func groupChange(v *httpx.Values) directory.GroupChange {
	var c directory.GroupChange
	set(&c.Name, v.String, "name")
	access := directory.DefaultAccess()
	if applyAccess(v, &access) {
		c.Access = directory.To(access)
		c.AccessStatus = directory.To(directory.AccessDefined)
	}
	if s, ok := v.String("access_perm_status"); ok {
		c.AccessStatus = directory.To(directory.AccessStatus(s))
	}
	return c
}

// groupRules checks a body's settings onto the defaults, which are valid,
// so only the body's own values can break a rule: a PATCH's merge onto the
// stored settings breaks the same ones.
func groupRules(v *httpx.Values) directory.Problems { return groupChange(v).Validate() }

// maxMergeAttempts bounds how often a PATCH re-reads a group policy whose
// settings another request changed between its read and its write.
const maxMergeAttempts = 3

// updateGroup applies a partial change. The directory replaces the settings
// block as a whole, so the face merges the given settings onto the stored
// ones, and writes only if the group is still at the version it read, so
// that two concurrent PATCHes of different settings both take effect.
func (a *api) updateGroup(c *call) error {
	id, err := c.id()
	if err != nil {
		return err
	}
	v, err := c.checkedBody(groupSchema, groupRules)
	if err != nil {
		return err
	}
	var change directory.GroupChange
	set(&change.Name, v.String, "name")
	if s, ok := v.String("access_perm_status"); ok {
		change.AccessStatus = directory.To(directory.AccessStatus(s))
	}
	hasAccess := applyAccess(v, &directory.AccessSettings{})
	for attempt := 1; ; attempt++ {
		var version int64
		if hasAccess {
			cur, err := a.dir.Group(c.ctx(), id)
			if err != nil {
				return err
			}
			applyAccess(v, &cur.Access)
			change.Access, version = directory.To(cur.Access), cur.Version
		}
		g, err := a.dir.UpdateGroup(c.ctx(), id, change, version)
		if directory.IsKind(err, directory.KindPrecondition) && attempt < maxMergeAttempts {
			continue
		}
		if err != nil {
			return err
		}
		return c.respond(200, func(j *httpx.JSON) { writeGroup(j, &g) })
	}
}

func (a *api) deleteGroup(c *call) error {
	id, err := c.id()
	if err != nil {
		return err
	}
	if err := a.dir.DeleteGroup(c.ctx(), id); err != nil {
		return err
	}
	return c.noContent()
}

func (a *api) copyGroup(c *call) error {
	id, err := c.id()
	if err != nil {
		return err
	}
	v, err := c.body(copySchema, "name")
	if err != nil {
		return err
	}
	name, _ := v.String("name")
	g, err := a.dir.CopyGroup(c.ctx(), id, name)
	if err != nil {
		return err
	}
	return c.created("/group-policy/"+itoa(g.ID), func(j *httpx.JSON) { writeGroup(j, &g) })
}

// provisionGroup recalculates the effective settings of the policy's
// direct user members.
func (a *api) provisionGroup(c *call) error {
	id, err := c.id()
	if err != nil {
		return err
	}
	if _, err := c.body(noFields); err != nil {
		return err
	}
	if err := a.dir.ProvisionGroup(c.ctx(), id); err != nil {
		return err
	}
	return c.noContent()
}

// listUserGroups lists the group policies a user is a direct member of, in
// priority order.
func (a *api) listUserGroups(c *call) error {
	id, err := c.id()
	if err != nil {
		return err
	}
	return list(c, nil, userGroups(a, id), writeGroup)
}

func userGroups(a *api, userID int64) fetchFunc[directory.Group] {
	return func(ctx context.Context, q directory.Query) (directory.Page[directory.Group], error) {
		return a.dir.UserGroups(ctx, userID, q)
	}
}

var groupChangesSchema = httpx.NewSchema(
	httpx.Field{Name: "added", Kind: httpx.IntArray, Min: 1, Max: math.MaxInt32},
	httpx.Field{Name: "removed", Kind: httpx.IntArray, Min: 1, Max: math.MaxInt32},
)

// changeUserGroups adds a local user to and removes it from group policies.
// PRA documents a GroupPolicy as the answer, which cannot describe several
// changes; Gatehouse answers with what a client wants to know next, the
// user's policies: the first page of GET /user/{id}/group-policies, with its
// pagination headers pointing there.
func (a *api) changeUserGroups(c *call) error {
	id, err := c.id()
	if err != nil {
		return err
	}
	v, err := c.body(groupChangesSchema)
	if err != nil {
		return err
	}
	added, _ := v.Ints("added")
	removed, _ := v.Ints("removed")
	if err := a.dir.ChangeUserGroups(c.ctx(), id, added, removed); err != nil {
		return err
	}
	page := httpx.Page{PerPage: httpx.DefaultPerPage, Current: 1}
	q := directory.Query{Offset: page.Offset(), Limit: page.Limit()}
	return servePage(c, page, prefix+"/user/"+itoa(id)+"/group-policies", nil, q, userGroups(a, id), writeGroup)
}
