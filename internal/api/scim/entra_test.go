package scim_test

import (
	"net/http"
	"reflect"
	"testing"
)

// TestEntraUserLifecycle replays the user requests of Microsoft Entra ID's
// provisioning service and its SCIM validator, with the bodies of
// Microsoft's SCIM endpoint tutorial: the enterprise extension, work
// e-mail, addresses and phone numbers, PATCH with "Replace" in title case,
// "False" as a string, path-less values with dotted and URN-qualified
// keys, value-filtered paths, and the manager as a bare id.
func TestEntraUserLifecycle(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	const userName = "Test_User_ab6490ee-1e48-479e-a20b-2d77186b5dd1"

	// A random name finds nothing.
	list(t, e.do("GET", "/Users"+q("filter", `userName eq "Test_User_dfeef4c5-5681-4387-b016-bdf221e82081"`), ""), 0, 1, 0)

	mgr := id(t, e.createUser("the.manager"))
	resp := e.do("POST", "/Users", `{
		"schemas":["urn:ietf:params:scim:schemas:core:2.0:User","urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"],
		"externalId":"0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef",
		"userName":"`+userName+`",
		"active":true,
		"addresses":[{"type":"work","streetAddress":"1 Microsoft Way","locality":"Redmond","region":"WA","postalCode":"98052","country":"US","primary":false}],
		"displayName":"Test User","title":"Engineer","preferredLanguage":"en-US",
		"emails":[{"primary":true,"type":"work","value":"Test_User_fd0ea19b-0777-472c-9f96-4f70d2226f2e@testuser.com"},
			{"type":"home","value":"home@example.com"}],
		"meta":{"resourceType":"User"},
		"name":{"formatted":"givenName familyName","familyName":"familyName","givenName":"givenName"},
		"phoneNumbers":[{"type":"work","value":"+1 425 555 0100"},{"type":"mobile","value":"+1 425 555 0101"}],
		"roles":[],
		"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User":{"employeeNumber":"701984","department":"Tour Operations",
			"costCenter":"4130","organization":"Universal Studios","division":"Theme Park","manager":{"value":"`+mgr+`"}}}`)
	want(t, resp, http.StatusCreated)
	u := e.checkResource("POST /Users", resp, "User")
	uid := id(t, u)
	wantAttrs(t, "created", u, map[string]any{
		"schemas":     []any{userURN, enterpriseURN},
		"userName":    userName,
		"externalId":  "0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef",
		"displayName": "Test User", "title": "Engineer", "preferredLanguage": "en-US", "active": true,
		"name": map[string]any{"formatted": "givenName familyName", "familyName": "familyName", "givenName": "givenName"},
		"emails": []any{
			map[string]any{"value": "Test_User_fd0ea19b-0777-472c-9f96-4f70d2226f2e@testuser.com", "type": "work", "primary": true},
			map[string]any{"value": "home@example.com", "type": "home"}},
		"phoneNumbers": []any{map[string]any{"value": "+1 425 555 0100", "type": "work"},
			map[string]any{"value": "+1 425 555 0101", "type": "mobile"}},
		"addresses": []any{map[string]any{"type": "work", "streetAddress": "1 Microsoft Way", "locality": "Redmond",
			"region": "WA", "postalCode": "98052", "country": "US"}},
		enterpriseURN: map[string]any{"employeeNumber": "701984", "department": "Tour Operations", "costCenter": "4130",
			"organization": "Universal Studios", "division": "Theme Park",
			"manager": map[string]any{"value": mgr, "$ref": e.URL + base + "/Users/" + mgr}},
	})

	// Entra matches by userName and by externalId.
	got := list(t, e.do("GET", "/Users"+q("filter", `userName eq "`+userName+`"`), ""), 1, 1, 1)
	if got[0]["id"] != uid {
		t.Errorf("by userName %v", got)
	}
	got = list(t, e.do("GET", "/Users"+q("filter", `externalId eq "0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef"`), ""), 1, 1, 1)
	if got[0]["id"] != uid {
		t.Errorf("by externalId %v", got)
	}
	// externalId is caseExact.
	list(t, e.do("GET", "/Users"+q("filter", `externalId eq "0A21F0F2-8D2A-4F8E-BF98-7363C4AED4EF"`), ""), 0, 1, 0)
	// The work e-mail, as RFC 7644 spells a filter on it.
	list(t, e.do("GET", "/Users"+q("filter", `emails[type eq "work" and value eq "test_user_fd0ea19b-0777-472c-9f96-4f70d2226f2e@testuser.com"]`), ""), 1, 1, 1)
	list(t, e.do("GET", "/Users"+q("filter", `emails.value eq "Test_User_fd0ea19b-0777-472c-9f96-4f70d2226f2e@testuser.com"`), ""), 1, 1, 1)

	// Multi-valued and single-valued updates, "Replace" in title case.
	resp = want(t, e.do("PATCH", "/Users/"+uid, patchBody(
		`{"op":"Replace","path":"emails[type eq \"work\"].value","value":"updatedEmail@microsoft.com"}`,
		`{"op":"Replace","path":"name.familyName","value":"updatedFamilyName"}`)), http.StatusOK)
	m := e.checkResource("PATCH emails", resp, "User")
	if em := m["emails"].([]any)[0].(map[string]any); em["value"] != "updatedEmail@microsoft.com" || em["primary"] != true {
		t.Errorf("emails %v", m["emails"])
	}
	if m["name"].(map[string]any)["familyName"] != "updatedFamilyName" || e.stored(uid).LastName != "updatedFamilyName" {
		t.Errorf("name %v", m["name"])
	}
	if e.stored(uid).Email != "updatedEmail@microsoft.com" {
		t.Errorf("stored e-mail %q", e.stored(uid).Email)
	}
	resp = want(t, e.do("PATCH", "/Users/"+uid, patchBody(
		`{"op":"Replace","path":"userName","value":"5b50642d-79fc-4410-9e90-4c077cdd1a59@testuser.com"}`)), http.StatusOK)
	if resp.Object(t)["userName"] != "5b50642d-79fc-4410-9e90-4c077cdd1a59@testuser.com" {
		t.Errorf("userName not replaced: %s", resp.Body)
	}

	// Path-less replace with dotted and URN-qualified keys.
	resp = want(t, e.do("PATCH", "/Users/"+uid, patchBody(`{"op":"replace","value":{
		"displayName":"Updated Name","name.givenName":"Updated","title":"Lead",
		"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department":"Finance",
		"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber":"42"}}`)), http.StatusOK)
	m = resp.Object(t)
	wantAttrs(t, "path-less", m, map[string]any{"displayName": "Updated Name", "title": "Lead"})
	if m["name"].(map[string]any)["givenName"] != "Updated" || m["name"].(map[string]any)["familyName"] != "updatedFamilyName" {
		t.Errorf("name %v", m["name"])
	}
	ent := m[enterpriseURN].(map[string]any)
	if ent["department"] != "Finance" || ent["employeeNumber"] != "42" || ent["costCenter"] != "4130" {
		t.Errorf("enterprise %v", ent)
	}

	// A work address's street, and a new manager given as a bare id.
	mgr2 := id(t, e.createUser("new.manager"))
	resp = want(t, e.do("PATCH", "/Users/"+uid, patchBody(
		`{"op":"Replace","path":"addresses[type eq \"work\"].streetAddress","value":"2 Main St"}`,
		`{"op":"Add","path":"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager","value":"`+mgr2+`"}`)), http.StatusOK)
	m = resp.Object(t)
	if a := m["addresses"].([]any)[0].(map[string]any); a["streetAddress"] != "2 Main St" || a["locality"] != "Redmond" {
		t.Errorf("addresses %v", m["addresses"])
	}
	if mg := m[enterpriseURN].(map[string]any)["manager"].(map[string]any); mg["value"] != mgr2 {
		t.Errorf("manager %v", mg)
	}
	// Add a phone number of a new kind.
	resp = want(t, e.do("PATCH", "/Users/"+uid, patchBody(
		`{"op":"Add","path":"phoneNumbers","value":[{"type":"fax","value":"+1 425 555 0102"}]}`)), http.StatusOK)
	if n := len(resp.Object(t)["phoneNumbers"].([]any)); n != 3 {
		t.Errorf("phone numbers after add: %d", n)
	}

	// Disable, as Entra sends it by default: "False", a string.
	resp = want(t, e.do("PATCH", "/Users/"+uid, patchBody(`{"op":"Replace","path":"active","value":"False"}`)), http.StatusOK)
	if resp.Object(t)["active"] != false || e.stored(uid).Enabled {
		t.Errorf("after disable: %s", resp.Body)
	}
	// And as it sends it with the compliance flag on: a boolean.
	resp = want(t, e.do("PATCH", "/Users/"+uid, patchBody(`{"op":"replace","path":"active","value":true}`)), http.StatusOK)
	if resp.Object(t)["active"] != true {
		t.Errorf("after enable: %s", resp.Body)
	}

	want(t, e.do("DELETE", "/Users/"+uid, ""), http.StatusNoContent)
	scimError(t, "deleted", e.do("GET", "/Users/"+uid, ""), http.StatusNotFound, "")
	list(t, e.do("GET", "/Users"+q("filter", `externalId eq "0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef"`), ""), 0, 1, 0)
}

// TestEntraGroups replays Entra ID's group requests: lookups with
// excludedAttributes=members, a create naming Microsoft's own schema URN,
// member adds and removes with value arrays, and the membership check
// "id eq g and members[value eq u]".
func TestEntraGroups(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	u1 := id(t, e.createUser("alice"))
	u2 := id(t, e.createUser("bob"))

	list(t, e.do("GET", "/Groups"+q("excludedAttributes", "members", "filter", `displayName eq "displayName"`), ""), 0, 1, 0)
	resp := want(t, e.do("POST", "/Groups", `{"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group",
		"http://schemas.microsoft.com/2006/11/ResourceManagement/ADSCIM/Group"],
		"externalId":"8aa1a0c0-c4c3-4bc0-b4a5-2ef676900159","displayName":"displayName","meta":{"resourceType":"Group"}}`),
		http.StatusCreated)
	g := e.checkResource("POST /Groups", resp, "Group")
	gid := id(t, g)
	wantAttrs(t, "created group", g, map[string]any{"displayName": "displayName", "externalId": "8aa1a0c0-c4c3-4bc0-b4a5-2ef676900159",
		"members": []any{}})

	// Reads without members, by id and by name.
	m := e.checkResource("GET excluded", want(t, e.do("GET", "/Groups/"+gid+"?excludedAttributes=members", ""), http.StatusOK), "Group")
	if _, ok := m["members"]; ok {
		t.Errorf("members not excluded: %v", m)
	}
	got := list(t, e.do("GET", "/Groups"+q("excludedAttributes", "members", "filter", `displayName eq "displayName"`), ""), 1, 1, 1)
	if _, ok := got[0]["members"]; ok || got[0]["id"] != gid {
		t.Errorf("listed %v", got)
	}

	// Rename.
	if g := e.patchGroup(gid, `{"op":"Replace","path":"displayName","value":"1879db59-3bdf-4490-ad68-ab880a269474updatedDisplayName"}`); g["displayName"] != "1879db59-3bdf-4490-ad68-ab880a269474updatedDisplayName" {
		t.Errorf("rename: %v", g)
	}
	// Add members as Entra sends them, with "$ref": null.
	g = e.patchGroup(gid, `{"op":"Add","path":"members","value":[{"$ref":null,"value":"`+u1+`"},{"$ref":null,"value":"`+u2+`"}]}`)
	if got := memberValues(g); !reflect.DeepEqual(got, []string{u1, u2}) {
		t.Errorf("members %v", got)
	}
	// Adding a member again changes nothing.
	g = e.patchGroup(gid, `{"op":"Add","path":"members","value":[{"value":"`+u1+`"}]}`)
	if got := memberValues(g); !reflect.DeepEqual(got, []string{u1, u2}) {
		t.Errorf("members after a repeated add %v", got)
	}

	// The membership check.
	check := func(user string, n int) {
		t.Helper()
		list(t, e.do("GET", "/Groups"+q("filter", `id eq "`+gid+`" and members[value eq "`+user+`"]`, "excludedAttributes", "members"), ""), n, 1, n)
	}
	check(u1, 1)
	check(u2, 1)
	check("999999", 0)

	g = e.patchGroup(gid, `{"op":"Remove","path":"members","value":[{"$ref":null,"value":"`+u1+`"}]}`)
	if got := memberValues(g); !reflect.DeepEqual(got, []string{u2}) {
		t.Errorf("members after remove %v", got)
	}
	check(u1, 0)
	check(u2, 1)
	// Users filter by group too.
	list(t, e.do("GET", "/Users"+q("filter", `groups.value eq "`+gid+`"`), ""), 1, 1, 1)

	want(t, e.do("DELETE", "/Groups/"+gid, ""), http.StatusNoContent)
	list(t, e.do("GET", "/Groups"+q("filter", `id eq "`+gid+`"`, "excludedAttributes", "members"), ""), 0, 1, 0)
}
