package scim_test

import (
	"net/http"
	"net/url"
	"strconv"
	"testing"

	"github.com/gatehouse/gatehouse/internal/directory"
	"github.com/gatehouse/gatehouse/internal/testserver"
)

const (
	praBase     = "/api/config/v1"
	insightBase = "/BeyondTrust/api/public/v3"
	publicBase  = "/api/public/v3"
)

// pra sends a request to the PRA Configuration API as the bootstrap
// account.
func (e *env) pra(method, path, body string) *testserver.Response {
	e.t.Helper()
	var h []string
	if body != "" {
		h = []string{"Content-Type", "application/json"}
	}
	return e.Do(e.t, method, praBase+path, e.tok, body, h...)
}

// insightToken signs the bootstrap account in to BeyondInsight.
func (e *env) insightToken() string {
	e.t.Helper()
	form := url.Values{"grant_type": {"client_credentials"}, "client_id": {testserver.AdminClientID},
		"client_secret": {testserver.AdminSecret}}.Encode()
	resp := want(e.t, e.Do(e.t, "POST", insightBase+"/Auth/connect/token", "", form, "Content-Type", "application/x-www-form-urlencoded"),
		http.StatusOK)
	return resp.Object(e.t)["access_token"].(string)
}

// TestSameUserInEveryFace provisions a user over SCIM and finds the same
// record, with the same id, in PRA, BeyondInsight and (when it is served)
// public v3; changes made in any face show in the others.
func TestSameUserInEveryFace(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	biTok := e.insightToken()
	bi := func(method, path, body string) *testserver.Response {
		t.Helper()
		var h []string
		if body != "" {
			h = []string{"Content-Type", "application/json"}
		}
		return e.Do(t, method, insightBase+path, biTok, body, h...)
	}

	u := e.obj(http.StatusCreated, "POST", "/Users", `{"schemas":["`+userURN+`"],"userName":"jdoe","externalId":"okta-1",
		"name":{"givenName":"Jane","familyName":"Doe"},"displayName":"Jane Doe","locale":"fr-fr",
		"emails":[{"value":"jane@example.com","type":"work","primary":true}]}`)
	uid := id(t, u)
	n, _ := strconv.ParseInt(uid, 10, 64)

	// PRA: the same id, the SCIM security provider, enabled.
	p := want(t, e.pra("GET", "/user/"+uid, ""), http.StatusOK).Object(t)
	wantAttrs(t, "PRA user", p, map[string]any{"id": float64(n), "username": "jdoe", "public_display_name": "Jane Doe",
		"email_address": "jane@example.com", "enabled": true, "preferred_email_language": "fr-fr"})
	providers := want(t, e.pra("GET", "/security-provider", ""), http.StatusOK).Array(t)
	var scimProvider float64
	for _, sp := range providers {
		if sp["type"] == "scim" {
			scimProvider = sp["id"].(float64)
		}
	}
	if scimProvider == 0 || p["security_provider_id"] != scimProvider {
		t.Errorf("security_provider_id %v; providers %v", p["security_provider_id"], providers)
	}
	// A second SCIM user joins the same provider.
	u2 := e.createUser("second")
	if p2 := want(t, e.pra("GET", "/user/"+id(t, u2), ""), http.StatusOK).Object(t); p2["security_provider_id"] != scimProvider {
		t.Errorf("second user's provider %v", p2["security_provider_id"])
	}

	// BeyondInsight.
	b := want(t, bi("GET", "/Users/"+uid, ""), http.StatusOK).Object(t)
	wantAttrs(t, "BeyondInsight user", b, map[string]any{"UserID": float64(n), "UserName": "jdoe", "FirstName": "Jane",
		"LastName": "Doe", "EmailAddress": "jane@example.com"})

	// public v3.
	pv := want(t, e.Do(t, "GET", publicBase+"/users/"+uid, e.tok, ""), http.StatusOK).Object(t)
	wantAttrs(t, "public v3 user", pv, map[string]any{"id": float64(n), "username": "jdoe", "display_name": "Jane Doe",
		"email_address": "jane@example.com", "enabled": true, "account_type": "scim", "locale": "fr-fr"})

	// A change in PRA shows here, with a new version.
	before := u["meta"].(map[string]any)["version"]
	want(t, e.pra("PATCH", "/user/"+uid, `{"public_display_name":"J. Doe","email_address":"jd@example.com"}`), http.StatusOK)
	got := e.obj(http.StatusOK, "GET", "/Users/"+uid, "")
	wantAttrs(t, "after PRA change", got, map[string]any{"displayName": "J. Doe", "externalId": "okta-1",
		"emails": []any{map[string]any{"value": "jd@example.com", "type": "work", "primary": true}}})
	if got["meta"].(map[string]any)["version"] == before {
		t.Error("a change in PRA did not change the version")
	}
	// ... and one made here shows there.
	want(t, e.do("PATCH", "/Users/"+uid, patchBody(`{"op":"replace","path":"name.givenName","value":"Janet"}`)), http.StatusOK)
	if b := want(t, bi("GET", "/Users/"+uid, ""), http.StatusOK).Object(t); b["FirstName"] != "Janet" {
		t.Errorf("BeyondInsight FirstName %v", b["FirstName"])
	}

	// active=false is enabled=false in PRA; PRA's enable shows here.
	want(t, e.do("PATCH", "/Users/"+uid, patchBody(`{"op":"replace","value":{"active":false}}`)), http.StatusOK)
	if p := want(t, e.pra("GET", "/user/"+uid, ""), http.StatusOK).Object(t); p["enabled"] != false {
		t.Errorf("PRA enabled %v after active=false", p["enabled"])
	}
	want(t, e.pra("PATCH", "/user/"+uid, `{"enabled":true}`), http.StatusOK)
	if got := e.obj(http.StatusOK, "GET", "/Users/"+uid, ""); got["active"] != true {
		t.Errorf("active %v after PRA enabled it", got["active"])
	}

	// public v3's full replace shows here, and keeps what only SCIM shows.
	want(t, e.Do(t, "PUT", publicBase+"/users/"+uid, e.tok, `{"username":"jdoe","display_name":"Jane P","email_address":"jp@example.com",
		"enabled":true,"locale":"fr-fr","public_key":"","group_memberships":[]}`, "Content-Type", "application/json"), http.StatusOK)
	got = e.obj(http.StatusOK, "GET", "/Users/"+uid, "")
	wantAttrs(t, "after public v3 PUT", got, map[string]any{"displayName": "Jane P", "externalId": "okta-1",
		"name": map[string]any{"givenName": "Janet", "familyName": "Doe"}})

	// Users made elsewhere are SCIM resources too.
	local := want(t, e.pra("POST", "/user", `{"username":"local.admin","public_display_name":"Local"}`), http.StatusCreated).Object(t)
	lid := strconv.FormatInt(int64(local["id"].(float64)), 10)
	got = e.obj(http.StatusOK, "GET", "/Users/"+lid, "")
	wantAttrs(t, "PRA user over SCIM", got, map[string]any{"userName": "local.admin", "displayName": "Local", "active": true})
	// userName is unique across faces, without regard to case.
	scimError(t, "taken by a PRA user", e.do("POST", "/Users", `{"schemas":["`+userURN+`"],"userName":"LOCAL.ADMIN"}`),
		http.StatusConflict, "uniqueness")

	// Deleting here deletes everywhere.
	want(t, e.do("DELETE", "/Users/"+uid, ""), http.StatusNoContent)
	want(t, e.pra("GET", "/user/"+uid, ""), http.StatusNotFound)
	want(t, bi("GET", "/Users/"+uid, ""), http.StatusNotFound)
}

// TestSameGroupInEveryFace: a SCIM group is a PRA group policy and a
// BeyondInsight user group, with the same members.
func TestSameGroupInEveryFace(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	uid := id(t, e.createUser("member"))
	g := e.createGroup("Engineers", uid)
	gid := id(t, g)
	n, _ := strconv.ParseInt(gid, 10, 64)

	p := want(t, e.pra("GET", "/group-policy/"+gid, ""), http.StatusOK).Object(t)
	if p["id"] != float64(n) || p["name"] != "Engineers" {
		t.Errorf("PRA group policy %v", p)
	}
	biTok := e.insightToken()
	users := want(t, e.Do(t, "GET", insightBase+"/UserGroups/"+gid+"/Users", biTok, ""), http.StatusOK).Array(t)
	if len(users) != 1 || users[0]["UserName"] != "member" {
		t.Errorf("BeyondInsight group users %v", users)
	}
	want(t, e.pra("PATCH", "/group-policy/"+gid, `{"name":"Engineering"}`), http.StatusOK)
	got := e.obj(http.StatusOK, "GET", "/Groups/"+gid, "")
	if got["displayName"] != "Engineering" || len(memberValues(got)) != 1 {
		t.Errorf("after PRA rename %v", got)
	}
	// Group names are unique across faces.
	scimError(t, "taken group name", e.do("POST", "/Groups", `{"schemas":["`+groupURN+`"],"displayName":"ENGINEERING"}`),
		http.StatusConflict, "uniqueness")
}

// TestDeactivatedUserCannotSignIn: a user SCIM deactivates can no longer
// sign in to BeyondInsight with an API key, and can once reactivated.
func TestDeactivatedUserCannotSignIn(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	reg, key, err := e.Service().CreateAPIRegistration(cli, directory.NewAPIRegistration{Name: "scripts"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.Service().CreateGroup(cli, directory.NewGroup{GroupChange: directory.GroupChange{
		Name: directory.To("Scripts"), RegistrationIDs: directory.To([]int64{reg.ID}),
		Permissions: directory.To([]directory.GroupPermission{{PermissionID: directory.PermUserAccounts, Level: directory.LevelRead}})}}); err != nil {
		t.Fatal(err)
	}
	uid := id(t, e.createUser("runner"))
	groups := list(t, e.do("GET", "/Groups"+q("filter", `displayName eq "Scripts"`), ""), 1, 1, 1)
	e.patchGroup(groups[0]["id"].(string), `{"op":"add","path":"members","value":[{"value":"`+uid+`"}]}`)

	signIn := func() int {
		t.Helper()
		return e.Do(t, "POST", insightBase+"/Auth/SignAppIn", "", "", "Authorization", "PS-Auth key="+key+"; runas=runner;").Status
	}
	if s := signIn(); s != http.StatusOK {
		t.Fatalf("sign-in of an active user: %d", s)
	}
	want(t, e.do("PATCH", "/Users/"+uid, patchBody(`{"op":"replace","value":{"active":false}}`)), http.StatusOK)
	if s := signIn(); s != http.StatusUnauthorized {
		t.Errorf("sign-in of a deactivated user: %d", s)
	}
	want(t, e.do("PATCH", "/Users/"+uid, patchBody(`{"op":"replace","value":{"active":true}}`)), http.StatusOK)
	if s := signIn(); s != http.StatusOK {
		t.Errorf("sign-in after reactivation: %d", s)
	}
}
