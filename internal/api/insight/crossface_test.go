package insight_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/gatehouse/gatehouse/internal/directory"
	"github.com/gatehouse/gatehouse/internal/testserver"
)

const pra = "/api/config/v1"

// praDo sends a request to the PRA face as the bootstrap account.
func (e *env) praDo(method, path, body string) *testserver.Response {
	e.t.Helper()
	var header []string
	if body != "" {
		header = []string{"Content-Type", "application/json"}
	}
	return e.Do(e.t, method, pra+path, e.AdminToken(e.t), body, header...)
}

// A user or group is one record, whichever face made or changed it.
func TestSameRecordsAsPRA(t *testing.T) {
	t.Parallel()
	e := newEnv(t)

	ann := e.createLocal(`{"UserName":"ann","FirstName":"Ann","LastName":"Lee","EmailAddress":"ann@example.com","Password":"correct horse"}`)
	annID := idOf(t, ann, "UserID")
	got := want(t, e.praDo(http.MethodGet, "/user/"+itoa(annID), ""), http.StatusOK).Object(t)
	wantFields(t, got, map[string]any{"id": float64(annID), "username": "ann", "email_address": "ann@example.com",
		"security_provider_id": float64(directory.LocalProviderID), "enabled": true})
	list := want(t, e.praDo(http.MethodGet, "/user", ""), http.StatusOK).Array(t)
	if len(list) != 1 || list[0]["id"] != float64(annID) {
		t.Errorf("PRA users %v", list)
	}

	// A change through PRA shows here...
	want(t, e.praDo(http.MethodPatch, "/user/"+itoa(annID), `{"username":"ann.lee","email_address":"ann.lee@example.com"}`), http.StatusOK)
	got = want(t, e.do(http.MethodGet, "/Users/"+itoa(annID), ""), http.StatusOK).Object(t)
	wantFields(t, got, map[string]any{"UserName": "ann.lee", "EmailAddress": "ann.lee@example.com", "FirstName": "Ann", "LastName": "Lee"})
	// ... and one made here shows there.
	want(t, e.do(http.MethodPut, "/Users/"+itoa(annID), `{"UserName":"annie","FirstName":"Annie","EmailAddress":"annie@example.com"}`), http.StatusOK)
	got = want(t, e.praDo(http.MethodGet, "/user/"+itoa(annID), ""), http.StatusOK).Object(t)
	wantFields(t, got, map[string]any{"username": "annie", "email_address": "annie@example.com"})
	// Quarantine and disabling are the same record's.
	want(t, e.praDo(http.MethodPatch, "/user/"+itoa(annID), `{"enabled":false}`), http.StatusOK)
	if u := e.stored(annID); u.Enabled || u.Username != "annie" {
		t.Errorf("stored %+v", u)
	}

	// A user made in PRA is a BeyondInsight user here.
	bob := want(t, e.praDo(http.MethodPost, "/user", `{"username":"bob","public_display_name":"Bob","email_address":"bob@example.com","password":"battery staple"}`),
		http.StatusCreated).Object(t)
	bobID := idOf(t, bob, "id")
	got = want(t, e.do(http.MethodGet, "/Users?username=bob", ""), http.StatusOK).Object(t)
	wantFields(t, got, map[string]any{"UserID": float64(bobID), "UserType": "BeyondInsight", "EmailAddress": "bob@example.com"})
	if !e.passwordIs(bobID, "battery staple") {
		t.Error("PRA's password is not the user's")
	}
	// Names are unique across faces.
	wantError(t, e.do(http.MethodPost, "/Users", `{"UserName":"BOB","FirstName":"B","EmailAddress":"b@example.com","Password":"correct horse"}`),
		http.StatusConflict, "UserName has already been taken")

	// Groups.
	g := want(t, e.do(http.MethodPost, "/UserGroups", `{"groupType":"BeyondInsight","groupName":"Ops","description":"Operations",`+
		`"Permissions":[{"PermissionID":1,"AccessLevelID":3}]}`), http.StatusCreated).Object(t)
	gid := idOf(t, g, "GroupID")
	got = want(t, e.praDo(http.MethodGet, "/group-policy/"+itoa(gid), ""), http.StatusOK).Object(t)
	wantFields(t, got, map[string]any{"id": float64(gid), "name": "Ops"})
	if list := want(t, e.praDo(http.MethodGet, "/group-policy", ""), http.StatusOK).Array(t); len(list) != 1 || list[0]["id"] != float64(gid) {
		t.Errorf("PRA group policies %v", list)
	}
	want(t, e.praDo(http.MethodPatch, "/group-policy/"+itoa(gid), `{"name":"Operations"}`), http.StatusOK)
	got = want(t, e.do(http.MethodGet, "/UserGroups/"+itoa(gid), ""), http.StatusOK).Object(t)
	// PRA's change keeps what only BeyondInsight shows.
	wantFields(t, got, map[string]any{"Name": "Operations", "Description": "Operations", "IsActive": true})
	perms := permissions(t, want(t, e.do(http.MethodGet, "/UserGroups/"+itoa(gid)+"/Permissions", ""), http.StatusOK).Array(t))
	if len(perms) != 1 || perms[1] != 3 {
		t.Errorf("permissions after a PRA change: %v", perms)
	}
	want(t, e.do(http.MethodGet, "/UserGroups?name=operations", ""), http.StatusOK)

	// Memberships made here are PRA's group-policy memberships.
	e.join(annID, gid)
	pol := want(t, e.praDo(http.MethodGet, "/user/"+itoa(annID)+"/group-policies", ""), http.StatusOK).Array(t)
	if len(pol) != 1 || pol[0]["id"] != float64(gid) {
		t.Errorf("PRA policies of ann: %v", pol)
	}
	members := want(t, e.praDo(http.MethodGet, "/group-policy/"+itoa(gid)+"/member", ""), http.StatusOK).Array(t)
	if len(members) != 1 || members[0]["user_id"] != float64(annID) {
		t.Errorf("PRA members of ops: %v", members)
	}
	// ... and PRA's are here.
	want(t, e.praDo(http.MethodPatch, "/user/"+itoa(bobID)+"/group-policy-changes", `{"added":[`+itoa(gid)+`]}`), http.StatusOK)
	users := want(t, e.do(http.MethodGet, "/UserGroups/"+itoa(gid)+"/Users", ""), http.StatusOK).Array(t)
	if len(users) != 2 || users[0]["UserID"] != float64(annID) || users[1]["UserID"] != float64(bobID) {
		t.Errorf("members here: %v", users)
	}

	// A group made in PRA is a BeyondInsight group here, active, granting
	// nothing.
	pg := want(t, e.praDo(http.MethodPost, "/group-policy", `{"name":"From PRA"}`), http.StatusCreated).Object(t)
	got = want(t, e.do(http.MethodGet, "/UserGroups/"+itoa(idOf(t, pg, "id")), ""), http.StatusOK).Object(t)
	wantFields(t, got, map[string]any{"Name": "From PRA", "GroupType": "BeyondInsight", "IsActive": true})

	// Deleting in one face deletes in the other.
	want(t, e.praDo(http.MethodDelete, "/user/"+itoa(bobID), ""), http.StatusNoContent)
	wantError(t, e.do(http.MethodGet, "/Users/"+itoa(bobID), ""), http.StatusNotFound, msgUserNotFound)
	want(t, e.do(http.MethodDelete, "/UserGroups/"+itoa(gid), ""), http.StatusOK)
	want(t, e.praDo(http.MethodGet, "/group-policy/"+itoa(gid), ""), http.StatusNotFound)
}

// wantEvent fails unless the audit log has an event of action on target
// whose actor is actor.
func (e *env) wantEvent(action string, target int64, actor string) {
	e.t.Helper()
	page, err := e.Service().Events(cli, directory.Query{Filter: directory.And{directory.Eq(directory.EventAction, action),
		directory.Eq(directory.EventTargetID, target)}, Limit: 100})
	if err != nil {
		e.t.Fatal(err)
	}
	var actors []string
	for _, ev := range page.Items {
		if ev.Actor == actor {
			return
		}
		actors = append(actors, ev.Actor)
	}
	e.t.Errorf("no %s event on %d by %s (events by %v)", action, target, actor, actors)
}

// Every write through this face is audited, naming who made it.
func TestWritesAreAudited(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	accounts, err := e.Service().APIAccounts(cli, directory.Query{Limit: 10})
	if err != nil || len(accounts.Items) != 1 {
		t.Fatalf("accounts %v %v", accounts, err)
	}
	admin := directory.Actor{Kind: directory.ActorAPIAccount, ID: accounts.Items[0].ID, Name: accounts.Items[0].Name}.String()
	if !strings.HasPrefix(admin, "api_account:") || !strings.Contains(admin, directory.BootstrapName) {
		t.Fatalf("actor %q", admin)
	}

	regID, key := e.registration("scripts", false)
	gid := e.group("ops", 3, 3, regID)
	e.wantEvent("group.create", gid, admin)
	opID := e.localUser("operator", "operator password", gid)
	e.wantEvent("user.create", opID, admin)
	operator := directory.Actor{Kind: directory.ActorUser, ID: opID, Name: "operator"}.String()
	as := func(method, path, body string, status int) *testserver.Response {
		t.Helper()
		return want(t, e.as(psAuth(key, "operator"), method, path, body), status)
	}

	ann := idOf(t, as(http.MethodPost, "/Users", `{"UserName":"ann","FirstName":"Ann","EmailAddress":"ann@example.com","Password":"correct horse"}`,
		http.StatusOK).Object(t), "UserID")
	e.wantEvent("user.create", ann, operator)
	as(http.MethodPut, "/Users/"+itoa(ann), `{"UserName":"ann","FirstName":"Annie","EmailAddress":"ann@example.com"}`, http.StatusOK)
	e.wantEvent("user.update", ann, operator)
	as(http.MethodPost, "/Users/"+itoa(ann)+"/Quarantine", "", http.StatusOK)
	e.wantEvent("user.quarantine", ann, operator)

	dev := idOf(t, as(http.MethodPost, "/UserGroups", `{"groupType":"BeyondInsight","groupName":"dev"}`, http.StatusCreated).Object(t), "GroupID")
	e.wantEvent("group.create", dev, operator)
	bob := idOf(t, as(http.MethodPost, "/UserGroups/"+itoa(dev)+"/Users",
		`{"UserName":"bob","FirstName":"Bob","EmailAddress":"bob@example.com","Password":"correct horse"}`, http.StatusCreated).Object(t), "UserID")
	e.wantEvent("user.create", bob, operator)
	as(http.MethodPost, "/Users/"+itoa(ann)+"/UserGroups/"+itoa(dev), "", http.StatusCreated)
	e.wantEvent("group.member.add", dev, operator)
	as(http.MethodDelete, "/Users/"+itoa(ann)+"/UserGroups/"+itoa(dev), "", http.StatusOK)
	e.wantEvent("group.member.remove", dev, operator)
	as(http.MethodPost, "/UserGroups/"+itoa(dev)+"/Permissions", `[{"PermissionID":1,"AccessLevelID":1}]`, http.StatusOK)
	e.wantEvent("group.update", dev, operator)

	app := e.application("robot")
	appID := idOf(t, app, "UserID")
	e.wantEvent("user.create", appID, admin)
	want(t, e.do(http.MethodPost, "/Users/"+itoa(appID)+"/RecycleClientSecret", ""), http.StatusOK)
	e.wantEvent("user.recycle_client_secret", appID, admin)
	// The application user recycling its own secret is the actor.
	resp := want(t, e.do(http.MethodPost, "/Users/"+itoa(appID)+"/RecycleClientSecret", ""), http.StatusOK)
	secret, _ := resp.JSON(t).(string)
	tok := e.token(app["ClientID"].(string), secret)
	want(t, e.as("Bearer "+tok, http.MethodPost, "/Users/"+itoa(appID)+"/RecycleClientSecret", ""), http.StatusOK)
	e.wantEvent("user.recycle_client_secret", appID, directory.Actor{Kind: directory.ActorUser, ID: appID, Name: "robot"}.String())

	want(t, e.do(http.MethodDelete, "/UserGroups/"+itoa(dev)+"/Permissions", ""), http.StatusOK)
	e.wantEvent("group.update", dev, admin)
	as(http.MethodDelete, "/UserGroups/"+itoa(dev), "", http.StatusOK)
	e.wantEvent("group.delete", dev, operator)
	as(http.MethodDelete, "/Users/"+itoa(bob), "", http.StatusOK)
	e.wantEvent("user.delete", bob, operator)

	// A refused write leaves no event.
	wantError(t, e.as(psAuth(key, "operator"), http.MethodDelete, "/Users/2147483647", ""), http.StatusNotFound, msgUserNotFound)
	page, err := e.Service().Events(cli, directory.Query{Filter: directory.Eq(directory.EventTargetID, int64(2147483647)), Limit: 10})
	if err != nil || len(page.Items) != 0 {
		t.Errorf("events of a refused delete: %v %v", page.Items, err)
	}
	// Audit records never hold a password or secret.
	all, err := e.Service().Events(cli, directory.Query{Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	for _, ev := range all.Items {
		for _, s := range []string{"correct horse", "operator password", secret, key} {
			if strings.Contains(string(ev.Before), s) || strings.Contains(string(ev.After), s) {
				t.Errorf("event %s holds a secret: %s %s", ev.Action, ev.Before, ev.After)
			}
		}
	}
}
