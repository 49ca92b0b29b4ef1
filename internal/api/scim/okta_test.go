package scim_test

import (
	"net/http"
	"reflect"
	"strings"
	"testing"
)

// TestOktaUserLifecycle replays the requests Okta's SCIM 2.0 connector
// sends for a user, with the bodies of Okta's SCIM 2.0 reference, and
// checks every answer has the shape Okta reads.
func TestOktaUserLifecycle(t *testing.T) {
	t.Parallel()
	e := newEnv(t)

	// 1. Does the user exist? Okta pages with startIndex=1&count=100.
	resp := e.do("GET", `/Users?filter=userName%20eq%20%22test.user%40okta.local%22&startIndex=1&count=100`, "")
	if got := list(t, resp, 0, 1, 0); len(got) != 0 {
		t.Fatalf("resources %v", got)
	}

	// 2. Create it: Okta sends groups (readOnly) and a password, both
	// ignored, and locale en-US.
	resp = e.do("POST", "/Users", `{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],
		"userName":"test.user@okta.local","name":{"givenName":"Test","familyName":"User"},
		"emails":[{"primary":true,"value":"test.user@okta.local","type":"work"}],
		"displayName":"Test User","locale":"en-US","externalId":"00ujl29u0le5T6Aj10h7",
		"groups":[],"password":"1mz050nq","active":true}`)
	want(t, resp, http.StatusCreated)
	u := e.checkResource("POST /Users", resp, "User")
	uid := id(t, u)
	if loc := resp.Header.Get("Location"); loc != e.URL+base+"/Users/"+uid {
		t.Errorf("Location %q", loc)
	}
	if strings.Contains(string(resp.Body), "1mz050nq") || strings.Contains(string(resp.Body), `"password"`) {
		t.Errorf("the password is shown: %s", resp.Body)
	}
	wantAttrs(t, "created user", u, map[string]any{
		"userName": "test.user@okta.local", "displayName": "Test User", "locale": "en-US", "active": true,
		"externalId": "00ujl29u0le5T6Aj10h7",
		"name":       map[string]any{"givenName": "Test", "familyName": "User"},
		"emails":     []any{map[string]any{"value": "test.user@okta.local", "type": "work", "primary": true}},
		"groups":     []any{},
		"schemas":    []any{userURN},
	})
	if st := e.stored(uid); st.Source != "scim" || st.PasswordHash != "" || st.Email != "test.user@okta.local" {
		t.Errorf("stored user %+v", st)
	}

	// 3. Read it back, and find it by userName (in any case).
	got := e.checkResource("GET /Users/{id}", want(t, e.do("GET", "/Users/"+uid, ""), http.StatusOK), "User")
	if !reflect.DeepEqual(got, u) {
		t.Errorf("GET differs from POST:\n%v\n%v", got, u)
	}
	found := list(t, e.do("GET", `/Users?filter=userName%20eq%20%22TEST.USER%40okta.local%22&startIndex=1&count=100`, ""), 1, 1, 1)
	if found[0]["id"] != uid {
		t.Errorf("found %v", found)
	}

	// 4. Profile update: Okta PUTs the whole user back, id and all.
	resp = e.do("PUT", "/Users/"+uid, `{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"id":"`+uid+`",
		"userName":"test.user@okta.local","name":{"givenName":"Another","familyName":"User"},
		"emails":[{"primary":true,"value":"test.user@okta.local","type":"work"}],
		"displayName":"Another User","locale":"en-US","externalId":"00ujl29u0le5T6Aj10h7",
		"groups":[],"password":"t1meMa$heen","active":true}`)
	want(t, resp, http.StatusOK)
	put := e.checkResource("PUT", resp, "User")
	wantAttrs(t, "after PUT", put, map[string]any{"displayName": "Another User",
		"name": map[string]any{"givenName": "Another", "familyName": "User"}})
	if put["meta"].(map[string]any)["version"] == u["meta"].(map[string]any)["version"] {
		t.Error("the version did not change")
	}

	// 5. Deactivate and reactivate.
	deact := patchBody(`{"op":"replace","value":{"active":false}}`)
	resp = want(t, e.do("PATCH", "/Users/"+uid, deact), http.StatusOK)
	if m := e.checkResource("deactivate", resp, "User"); m["active"] != false {
		t.Errorf("after deactivation: %v", m)
	}
	if e.stored(uid).Enabled {
		t.Error("the deactivated user is enabled")
	}
	// Still there, and still found.
	want(t, e.do("GET", "/Users/"+uid, ""), http.StatusOK)
	list(t, e.do("GET", "/Users"+q("filter", `userName eq "test.user@okta.local"`), ""), 1, 1, 1)
	list(t, e.do("GET", "/Users"+q("filter", `active eq false`), ""), 1, 1, 1)
	resp = want(t, e.do("PATCH", "/Users/"+uid, patchBody(`{"op":"replace","value":{"active":true}}`)), http.StatusOK)
	if m := resp.Object(t); m["active"] != true {
		t.Errorf("after reactivation: %v", m)
	}

	// 6. Import: every user, a page at a time.
	e.createUser("second")
	all := list(t, e.do("GET", "/Users?startIndex=1&count=100", ""), 2, 1, 2)
	if all[0]["id"] != uid {
		t.Errorf("users are not in creation order: %v", all)
	}
	list(t, e.do("GET", "/Users?startIndex=2&count=1", ""), 2, 2, 1)

	// 7. A user Okta thinks exists but does not.
	scimError(t, "unknown user", e.do("GET", "/Users/010f8b9c-6bcb-4b4c-9a4e-7d6a3d3bc9de", ""), http.StatusNotFound, "")
	scimError(t, "unknown numeric id", e.do("GET", "/Users/999999", ""), http.StatusNotFound, "")

	// 8. Okta deprovisions with DELETE when so configured.
	want(t, e.do("DELETE", "/Users/"+uid, ""), http.StatusNoContent)
	scimError(t, "deleted user", e.do("GET", "/Users/"+uid, ""), http.StatusNotFound, "")
}

// TestOktaGroupPush replays Okta's group push: create, rename with the
// group's id in a path-less value, add and remove members by filter,
// replace them, find by displayName, delete.
func TestOktaGroupPush(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	u1 := id(t, e.createUser("test.user@okta.local"))
	u2 := id(t, e.createUser("other.user@okta.local"))

	list(t, e.do("GET", "/Groups"+q("filter", `displayName eq "Test SCIMv2"`, "startIndex", "1", "count", "100"), ""), 0, 1, 0)
	resp := want(t, e.do("POST", "/Groups", `{"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"],"displayName":"Test SCIMv2","members":[]}`),
		http.StatusCreated)
	g := e.checkResource("POST /Groups", resp, "Group")
	gid := id(t, g)
	if loc := resp.Header.Get("Location"); loc != e.URL+base+"/Groups/"+gid {
		t.Errorf("Location %q", loc)
	}
	wantAttrs(t, "new group", g, map[string]any{"displayName": "Test SCIMv2", "members": []any{}, "schemas": []any{groupURN}})
	e.checkResource("GET /Groups/{id}", want(t, e.do("GET", "/Groups/"+gid, ""), http.StatusOK), "Group")

	// Rename: Okta restates the id in the value.
	if m := e.patchGroup(gid, `{"op":"replace","value":{"id":"`+gid+`","displayName":"Test SCIMv2 renamed"}}`); m["displayName"] != "Test SCIMv2 renamed" {
		t.Errorf("after rename %v", m)
	}
	// Add members, with display names as Okta sends them. Group PATCHes
	// answer 204 (see patchGroup).
	g = e.patchGroup(gid, `{"op":"add","path":"members","value":[
		{"value":"`+u1+`","display":"test.user@okta.local"},{"value":"`+u2+`","display":"other.user@okta.local"}]}`)
	if got := memberValues(g); !reflect.DeepEqual(got, []string{u1, u2}) {
		t.Errorf("members after add %v", got)
	}
	member := g["members"].([]any)[0].(map[string]any)
	wantAttrs(t, "member", member, map[string]any{"value": u1, "type": "User", "display": "G F",
		"$ref": e.URL + base + "/Users/" + u1})
	// The user shows the group.
	user := e.obj(http.StatusOK, "GET", "/Users/"+u1, "")
	if gs, _ := user["groups"].([]any); len(gs) != 1 || gs[0].(map[string]any)["value"] != gid ||
		gs[0].(map[string]any)["display"] != "Test SCIMv2 renamed" {
		t.Errorf("user groups %v", user["groups"])
	}
	// Remove one by filter.
	g = e.patchGroup(gid, `{"op":"remove","path":"members[value eq \"`+u1+`\"]"}`)
	if got := memberValues(g); !reflect.DeepEqual(got, []string{u2}) {
		t.Errorf("members after remove %v", got)
	}
	// Replace them all.
	g = e.patchGroup(gid, `{"op":"replace","path":"members","value":[{"value":"`+u1+`"}]}`)
	if got := memberValues(g); !reflect.DeepEqual(got, []string{u1}) {
		t.Errorf("members after replace %v", got)
	}

	found := list(t, e.do("GET", "/Groups"+q("filter", `displayName eq "test scimv2 RENAMED"`, "startIndex", "1", "count", "100"), ""), 1, 1, 1)
	if found[0]["id"] != gid {
		t.Errorf("found %v", found)
	}
	list(t, e.do("GET", "/Groups?startIndex=1&count=100", ""), 1, 1, 1)

	want(t, e.do("DELETE", "/Groups/"+gid, ""), http.StatusNoContent)
	scimError(t, "deleted group", e.do("GET", "/Groups/"+gid, ""), http.StatusNotFound, "")
	// The users remain, in no group.
	if user := e.obj(http.StatusOK, "GET", "/Users/"+u1, ""); len(user["groups"].([]any)) != 0 {
		t.Errorf("groups of a deleted group's member: %v", user["groups"])
	}
}

// wantAttrs checks that m has each attribute with the given value.
func wantAttrs(t *testing.T, what string, m map[string]any, attrs map[string]any) {
	t.Helper()
	for k, v := range attrs {
		if !reflect.DeepEqual(m[k], v) {
			t.Errorf("%s: %s = %#v, want %#v", what, k, m[k], v)
		}
	}
}
