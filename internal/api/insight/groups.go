package insight

import (
	"encoding/json"
	"net/http"
	"strings"

	"github.com/gatehouse/gatehouse/internal/directory"
	"github.com/gatehouse/gatehouse/internal/httpx"
)

// listGroups is GET UserGroups: every group, or with ?name= the one group
// of that name.
func (a *api) listGroups(c *call) error {
	name, ok, err := c.param("name")
	if err != nil {
		return err
	}
	if ok {
		g, err := a.dir.GroupByName(c.ctx(), name)
		if directory.IsKind(err, directory.KindNotFound) {
			err = directory.NotFound("user group")
		}
		if err != nil {
			return err
		}
		return c.respond(http.StatusOK, func(j *httpx.JSON) { writeGroup(j, &g) })
	}
	return stream(c, func(after int64) ([]directory.Group, error) {
		page, err := a.dir.Groups(c.ctx(), afterID(directory.GroupID, after, nil))
		return page.Items, err
	}, groupID, writeGroup)
}

func (a *api) getGroup(c *call) error {
	id, err := c.id("id")
	if err != nil {
		return err
	}
	g, err := a.dir.Group(c.ctx(), id)
	if err != nil {
		return err
	}
	return c.respond(http.StatusOK, func(j *httpx.JSON) { writeGroup(j, &g) })
}

var groupBody = newSchema(
	httpx.Field{Name: "groupType", Kind: httpx.String},
	httpx.Field{Name: "groupName", Kind: httpx.String},
	httpx.Field{Name: "description", Kind: httpx.String},
	httpx.Field{Name: "isActive", Kind: httpx.Bool},
	httpx.Field{Name: "ApplicationRegistrationIDs", Kind: httpx.IntArray, Min: 1, Max: directory.MaxID},
).withRules(func(b body) directory.Problems { return groupChange(b).Validate() })

// groupChange maps a group body's fields onto a change; Permissions, not
// a field of the schema, are the caller's.
func groupChange(b body) directory.GroupChange {
	var ch directory.GroupChange
	setStr(&ch.Name, b, "groupName")
	setStr(&ch.Description, b, "description")
	if v, ok := b.bool("isActive"); ok {
		ch.Active = directory.To(v)
	}
	if ids, ok := b.ints("ApplicationRegistrationIDs"); ok {
		ch.RegistrationIDs = directory.To(ids)
	}
	return ch
}

// createGroup is POST UserGroups. Only BeyondInsight groups can be created:
// a directory group needs its directory's group look-up, which this server
// does not do.
func (a *api) createGroup(c *call) error {
	b, obj, err := c.body(groupBody, "groupType", "groupName")
	if err != nil {
		return err
	}
	if t, _ := b.str("groupType"); !strings.EqualFold(t, "BeyondInsight") {
		return badRequest("groupType must be BeyondInsight: directory groups cannot be created here.")
	}
	perms, err := permissionsMember(obj, "Permissions")
	if err != nil {
		return err
	}
	if err := noSmartRules(obj); err != nil {
		return err
	}
	ch := groupChange(b)
	if perms != nil {
		ch.Permissions = directory.To(perms)
	}
	g, err := a.dir.CreateGroup(c.ctx(), directory.NewGroup{GroupChange: ch})
	if err != nil {
		return err
	}
	return c.respond(http.StatusCreated, func(j *httpx.JSON) { writeGroup(j, &g) })
}

// wirePermission is one element of a Permissions array.
type wirePermission struct {
	PermissionID  *int64 `json:"PermissionID"`
	AccessLevelID *int64 `json:"AccessLevelID"`
}

// permissionsMember reads an array of {PermissionID, AccessLevelID} (names
// in any case); nil when the body has none.
func permissionsMember(obj map[string]json.RawMessage, name string) ([]directory.GroupPermission, error) {
	raw, ok := obj[strings.ToLower(name)]
	if !ok {
		return nil, nil
	}
	var items []wirePermission
	// encoding/json matches member names without regard to case.
	if err := json.Unmarshal(raw, &items); err != nil {
		return nil, badRequest(name + " must be an array of objects with integer PermissionID and AccessLevelID")
	}
	out := make([]directory.GroupPermission, 0, len(items))
	for _, it := range items {
		if it.PermissionID == nil || it.AccessLevelID == nil {
			return nil, badRequest(name + " entries need both PermissionID and AccessLevelID")
		}
		out = append(out, directory.GroupPermission{PermissionID: *it.PermissionID, Level: directory.AccessLevel(*it.AccessLevelID)})
	}
	return out, nil
}

// noSmartRules refuses smart rule access: this directory has no smart
// rules, so any rule named does not exist.
func noSmartRules(obj map[string]json.RawMessage) error {
	raw, ok := obj["smartruleaccess"]
	if !ok {
		return nil
	}
	var items []json.RawMessage
	if err := json.Unmarshal(raw, &items); err != nil {
		return badRequest("SmartRuleAccess must be an array")
	}
	if len(items) > 0 {
		return badRequest("SmartRuleAccess must be empty: this server has no smart rules")
	}
	return nil
}

func (a *api) deleteGroup(c *call) error {
	id, err := c.id("id")
	if err != nil {
		return err
	}
	if err := a.dir.DeleteGroup(c.ctx(), id); err != nil {
		return err
	}
	return c.ok()
}

// listGroupUsers is GET UserGroups/{id}/Users.
func (a *api) listGroupUsers(c *call) error {
	id, err := c.id("id")
	if err != nil {
		return err
	}
	if _, err := a.dir.Group(c.ctx(), id); err != nil {
		return err
	}
	return stream(c, func(after int64) ([]directory.User, error) {
		page, err := a.dir.MemberUsers(c.ctx(), id, afterID(directory.UserID, after, nil))
		return page.Items, err
	}, userID, writeListedUser)
}

// createGroupUser is POST UserGroups/{id}/Users: a BeyondInsight user,
// created inside the group.
func (a *api) createGroupUser(c *call) error {
	id, err := c.id("id")
	if err != nil {
		return err
	}
	b, _, err := c.body(localUserBody, "UserName", "FirstName", "EmailAddress", "Password")
	if err != nil {
		return err
	}
	u, err := a.dir.CreateUserInGroup(c.ctx(), id, directory.NewUser{UserChange: localChange(b)})
	if err != nil {
		return err
	}
	return c.respond(http.StatusCreated, func(j *httpx.JSON) { writeUser(j, &u, "") })
}

// listUserGroups is GET Users/{id}/UserGroups.
func (a *api) listUserGroups(c *call) error {
	id, err := c.id("id")
	if err != nil {
		return err
	}
	if _, err := a.dir.User(c.ctx(), id); err != nil {
		return err
	}
	return stream(c, func(after int64) ([]directory.Group, error) {
		page, err := a.dir.UserGroups(c.ctx(), id, afterID(directory.GroupID, after, nil))
		return page.Items, err
	}, groupID, writeGroup)
}

// addUserToGroup is POST Users/{id}/UserGroups/{groupId}.
func (a *api) addUserToGroup(c *call) error {
	uid, gid, err := c.userAndGroup()
	if err != nil {
		return err
	}
	u, err := a.dir.User(c.ctx(), uid)
	if err != nil {
		return err
	}
	if _, err := a.dir.AddMember(c.ctx(), gid, directory.MemberInput{SecurityProviderID: u.SecurityProviderID, UserID: uid}); err != nil {
		return err
	}
	g, err := a.dir.Group(c.ctx(), gid)
	if err != nil {
		return err
	}
	return c.respond(http.StatusCreated, func(j *httpx.JSON) { writeGroup(j, &g) })
}

// removeUserFromGroup is DELETE Users/{id}/UserGroups/{groupId}.
func (a *api) removeUserFromGroup(c *call) error {
	uid, gid, err := c.userAndGroup()
	if err != nil {
		return err
	}
	if err := a.dir.RemoveUserFromGroup(c.ctx(), gid, uid); err != nil {
		return err
	}
	return c.ok()
}

func (c *call) userAndGroup() (int64, int64, error) {
	uid, err := c.id("id")
	if err != nil {
		return 0, 0, err
	}
	gid, err := c.id("groupid")
	return uid, gid, err
}

// getGroupPermissions is GET UserGroups/{id}/Permissions.
func (a *api) getGroupPermissions(c *call) error {
	id, err := c.id("id")
	if err != nil {
		return err
	}
	g, err := a.dir.Group(c.ctx(), id)
	if err != nil {
		return err
	}
	return c.respond(http.StatusOK, func(j *httpx.JSON) { writePermissions(j, g.Permissions) })
}

// setGroupPermissions is POST UserGroups/{id}/Permissions: the body, an
// array of {PermissionID, AccessLevelID}, replaces the group's permissions.
func (a *api) setGroupPermissions(c *call) error {
	id, err := c.id("id")
	if err != nil {
		return err
	}
	raw, err := httpx.ReadArray(c.w, c.r, c.a.maxBody)
	if err != nil {
		return err
	}
	if raw == nil {
		return badRequest("The request body must be an array of permissions; send [] to remove them all.")
	}
	perms, err := permissionsMember(map[string]json.RawMessage{"permissions": raw}, "Permissions")
	if err != nil {
		return err
	}
	return a.replacePermissions(c, id, perms)
}

// clearGroupPermissions is DELETE UserGroups/{id}/Permissions.
func (a *api) clearGroupPermissions(c *call) error {
	id, err := c.id("id")
	if err != nil {
		return err
	}
	return a.replacePermissions(c, id, []directory.GroupPermission{})
}

func (a *api) replacePermissions(c *call, id int64, perms []directory.GroupPermission) error {
	g, err := a.dir.UpdateGroup(c.ctx(), id, directory.GroupChange{Permissions: directory.To(perms)}, 0)
	if err != nil {
		return err
	}
	return c.respond(http.StatusOK, func(j *httpx.JSON) { writePermissions(j, g.Permissions) })
}

// listPermissions is GET Permissions: the catalog.
func (a *api) listPermissions(c *call) error {
	return c.respond(http.StatusOK, func(j *httpx.JSON) {
		j.Array()
		for _, p := range directory.PermissionCatalog {
			j.Object()
			j.Int("PermissionID", p.ID)
			j.String("Name", p.Name)
			j.EndObject()
		}
		j.EndArray()
	})
}
