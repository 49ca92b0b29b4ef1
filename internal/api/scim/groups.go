package scim

import (
	"net/http"
	"slices"
	"strings"

	"github.com/gatehouse/gatehouse/internal/api/scim/patch"
	"github.com/gatehouse/gatehouse/internal/api/scim/schema"
	"github.com/gatehouse/gatehouse/internal/directory"
)

// memberBatch is how many members a group's representation reads from the
// store at a time.
const memberBatch = directory.MaxPageSize

// groupDoc is a group as a SCIM Group. members, when not nil, are its
// direct user members, as memberList makes them.
func groupDoc(base string, g *directory.Group, members []any) map[string]any {
	doc := map[string]any{
		attrSchemas:   []any{schema.GroupURN},
		attrID:        itoa(g.ID),
		"displayName": g.Name,
	}
	setStr(doc, attrExternalID, g.ExternalID)
	if members != nil {
		doc["members"] = members
	}
	doc[attrMeta] = map[string]any{
		"resourceType": "Group",
		"created":      scimTime(g.CreatedAt),
		"lastModified": scimTime(g.UpdatedAt),
		"location":     base + "/Groups/" + itoa(g.ID),
		"version":      weakTag(g.Version),
	}
	return doc
}

// memberList reads every direct user member of a group, a batch at a
// time by id, keeping of each user only what its member value shows.
func (a *api) memberList(c *call, id int64) ([]any, error) {
	out := []any{}
	base := c.base()
	for after := int64(0); ; {
		page, err := a.dir.MemberUsers(c.ctx(), id, directory.Query{
			Filter: directory.Compare{Attr: directory.UserID, Op: directory.OpGt, Value: after},
			Sort:   []directory.SortKey{{Attr: directory.UserID}}, Limit: memberBatch, NoTotal: true})
		if err != nil {
			return nil, err
		}
		for i := range page.Items {
			u := &page.Items[i]
			uid := itoa(u.ID)
			out = append(out, map[string]any{"value": uid, "$ref": base + "/Users/" + uid, "display": u.DisplayName, "type": "User"})
			after = u.ID
		}
		if len(page.Items) < memberBatch {
			return out, nil
		}
	}
}

// groupChange maps a normalized Group onto a directory change and the ids
// of its members (nil when it names none).
func groupChange(doc map[string]any) (directory.GroupChange, []int64, error) {
	var ch directory.GroupChange
	var required error
	if name := getStr(doc, "displayName"); name == "" {
		required = badRequest(typeInvalidValue, "The displayName attribute is required.")
	} else {
		ch.Name = directory.To(name)
	}
	ch.ExternalID = directory.To(getStr(doc, attrExternalID))
	ids, err := memberIDs(getList(doc, "members"))
	return ch, ids, invalidValues(required, err)
}

// memberIDs reads members' values as user ids. Gatehouse groups hold users
// only: a member of type Group is refused.
func memberIDs(members []map[string]any) ([]int64, error) {
	var ids []int64
	for _, m := range members {
		if t := getStr(m, "type"); t != "" && !strings.EqualFold(t, "User") {
			return nil, badRequest(typeInvalidValue, "Groups may only have users as members, not "+quote(t)+".")
		}
		v := getStr(m, "value")
		id, ok := parseID(v)
		if !ok {
			return nil, badRequest(typeInvalidValue, "The members value "+quote(v)+" names no user.")
		}
		if !slices.Contains(ids, id) {
			ids = append(ids, id)
		}
	}
	return ids, nil
}

// readGroupBody reads a POST or PUT body: a Group whose readOnly
// attributes (id, meta) are ignored.
func (c *call) readGroupBody() (directory.GroupChange, []int64, error) {
	body, err := c.body()
	if err != nil {
		return directory.GroupChange{}, nil, err
	}
	if err := checkSchemas(body, schema.GroupResource); err != nil {
		return directory.GroupChange{}, nil, err
	}
	doc, typeErr := normalize(body, schema.GroupResource)
	if doc == nil {
		return directory.GroupChange{}, nil, typeErr
	}
	ch, members, err := groupChange(doc)
	if typeErr == nil && err == nil {
		return ch, members, nil // the directory checks its rules
	}
	return ch, members, invalidValues(typeErr, err, ch.Validate().Err())
}

// showGroup writes a group as the request's attributes and
// excludedAttributes shape it; its members are read only when shown.
func (a *api) showGroup(c *call, status int, g *directory.Group) error {
	proj, err := c.projection(a.groups)
	if err != nil {
		return err
	}
	var members []any
	if proj.wants("members") {
		if members, err = a.memberList(c, g.ID); err != nil {
			return err
		}
	}
	doc := proj.apply(groupDoc(c.base(), g, members), a.groups.res)
	if status == http.StatusCreated {
		return c.created(doc, c.base()+"/Groups/"+itoa(g.ID), g.Version)
	}
	return c.resource(status, doc, g.Version)
}

func (c *call) groupID() (int64, error) {
	id, ok := parseID(c.r.PathValue("id"))
	if !ok {
		return 0, notFound("Group not found.")
	}
	return id, nil
}

func (a *api) getGroup(c *call) error {
	id, err := c.groupID()
	if err != nil {
		return err
	}
	g, err := a.dir.Group(c.ctx(), id)
	if err != nil {
		return err
	}
	if c.notModified(g.Version) {
		return nil
	}
	return a.showGroup(c, http.StatusOK, &g)
}

// createGroup is POST /Groups: the group and its members in one write.
func (a *api) createGroup(c *call) error {
	ch, members, err := c.readGroupBody()
	if err != nil {
		return err
	}
	g, err := a.dir.CreateGroupWithMembers(c.ctx(), directory.NewGroup{Source: directory.SourceSCIM, GroupChange: ch}, members)
	if err != nil {
		return err
	}
	return a.showGroup(c, http.StatusCreated, &g)
}

// replaceGroup is PUT /Groups/{id}: name, externalId and the whole member
// list are replaced (no members given means none).
func (a *api) replaceGroup(c *call) error {
	id, err := c.groupID()
	if err != nil {
		return err
	}
	ifVersion, err := c.ifMatch()
	if err != nil {
		return err
	}
	ch, members, err := c.readGroupBody()
	if err != nil {
		return err
	}
	if members == nil {
		members = []int64{}
	}
	g, err := a.dir.UpdateGroupAndMembers(c.ctx(), id, ch, directory.MembersChange{Replace: directory.To(members)}, ifVersion)
	if err != nil {
		return err
	}
	return a.showGroup(c, http.StatusOK, &g)
}

// patchGroup is PATCH /Groups/{id}. Operations on members become one
// change of the member list, so that adding one member to a group of
// thousands reads none of them; the other operations are applied to the
// group's representation as for a user.
//
// The answer is 204 with the new ETag, which RFC 7644 §3.5.2 allows and
// Okta's and Entra ID's group pushes expect, unless the request names
// attributes or excludedAttributes (then 200 with the group so shaped, as
// the RFC requires). Answering with the whole group would read and send
// every member on every member change, which for a group of tens of
// thousands is most of the cost of the request; a user's PATCH, which
// costs no more to answer than to make, answers 200 with the user.
func (a *api) patchGroup(c *call) error {
	id, err := c.groupID()
	if err != nil {
		return err
	}
	ifVersion, err := c.ifMatch()
	if err != nil {
		return err
	}
	body, err := c.rawBody()
	if err != nil {
		return err
	}
	ops, err := patch.Parse(body)
	if err != nil {
		return err
	}
	mc, rest, err := membersChange(ops)
	if err != nil {
		return err
	}
	// Removing a user that no longer exists removes nothing; the
	// directory refuses to name one, so it is left out here.
	if mc.Remove, err = a.existingUsers(c, mc.Remove); err != nil {
		return err
	}
	for attempt := 0; ; attempt++ {
		g, err := a.dir.Group(c.ctx(), id)
		if err != nil {
			return err
		}
		if err := checkVersion(ifVersion, g.Version); err != nil {
			return err
		}
		ch := directory.GroupChange{}
		if len(rest) > 0 {
			patched, err := applyPatch(groupDoc(c.base(), &g, nil), rest, schema.GroupResource)
			if err != nil {
				return err
			}
			if _, ok := patched["members"]; ok {
				// A no-path value naming members, which patch.Members
				// leaves to Apply.
				return badRequest(typeInvalidPath, `Members are changed with operations whose path is "members".`)
			}
			if ch, _, err = groupChange(patched); err != nil {
				return err
			}
		}
		// A change of members alone depends on nothing read, so it need
		// not be conditional, and concurrent member changes never race.
		cond := g.Version
		if len(rest) == 0 {
			cond = ifVersion
		}
		g, err = a.dir.UpdateGroupAndMembers(c.ctx(), id, ch, mc, cond)
		if directory.IsKind(err, directory.KindPrecondition) && ifVersion == 0 {
			if attempt < maxPatchAttempts {
				continue
			}
			return errRaced
		}
		if err != nil {
			return err
		}
		if shaped, err := c.shaped(); err != nil || shaped {
			if err != nil {
				return err
			}
			return a.showGroup(c, http.StatusOK, &g)
		}
		c.w.Header().Set("ETag", weakTag(g.Version))
		return c.noContent()
	}
}

// shaped reports whether the request names attributes or
// excludedAttributes, which asks for the resource in the answer.
func (c *call) shaped() (bool, error) {
	for _, name := range []string{"attributes", "excludedAttributes"} {
		if _, ok, err := c.param(name); err != nil || ok {
			return ok, err
		}
	}
	return false, nil
}

// membersChange turns the member operations of a PATCH into one change of
// the member list, and returns the other operations.
func membersChange(ops []patch.Operation) (directory.MembersChange, []patch.Operation, error) {
	add, remove, replace, replaced, removeAll, rest, err := patch.Members(ops)
	if err != nil {
		return directory.MembersChange{}, nil, err
	}
	var mc directory.MembersChange
	addIDs, err := valueIDs(add)
	if err != nil {
		return mc, nil, err
	}
	replaceIDs, err := valueIDs(replace)
	if err != nil {
		return mc, nil, err
	}
	// A value that names no user cannot be a member: removing it removes
	// nothing.
	var removeIDs []int64
	for _, v := range remove {
		if id, ok := parseID(v); ok {
			removeIDs = append(removeIDs, id)
		}
	}
	if replaced || removeAll {
		final := replaceIDs
		if !replaced {
			final = nil
		}
		for _, id := range addIDs {
			if !slices.Contains(final, id) {
				final = append(final, id)
			}
		}
		final = slices.DeleteFunc(final, func(id int64) bool { return slices.Contains(removeIDs, id) })
		if final == nil {
			final = []int64{}
		}
		mc.Replace = directory.To(final)
		return mc, rest, nil
	}
	mc.Add, mc.Remove = addIDs, removeIDs
	return mc, rest, nil
}

// existingUsers returns the ids that name users.
func (a *api) existingUsers(c *call, ids []int64) ([]int64, error) {
	out := ids[:0:0]
	for _, id := range ids {
		_, err := a.dir.User(c.ctx(), id)
		switch {
		case err == nil:
			out = append(out, id)
		case !directory.IsKind(err, directory.KindNotFound):
			return nil, err
		}
	}
	return out, nil
}

func valueIDs(values []string) ([]int64, error) {
	ids := make([]int64, 0, len(values))
	for _, v := range values {
		id, ok := parseID(v)
		if !ok {
			return nil, badRequest(typeInvalidValue, "The members value "+quote(v)+" names no user.")
		}
		if !slices.Contains(ids, id) {
			ids = append(ids, id)
		}
	}
	return ids, nil
}

func (a *api) deleteGroup(c *call) error {
	id, err := c.groupID()
	if err != nil {
		return err
	}
	ifVersion, err := c.ifMatch()
	if err != nil {
		return err
	}
	if err := a.dir.DeleteGroupIf(c.ctx(), id, ifVersion); err != nil {
		return err
	}
	return c.noContent()
}
