package insight_test

import (
	"net/http"
	"testing"

	"github.com/gatehouse/gatehouse/internal/directory"
)

var groupKeys = []string{"GroupID", "Name", "DistinguishedName", "Description", "GroupType", "AccountAttribute",
	"ApplicationRegistrationIDs", "MembershipAttribute", "IsActive"}

const msgGroupNotFound = "Group not found"

// ints turns a JSON array of numbers into int64s.
func ints(t *testing.T, v any) []int64 {
	t.Helper()
	list, ok := v.([]any)
	if !ok {
		t.Fatalf("%v is not an array", v)
	}
	out := make([]int64, len(list))
	for i, x := range list {
		f, ok := x.(float64)
		if !ok {
			t.Fatalf("%v is not an array of numbers", v)
		}
		out[i] = int64(f)
	}
	return out
}

// permissions decodes a Permissions answer as PermissionID → AccessLevelID.
func permissions(t *testing.T, list []map[string]any) map[int64]int64 {
	t.Helper()
	out := map[int64]int64{}
	for _, p := range list {
		if len(p) != 2 {
			t.Errorf("permission %v: want PermissionID and AccessLevelID only", p)
		}
		out[idOf(t, p, "PermissionID")] = idOf(t, p, "AccessLevelID")
	}
	return out
}

func TestCreateAndReadGroups(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	r1, _ := e.registration("one", false)
	r2, _ := e.registration("two", false)

	resp := want(t, e.do(http.MethodPost, "/UserGroups", `{"groupType":"BeyondInsight","groupName":"Ops","description":"Operations",`+
		`"isActive":true,"Permissions":[{"PermissionID":1,"AccessLevelID":3},{"PermissionID":2,"AccessLevelID":1}],`+
		`"SmartRuleAccess":[],"ApplicationRegistrationIDs":[`+itoa(r1)+`,`+itoa(r2)+`]}`), http.StatusCreated)
	ops := resp.Object(t)
	wantKeys(t, ops, groupKeys)
	wantFields(t, ops, map[string]any{"Name": "Ops", "DistinguishedName": nil, "Description": "Operations", "GroupType": "BeyondInsight",
		"AccountAttribute": nil, "MembershipAttribute": nil, "IsActive": true})
	if got := ints(t, ops["ApplicationRegistrationIDs"]); len(got) != 2 || got[0] != r1 || got[1] != r2 {
		t.Errorf("ApplicationRegistrationIDs %v, want [%d %d]", got, r1, r2)
	}
	opsID := idOf(t, ops, "GroupID")

	// Property names match in any case; a group without description,
	// registrations or isActive is active, with none.
	minimal := want(t, e.do(http.MethodPost, "/usergroups", `{"GROUPTYPE":"beyondinsight","GroupName":"Minimal"}`), http.StatusCreated).Object(t)
	wantFields(t, minimal, map[string]any{"Name": "Minimal", "Description": nil, "IsActive": true, "GroupType": "BeyondInsight"})
	if got := ints(t, minimal["ApplicationRegistrationIDs"]); len(got) != 0 {
		t.Errorf("ApplicationRegistrationIDs %v, want []", got)
	}
	minimalID := idOf(t, minimal, "GroupID")
	// A description may run over lines.
	lines := want(t, e.do(http.MethodPost, "/UserGroups", `{"groupType":"BeyondInsight","groupName":"Lines","description":"one\ntwo\tthree"}`),
		http.StatusCreated).Object(t)
	wantFields(t, lines, map[string]any{"Description": "one\ntwo\tthree"})
	want(t, e.do(http.MethodDelete, "/UserGroups/"+itoa(idOf(t, lines, "GroupID")), ""), http.StatusOK)
	got := want(t, e.do(http.MethodGet, "/UserGroups/"+itoa(minimalID)+"/Permissions", ""), http.StatusOK).Array(t)
	if len(got) != 0 {
		t.Errorf("a group created without permissions has %v", got)
	}
	inactive := want(t, e.do(http.MethodPost, "/UserGroups", `{"groupType":"BeyondInsight","groupName":"Off","isActive":false}`),
		http.StatusCreated).Object(t)
	wantFields(t, inactive, map[string]any{"IsActive": false})

	got = want(t, e.do(http.MethodGet, "/UserGroups", ""), http.StatusOK).Array(t)
	if len(got) != 3 || byID(got, opsID) == nil || byID(got, minimalID) == nil {
		t.Fatalf("groups %v", got)
	}
	for _, g := range got {
		wantKeys(t, g, groupKeys)
	}
	one := want(t, e.do(http.MethodGet, "/UserGroups/"+itoa(opsID), ""), http.StatusOK).Object(t)
	wantKeys(t, one, groupKeys)
	wantFields(t, one, map[string]any{"GroupID": float64(opsID), "Name": "Ops", "Description": "Operations"})

	for _, q := range []string{"name=Ops", "name=ops", "NAME=OPS"} {
		g := want(t, e.do(http.MethodGet, "/UserGroups?"+q, ""), http.StatusOK).Object(t)
		wantKeys(t, g, groupKeys)
		wantFields(t, g, map[string]any{"GroupID": float64(opsID)})
	}
	wantError(t, e.do(http.MethodGet, "/UserGroups?name=nobody", ""), http.StatusNotFound, "User group not found")
	wantError(t, e.do(http.MethodGet, "/UserGroups/2147483647", ""), http.StatusNotFound, msgGroupNotFound)

	perms := permissions(t, want(t, e.do(http.MethodGet, "/UserGroups/"+itoa(opsID)+"/Permissions", ""), http.StatusOK).Array(t))
	if len(perms) != 2 || perms[1] != 3 || perms[2] != 1 {
		t.Errorf("permissions %v", perms)
	}

	// Names are unique regardless of case.
	wantError(t, e.do(http.MethodPost, "/UserGroups", `{"groupType":"BeyondInsight","groupName":"OPS"}`), http.StatusConflict,
		"groupName has already been taken")

	want(t, e.do(http.MethodDelete, "/UserGroups/"+itoa(opsID), ""), http.StatusOK)
	wantError(t, e.do(http.MethodGet, "/UserGroups/"+itoa(opsID), ""), http.StatusNotFound, msgGroupNotFound)
	wantError(t, e.do(http.MethodDelete, "/UserGroups/"+itoa(opsID), ""), http.StatusNotFound, msgGroupNotFound)
	wantError(t, e.do(http.MethodGet, "/UserGroups?name=Ops", ""), http.StatusNotFound, "User group not found")
}

func TestGroupRules(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	r1, _ := e.registration("one", false)
	for _, c := range []struct {
		name, body string
		msg        string
	}{
		{"registration that does not exist", `{"groupType":"BeyondInsight","groupName":"g","ApplicationRegistrationIDs":[` + itoa(r1) + `,999]}`,
			"ApplicationRegistrationIDs must name API registrations that exist; 999 does not"},
		{"smart rules", `{"groupType":"BeyondInsight","groupName":"g","SmartRuleAccess":[{"SmartRuleID":1,"AccessLevelID":1}]}`,
			"SmartRuleAccess must be empty: this server has no smart rules"},
		{"smart rules not an array", `{"groupType":"BeyondInsight","groupName":"g","SmartRuleAccess":{}}`,
			"SmartRuleAccess must be an array"},
		{"directory group", `{"groupType":"ActiveDirectory","groupName":"g"}`,
			"groupType must be BeyondInsight: directory groups cannot be created here."},
		{"unknown permission", `{"groupType":"BeyondInsight","groupName":"g","Permissions":[{"PermissionID":99,"AccessLevelID":1}]}`,
			"Permissions must name permissions that exist; 99 does not"},
		{"access level 2", `{"groupType":"BeyondInsight","groupName":"g","Permissions":[{"PermissionID":1,"AccessLevelID":2}]}`,
			"Permissions access levels must be 0 (none), 1 (read) or 3 (read/write)"},
		{"permission twice", `{"groupType":"BeyondInsight","groupName":"g","Permissions":[{"PermissionID":1,"AccessLevelID":1},{"PermissionID":1,"AccessLevelID":3}]}`,
			"Permissions must name each permission once; 1 is repeated"},
	} {
		t.Run(c.name, func(t *testing.T) {
			wantError(t, e.do(http.MethodPost, "/UserGroups", c.body), http.StatusBadRequest, c.msg)
		})
	}
	if got := want(t, e.do(http.MethodGet, "/UserGroups", ""), http.StatusOK).Array(t); len(got) != 0 {
		t.Errorf("refused creates left groups %v", got)
	}
}

func TestGroupMembers(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ops := e.group("ops", 3, 0)
	dev := e.group("dev", 1, 0)

	// POST UserGroups/{id}/Users creates a BeyondInsight user in the group.
	resp := want(t, e.do(http.MethodPost, "/UserGroups/"+itoa(ops)+"/Users",
		`{"UserName":"ann","FirstName":"Ann","LastName":"Lee","EmailAddress":"ann@example.com","Password":"correct horse"}`), http.StatusCreated)
	ann := resp.Object(t)
	wantKeys(t, ann, userKeys)
	wantFields(t, ann, map[string]any{"UserType": "BeyondInsight", "UserName": "ann", "LastName": "Lee", "IsQuarantined": false})
	annID := idOf(t, ann, "UserID")
	if !e.passwordIs(annID, "correct horse") {
		t.Error("the password given is not the user's")
	}
	app := idOf(t, e.application("robot"), "UserID")

	list := want(t, e.do(http.MethodGet, "/UserGroups/"+itoa(ops)+"/Users", ""), http.StatusOK).Array(t)
	if len(list) != 1 || list[0]["UserID"] != float64(annID) {
		t.Fatalf("members of ops: %v", list)
	}
	wantKeys(t, list[0], userKeys)
	groups := want(t, e.do(http.MethodGet, "/Users/"+itoa(annID)+"/UserGroups", ""), http.StatusOK).Array(t)
	if len(groups) != 1 || groups[0]["GroupID"] != float64(ops) {
		t.Fatalf("groups of ann: %v", groups)
	}
	wantKeys(t, groups[0], groupKeys)

	// Adding to a group answers the group.
	g := want(t, e.do(http.MethodPost, "/Users/"+itoa(annID)+"/UserGroups/"+itoa(dev), ""), http.StatusCreated).Object(t)
	wantKeys(t, g, groupKeys)
	wantFields(t, g, map[string]any{"GroupID": float64(dev), "Name": "dev"})
	wantError(t, e.do(http.MethodPost, "/Users/"+itoa(annID)+"/UserGroups/"+itoa(dev), ""), http.StatusConflict,
		"UserID has already been taken")
	e.join(app, dev)
	list = want(t, e.do(http.MethodGet, "/UserGroups/"+itoa(dev)+"/Users", ""), http.StatusOK).Array(t)
	if len(list) != 2 || list[0]["UserID"] != float64(annID) || list[1]["UserID"] != float64(app) {
		t.Fatalf("members of dev: %v", list)
	}
	wantKeys(t, list[1], appKeys)
	groups = want(t, e.do(http.MethodGet, "/Users/"+itoa(annID)+"/UserGroups", ""), http.StatusOK).Array(t)
	if len(groups) != 2 || groups[0]["GroupID"] != float64(ops) || groups[1]["GroupID"] != float64(dev) {
		t.Fatalf("groups of ann: %v", groups)
	}

	resp = want(t, e.do(http.MethodDelete, "/Users/"+itoa(annID)+"/UserGroups/"+itoa(ops), ""), http.StatusOK)
	if len(resp.Body) != 0 {
		t.Errorf("DELETE answered %q", resp.Body)
	}
	wantError(t, e.do(http.MethodDelete, "/Users/"+itoa(annID)+"/UserGroups/"+itoa(ops), ""), http.StatusNotFound, "Membership not found")
	if list := want(t, e.do(http.MethodGet, "/UserGroups/"+itoa(ops)+"/Users", ""), http.StatusOK).Array(t); len(list) != 0 {
		t.Errorf("members of ops after removal: %v", list)
	}

	// Users and groups that do not exist.
	wantError(t, e.do(http.MethodPost, "/Users/2147483647/UserGroups/"+itoa(ops), ""), http.StatusNotFound, msgUserNotFound)
	wantError(t, e.do(http.MethodPost, "/Users/"+itoa(annID)+"/UserGroups/2147483647", ""), http.StatusNotFound, msgGroupNotFound)
	wantError(t, e.do(http.MethodDelete, "/Users/2147483647/UserGroups/"+itoa(ops), ""), http.StatusNotFound, msgUserNotFound)
	wantError(t, e.do(http.MethodDelete, "/Users/"+itoa(annID)+"/UserGroups/2147483647", ""), http.StatusNotFound, msgGroupNotFound)
	wantError(t, e.do(http.MethodGet, "/Users/2147483647/UserGroups", ""), http.StatusNotFound, msgUserNotFound)
	wantError(t, e.do(http.MethodGet, "/UserGroups/2147483647/Users", ""), http.StatusNotFound, msgGroupNotFound)
	wantError(t, e.do(http.MethodPost, "/UserGroups/2147483647/Users",
		`{"UserName":"zed","FirstName":"Zed","EmailAddress":"zed@example.com","Password":"correct horse"}`), http.StatusNotFound, msgGroupNotFound)
	wantError(t, e.do(http.MethodGet, "/Users?username=zed", ""), http.StatusNotFound, msgUserNotFound)

	// Creating in a group validates as POST Users does.
	wantError(t, e.do(http.MethodPost, "/UserGroups/"+itoa(ops)+"/Users", `{"UserName":"zed"}`), http.StatusBadRequest,
		"EmailAddress field is required; FirstName field is required; Password field is required")
	wantError(t, e.do(http.MethodPost, "/UserGroups/"+itoa(ops)+"/Users",
		`{"UserName":"ANN","FirstName":"Ann","EmailAddress":"ann@example.com","Password":"correct horse"}`), http.StatusConflict,
		"UserName has already been taken")

	// Deleting a group ends its memberships; deleting a user too.
	want(t, e.do(http.MethodDelete, "/UserGroups/"+itoa(dev), ""), http.StatusOK)
	if groups := want(t, e.do(http.MethodGet, "/Users/"+itoa(app)+"/UserGroups", ""), http.StatusOK).Array(t); len(groups) != 0 {
		t.Errorf("groups of robot after deleting dev: %v", groups)
	}
	e.join(annID, ops)
	want(t, e.do(http.MethodDelete, "/Users/"+itoa(annID), ""), http.StatusOK)
	if list := want(t, e.do(http.MethodGet, "/UserGroups/"+itoa(ops)+"/Users", ""), http.StatusOK).Array(t); len(list) != 0 {
		t.Errorf("members of ops after deleting ann: %v", list)
	}
}

// Users are created only in groups of this directory: a group that
// stands for an external directory's group gets its members there.
func TestCreateUserInDirectoryGroup(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	p, err := e.Service().CreateDirectoryProvider(cli, "corp", directory.DirectorySettings{Kind: directory.SourceActiveDirectory,
		Domain: "corp.example", Host: "127.0.0.1", Port: 1})
	if err != nil {
		t.Fatal(err)
	}
	g, err := e.Service().CreateGroup(cli, directory.NewGroup{Source: directory.SourceActiveDirectory, SecurityProviderID: p.ID,
		GroupChange: directory.GroupChange{Name: directory.To("Domain Admins")}})
	if err != nil {
		t.Fatal(err)
	}
	got := want(t, e.do(http.MethodGet, "/UserGroups/"+itoa(g.ID), ""), http.StatusOK).Object(t)
	wantFields(t, got, map[string]any{"GroupType": "ActiveDirectory", "Name": "Domain Admins"})
	wantError(t, e.do(http.MethodPost, "/UserGroups/"+itoa(g.ID)+"/Users",
		`{"UserName":"zed","FirstName":"Zed","EmailAddress":"zed@example.com","Password":"correct horse"}`), http.StatusForbidden,
		"Users can only be created in groups of this directory, not of an external directory.")
	wantError(t, e.do(http.MethodGet, "/Users?username=zed", ""), http.StatusNotFound, msgUserNotFound)
}

func TestGroupPermissions(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	catalog := want(t, e.do(http.MethodGet, "/Permissions", ""), http.StatusOK).Array(t)
	if len(catalog) != 2 {
		t.Fatalf("catalog %v", catalog)
	}
	for i, w := range []struct {
		id   float64
		name string
	}{{1, "User Accounts Management"}, {2, "Password Safe API Global Quarantine"}} {
		wantKeys(t, catalog[i], []string{"PermissionID", "Name"})
		wantFields(t, catalog[i], map[string]any{"PermissionID": w.id, "Name": w.name})
	}

	regID, key := e.registration("scripts", false)
	gid := e.group("staff", 1, 0, regID)
	e.localUser("ann", "correct horse", gid)
	path := "/UserGroups/" + itoa(gid) + "/Permissions"
	body := `{"UserName":"x","FirstName":"X","EmailAddress":"x@example.com","Password":"xxxxxxxxx"}`
	const needWrite = "This operation requires the User Accounts Management (Read/Write) permission."
	const needRead = "This operation requires the User Accounts Management (Read) permission."

	want(t, e.as(psAuth(key, "ann"), http.MethodGet, "/Users", ""), http.StatusOK)
	wantError(t, e.as(psAuth(key, "ann"), http.MethodPost, "/Users", body), http.StatusForbidden, needWrite)
	// Group members cannot raise their own permissions with read access.
	wantError(t, e.as(psAuth(key, "ann"), http.MethodPost, path, `[{"PermissionID":1,"AccessLevelID":3}]`), http.StatusForbidden, needWrite)

	// POST replaces the group's permissions with the array's.
	got := permissions(t, want(t, e.do(http.MethodPost, path, `[{"permissionid":1,"ACCESSLEVELID":3}]`), http.StatusOK).Array(t))
	if len(got) != 1 || got[1] != 3 {
		t.Errorf("permissions after POST: %v", got)
	}
	got = permissions(t, want(t, e.do(http.MethodGet, path, ""), http.StatusOK).Array(t))
	if len(got) != 1 || got[1] != 3 {
		t.Errorf("permissions read back: %v", got)
	}
	want(t, e.as(psAuth(key, "ann"), http.MethodPost, "/Users", body), http.StatusOK)

	got = permissions(t, want(t, e.do(http.MethodPost, path, `[{"PermissionID":2,"AccessLevelID":3}]`), http.StatusOK).Array(t))
	if len(got) != 1 || got[2] != 3 {
		t.Errorf("permissions after second POST: %v", got)
	}
	wantError(t, e.as(psAuth(key, "ann"), http.MethodGet, "/Users", ""), http.StatusForbidden, needRead)

	// DELETE takes every permission away.
	want(t, e.do(http.MethodPost, path, `[{"PermissionID":1,"AccessLevelID":1},{"PermissionID":2,"AccessLevelID":0}]`), http.StatusOK)
	want(t, e.as(psAuth(key, "ann"), http.MethodGet, "/Users", ""), http.StatusOK)
	if got := want(t, e.do(http.MethodDelete, path, ""), http.StatusOK).Array(t); len(got) != 0 {
		t.Errorf("DELETE answered %v", got)
	}
	if got := want(t, e.do(http.MethodGet, path, ""), http.StatusOK).Array(t); len(got) != 0 {
		t.Errorf("permissions after DELETE: %v", got)
	}
	wantError(t, e.as(psAuth(key, "ann"), http.MethodGet, "/Users", ""), http.StatusForbidden, needRead)

	// An empty array (or no body) clears them too.
	want(t, e.do(http.MethodPost, path, `[{"PermissionID":1,"AccessLevelID":1}]`), http.StatusOK)
	if got := want(t, e.do(http.MethodPost, path, `[]`), http.StatusOK).Array(t); len(got) != 0 {
		t.Errorf("POST [] answered %v", got)
	}

	for _, c := range []struct{ body, msg string }{
		{`[{"PermissionID":99,"AccessLevelID":1}]`, "Permissions must name permissions that exist; 99 does not"},
		{`[{"PermissionID":1,"AccessLevelID":2}]`, "Permissions access levels must be 0 (none), 1 (read) or 3 (read/write)"},
		{`[{"PermissionID":1}]`, "Permissions entries need both PermissionID and AccessLevelID"},
		{`[{"PermissionID":"1","AccessLevelID":1}]`, "Permissions must be an array of objects with integer PermissionID and AccessLevelID"},
		{`[{"PermissionID":1.5,"AccessLevelID":1}]`, "Permissions must be an array of objects with integer PermissionID and AccessLevelID"},
		{`[1]`, "Permissions must be an array of objects with integer PermissionID and AccessLevelID"},
		{`{"PermissionID":1,"AccessLevelID":1}`, "The request body must be a JSON array."},
		{`[`, "The request body must be a JSON array."},
	} {
		wantError(t, e.do(http.MethodPost, path, c.body), http.StatusBadRequest, c.msg)
	}
	wantError(t, e.do(http.MethodPost, "/UserGroups/2147483647/Permissions", `[]`), http.StatusNotFound, msgGroupNotFound)
	wantError(t, e.do(http.MethodGet, "/UserGroups/2147483647/Permissions", ""), http.StatusNotFound, msgGroupNotFound)
	wantError(t, e.do(http.MethodDelete, "/UserGroups/2147483647/Permissions", ""), http.StatusNotFound, msgGroupNotFound)
}

// An inactive group grants its members nothing: neither its permissions
// nor its API registrations.
func TestInactiveGroup(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	regID, key := e.registration("scripts", false)
	active := e.group("active", 0, 0, regID)
	ann := e.localUser("ann", "correct horse", active)
	off := want(t, e.do(http.MethodPost, "/UserGroups", `{"groupType":"BeyondInsight","groupName":"off","isActive":false,`+
		`"Permissions":[{"PermissionID":1,"AccessLevelID":3},{"PermissionID":2,"AccessLevelID":3}],"ApplicationRegistrationIDs":[`+itoa(regID)+`]}`),
		http.StatusCreated).Object(t)
	offID := idOf(t, off, "GroupID")
	e.join(ann, offID)
	wantError(t, e.as(psAuth(key, "ann"), http.MethodGet, "/Users", ""), http.StatusForbidden,
		"This operation requires the User Accounts Management (Read) permission.")

	// Only through the inactive group would bob have the registration.
	bob := e.localUser("bob", "correct horse", active)
	want(t, e.do(http.MethodDelete, "/Users/"+itoa(bob)+"/UserGroups/"+itoa(active), ""), http.StatusOK)
	e.join(bob, offID)
	wantError(t, e.as(psAuth(key, "bob"), http.MethodGet, "/Users", ""), http.StatusUnauthorized,
		"User not authenticated: sign in with POST Auth/SignAppIn, or send an Authorization header.")
}
