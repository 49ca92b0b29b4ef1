package scim_test

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/gatehouse/gatehouse/internal/directory"
)

// TestAuthentication: a bearer token of an account with the SCIM
// permission is needed for resources, not for discovery; a read-only token
// cannot write.
func TestAuthentication(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	resp := e.as("", "GET", "/Users", "")
	scimError(t, "no token", resp, http.StatusUnauthorized, "")
	if h := resp.Header.Get("WWW-Authenticate"); !strings.HasPrefix(h, "Bearer") {
		t.Errorf("WWW-Authenticate %q", h)
	}
	scimError(t, "forged token", e.as("not-a-token", "GET", "/Users", ""), http.StatusUnauthorized, "")
	scimError(t, "no token on a write", e.as("", "POST", "/Users", `{}`), http.StatusUnauthorized, "")
	scimError(t, "no token on /Me", e.as("", "GET", "/Me", ""), http.StatusUnauthorized, "")

	praID, praSecret := e.NewAccount(t, "pra-only", directory.Permissions{Configuration: directory.AccessFullAccess})
	praTok := e.Token(t, praID, praSecret)
	scimError(t, "no SCIM permission", e.as(praTok, "GET", "/Users", ""), http.StatusForbidden, "")
	scimError(t, "no SCIM permission to search", e.as(praTok, "POST", "/Users/.search", `{"schemas":["`+searchURN+`"]}`),
		http.StatusForbidden, "")

	scimID, scimSecret := e.NewAccount(t, "idp", directory.Permissions{SCIM: true})
	form := url.Values{"grant_type": {"client_credentials"}, "client_id": {scimID}, "client_secret": {scimSecret},
		"scope": {"read_only"}}.Encode()
	ro := want(t, e.Do(t, "POST", "/oauth2/token", "", form, "Content-Type", "application/x-www-form-urlencoded"), http.StatusOK).
		Object(t)["access_token"].(string)
	want(t, e.as(ro, "GET", "/Users", ""), http.StatusOK)
	want(t, e.as(ro, "POST", "/Users/.search", `{"schemas":["`+searchURN+`"]}`), http.StatusOK)
	for _, w := range []struct{ method, path, body string }{
		{"POST", "/Users", `{"schemas":["` + userURN + `"],"userName":"x"}`},
		{"PUT", "/Users/1", `{}`},
		{"PATCH", "/Users/1", `{}`},
		{"DELETE", "/Users/1", ""},
		{"POST", "/Groups", `{}`},
		{"POST", "/Bulk", `{}`},
	} {
		scimError(t, "read-only "+w.method+" "+w.path, e.as(ro, w.method, w.path, w.body), http.StatusForbidden, "")
	}
	// The full-access token of the same account writes.
	full := e.Token(t, scimID, scimSecret)
	want(t, e.as(full, "POST", "/Users", `{"schemas":["`+userURN+`"],"userName":"x"}`), http.StatusCreated)

	for _, path := range []string{"/ServiceProviderConfig", "/ResourceTypes", "/ResourceTypes/User", "/Schemas",
		"/Schemas/" + userURN, "/openapi.yaml"} {
		want(t, e.as("", "GET", path, ""), http.StatusOK)
	}
}

// TestBadInput: every kind of bad input gets the SCIM error RFC 7644
// names for it, never a 500.
func TestBadInput(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	u := e.createUser("taken")
	uid := id(t, u)
	e.createUser("other")
	gid := id(t, e.createGroup("Taken Group", uid))
	user := func(extra string) string {
		return `{"schemas":["` + userURN + `"],"userName":"fresh"` + extra + `}`
	}
	group := func(extra string) string { return `{"schemas":["` + groupURN + `"]` + extra + `}` }
	big := `{"schemas":["` + userURN + `"],"userName":"big","title":"` + strings.Repeat("x", 1<<20) + `"}`

	for _, tc := range []struct {
		name, method, path, body string
		header                   []string
		status                   int
		scimType                 string
	}{
		// Media types and body syntax.
		{"text body", "POST", "/Users", user(""), []string{"Content-Type", "text/plain"}, 415, ""},
		{"XML body", "POST", "/Users", "<User/>", []string{"Content-Type", "application/xml"}, 415, ""},
		{"other JSON type", "POST", "/Users", user(""), []string{"Content-Type", "application/merge-patch+json"}, 415, ""},
		{"XML wanted", "GET", "/Users", "", []string{"Accept", "application/xml"}, 406, ""},
		{"oversized body", "POST", "/Users", big, nil, 413, ""},
		{"malformed JSON", "POST", "/Users", `{"schemas":`, nil, 400, "invalidSyntax"},
		{"array body", "POST", "/Users", `[1]`, nil, 400, "invalidSyntax"},
		{"duplicate member", "POST", "/Users", `{"userName":"a","userName":"b"}`, nil, 400, "invalidSyntax"},
		{"trailing data", "POST", "/Users", user("") + "{}", nil, 400, "invalidSyntax"},
		{"invalid UTF-8", "POST", "/Users", "{\"schemas\":[\"" + userURN + "\"],\"userName\":\"\xff\"}", nil, 400, "invalidSyntax"},
		{"too deep", "POST", "/Users", user(`,"name":{"a":[[[[[[[[1]]]]]]]]}`), nil, 400, "invalidSyntax"},

		// schemas.
		{"no schemas", "POST", "/Users", `{"userName":"fresh"}`, nil, 400, "invalidSyntax"},
		{"schemas a string", "POST", "/Users", `{"schemas":"` + userURN + `","userName":"fresh"}`, nil, 400, "invalidSyntax"},
		{"schemas of a number", "POST", "/Users", `{"schemas":[5],"userName":"fresh"}`, nil, 400, "invalidSyntax"},
		{"Group schema for a user", "POST", "/Users", `{"schemas":["` + groupURN + `"],"userName":"fresh"}`, nil, 400, "invalidSyntax"},
		{"both schemas", "POST", "/Users", `{"schemas":["` + userURN + `","` + groupURN + `"],"userName":"fresh"}`, nil, 400, "invalidSyntax"},
		{"User schema for a group", "POST", "/Groups", `{"schemas":["` + userURN + `"],"displayName":"G"}`, nil, 400, "invalidSyntax"},
		{"PUT without schemas", "PUT", "/Users/" + uid, `{"userName":"taken"}`, nil, 400, "invalidSyntax"},

		// Attributes.
		{"no userName", "POST", "/Users", `{"schemas":["` + userURN + `"]}`, nil, 400, "invalidValue"},
		{"empty userName", "POST", "/Users", `{"schemas":["` + userURN + `"],"userName":""}`, nil, 400, "invalidValue"},
		{"numeric userName", "POST", "/Users", `{"schemas":["` + userURN + `"],"userName":5}`, nil, 400, "invalidValue"},
		{"long userName", "POST", "/Users", `{"schemas":["` + userURN + `"],"userName":"` + strings.Repeat("u", 65) + `"}`, nil, 400, "invalidValue"},
		{"control character", "POST", "/Users", `{"schemas":["` + userURN + `"],"userName":"a\u0001b"}`, nil, 400, "invalidValue"},
		{"NUL", "POST", "/Users", `{"schemas":["` + userURN + `"],"userName":"a\u0000b"}`, nil, 400, "invalidValue"},
		{"active a word", "POST", "/Users", user(`,"active":"yes"`), nil, 400, "invalidValue"},
		{"active a number", "POST", "/Users", user(`,"active":1`), nil, 400, "invalidValue"},
		{"name a string", "POST", "/Users", user(`,"name":"Jane"`), nil, 400, "invalidValue"},
		{"emails an object", "POST", "/Users", user(`,"emails":{"value":"a@example.com"}`), nil, 400, "invalidValue"},
		{"email value a number", "POST", "/Users", user(`,"emails":[{"value":5}]`), nil, 400, "invalidValue"},
		{"bad email", "POST", "/Users", user(`,"emails":[{"value":"not an address","primary":true}]`), nil, 400, "invalidValue"},
		{"two primary emails", "POST", "/Users", user(`,"emails":[{"value":"a@example.com","primary":true},{"value":"b@example.com","primary":true}]`), nil, 400, "invalidValue"},
		{"bad locale", "POST", "/Users", user(`,"locale":"english please"`), nil, 400, "invalidValue"},
		{"unknown attribute", "POST", "/Users", user(`,"favouriteColour":"blue"`), nil, 400, "invalidSyntax"},
		{"unsupported attribute", "POST", "/Users", user(`,"x509Certificates":[{"value":"MIIC"}]`), nil, 400, "invalidSyntax"},
		{"unknown sub-attribute", "POST", "/Users", user(`,"name":{"nick":"J"}`), nil, 400, "invalidSyntax"},
		{"unknown extension", "POST", "/Users", user(`,"urn:example:ext:1.0:User":{"x":1}`), nil, 400, "invalidSyntax"},
		{"extension a string", "POST", "/Users", user(`,"` + enterpriseURN + `":"x"`), nil, 400, "invalidValue"},
		{"externalId a number", "POST", "/Users", user(`,"externalId":5`), nil, 400, "invalidValue"},
		{"same attribute twice in two cases", "POST", "/Users", user(`,"USERNAME":"again"`), nil, 400, "invalidSyntax"},
		{"duplicate userName", "POST", "/Users", `{"schemas":["` + userURN + `"],"userName":"TAKEN"}`, nil, 409, "uniqueness"},
		{"rename onto a taken userName", "PUT", "/Users/" + uid, `{"schemas":["` + userURN + `"],"userName":"other"}`, nil, 409, "uniqueness"},
		{"group without displayName", "POST", "/Groups", group(``), nil, 400, "invalidValue"},
		{"group displayName a list", "POST", "/Groups", group(`,"displayName":["G"]`), nil, 400, "invalidValue"},
		{"duplicate group", "POST", "/Groups", group(`,"displayName":"taken group"`), nil, 409, "uniqueness"},
		{"member that does not exist", "POST", "/Groups", group(`,"displayName":"G2","members":[{"value":"999999"}]`), nil, 400, "invalidValue"},
		{"member that cannot exist", "POST", "/Groups", group(`,"displayName":"G2","members":[{"value":"abc"}]`), nil, 400, "invalidValue"},
		{"nested group", "POST", "/Groups", group(`,"displayName":"G2","members":[{"value":"` + gid + `","type":"Group"}]`), nil, 400, "invalidValue"},

		// Unknown resources and paths.
		{"user id not a number", "GET", "/Users/abc", "", nil, 404, ""},
		{"user id 0", "GET", "/Users/0", "", nil, 404, ""},
		{"user id too big", "GET", "/Users/99999999999999999999", "", nil, 404, ""},
		{"no such user", "GET", "/Users/999999", "", nil, 404, ""},
		{"PUT no such user", "PUT", "/Users/999999", user(""), nil, 404, ""},
		{"PATCH no such user", "PATCH", "/Users/999999", patchBody(`{"op":"replace","path":"active","value":false}`), nil, 404, ""},
		{"DELETE no such user", "DELETE", "/Users/999999", "", nil, 404, ""},
		{"no such group", "GET", "/Groups/999999", "", nil, 404, ""},
		{"PATCH no such group", "PATCH", "/Groups/abc", patchBody(`{"op":"add","path":"members","value":[]}`), nil, 404, ""},
		{"DELETE no such group", "DELETE", "/Groups/999999", "", nil, 404, ""},
		{"unknown endpoint", "GET", "/Nope", "", nil, 404, ""},
		{"unknown resource type", "GET", "/ResourceTypes/Device", "", nil, 404, ""},
		{"unknown schema", "GET", "/Schemas/urn:nope", "", nil, 404, ""},
		{"method not allowed", "PUT", "/Users", user(""), nil, 405, ""},
		{"/Me", "GET", "/Me", "", nil, 501, ""},
		{"PATCH /Me", "PATCH", "/Me", patchBody(), nil, 501, ""},

		// Lists.
		{"filter syntax", "GET", "/Users" + q("filter", `userName eq`), "", nil, 400, "invalidFilter"},
		{"filter unbalanced", "GET", "/Users" + q("filter", `(userName eq "a"`), "", nil, 400, "invalidFilter"},
		{"filter bad operator", "GET", "/Users" + q("filter", `userName is "a"`), "", nil, 400, "invalidFilter"},
		{"filter unterminated string", "GET", "/Users" + q("filter", `userName eq "a`), "", nil, 400, "invalidFilter"},
		{"filter unknown attribute", "GET", "/Users" + q("filter", `nosuch eq "a"`), "", nil, 400, "invalidFilter"},
		{"filter unknown sub-attribute", "GET", "/Users" + q("filter", `name.nosuch eq "a"`), "", nil, 400, "invalidFilter"},
		{"filter on a kept attribute", "GET", "/Users" + q("filter", `title eq "a"`), "", nil, 400, "invalidFilter"},
		{"filter wrong type", "GET", "/Users" + q("filter", `active eq "yes"`), "", nil, 400, "invalidFilter"},
		{"filter co on a boolean", "GET", "/Users" + q("filter", `active co true`), "", nil, 400, "invalidFilter"},
		{"filter gt on an id", "GET", "/Users" + q("filter", `id gt "5"`), "", nil, 400, "invalidFilter"},
		{"filter bad date", "GET", "/Users" + q("filter", `meta.lastModified gt "yesterday"`), "", nil, 400, "invalidFilter"},
		{"filter of the other type", "GET", "/Groups" + q("filter", `userName eq "a"`), "", nil, 400, "invalidFilter"},
		{"sortBy unknown", "GET", "/Users" + q("sortBy", "nosuch"), "", nil, 400, "invalidValue"},
		{"sortBy unsortable", "GET", "/Users" + q("sortBy", "title"), "", nil, 400, "invalidValue"},
		{"sortOrder unknown", "GET", "/Users" + q("sortOrder", "sideways"), "", nil, 400, "invalidValue"},
		{"startIndex a word", "GET", "/Users?startIndex=one", "", nil, 400, "invalidValue"},
		{"startIndex a decimal", "GET", "/Users?startIndex=1.5", "", nil, 400, "invalidValue"},
		{"count a word", "GET", "/Users?count=ten", "", nil, 400, "invalidValue"},
		{"malformed query", "GET", "/Users?filter=%zz", "", nil, 400, "invalidValue"},
		{"search wrong schemas", "POST", "/Users/.search", `{"schemas":["` + listURN + `"]}`, nil, 400, "invalidSyntax"},
		{"search unknown member", "POST", "/Users/.search", `{"schemas":["` + searchURN + `"],"fitler":"x"}`, nil, 400, "invalidSyntax"},
		{"search count a string", "POST", "/Groups/.search", `{"schemas":["` + searchURN + `"],"count":"10"}`, nil, 400, "invalidValue"},
		{"search attributes a number", "POST", "/.search", `{"schemas":["` + searchURN + `"],"attributes":5}`, nil, 400, "invalidValue"},
		{"root search filter neither has", "POST", "/.search", `{"schemas":["` + searchURN + `"],"filter":"nosuch eq 1"}`, nil, 400, "invalidFilter"},
		{"discovery filter", "GET", "/Schemas" + q("filter", `id eq "x"`), "", nil, 403, ""},
	} {
		resp := e.do(tc.method, tc.path, tc.body, tc.header...)
		scimError(t, tc.name, resp, tc.status, tc.scimType)
	}
	// Nothing of the refused writes was kept.
	if list(t, e.do("GET", "/Users?count=0", ""), 2, 1, 0); t.Failed() {
		t.Log(string(e.do("GET", "/Users", "").Body))
	}
	list(t, e.do("GET", "/Groups?count=0", ""), 1, 1, 0)
}

// TestBadPatch: invalid PATCH paths, operations and values, and writes of
// readOnly attributes.
func TestBadPatch(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	uid := id(t, e.createUser("patched"))
	gid := id(t, e.createGroup("Patched", uid))
	path := "/Users/" + uid
	for _, tc := range []struct {
		name, path, body string
		status           int
		scimType         string
	}{
		{"not a PatchOp", path, `{"schemas":["` + userURN + `"],"Operations":[]}`, 400, "invalidSyntax"},
		{"no schemas", path, `{"Operations":[{"op":"replace","path":"active","value":false}]}`, 400, "invalidSyntax"},
		{"no Operations", path, `{"schemas":["` + patchURN + `"]}`, 400, "invalidSyntax"},
		{"Operations an object", path, `{"schemas":["` + patchURN + `"],"Operations":{}}`, 400, "invalidSyntax"},
		{"unknown op", path, patchBody(`{"op":"move","path":"active","value":false}`), 400, "invalidSyntax"},
		{"no op", path, patchBody(`{"path":"active","value":false}`), 400, "invalidSyntax"},
		{"unknown path", path, patchBody(`{"op":"replace","path":"nosuch","value":"x"}`), 400, "invalidPath"},
		{"unknown sub-attribute", path, patchBody(`{"op":"replace","path":"name.nosuch","value":"x"}`), 400, "invalidPath"},
		{"malformed path", path, patchBody(`{"op":"replace","path":"emails[type eq","value":"x"}`), 400, "invalidPath"},
		{"path of a number", path, patchBody(`{"op":"replace","path":5,"value":"x"}`), 400, "invalidSyntax"},
		{"remove without path", path, patchBody(`{"op":"remove"}`), 400, "noTarget"},
		{"add without value", path, patchBody(`{"op":"add","path":"displayName"}`), 400, "invalidValue"},
		{"filter matches nothing", path, patchBody(`{"op":"replace","path":"emails[value co \"zzz\"].value","value":"h@example.com"}`), 400, "noTarget"},
		{"wrong type", path, patchBody(`{"op":"replace","path":"active","value":"maybe"}`), 400, "invalidValue"},
		{"userName a number", path, patchBody(`{"op":"replace","path":"userName","value":5}`), 400, "invalidValue"},
		{"path-less value not an object", path, patchBody(`{"op":"replace","value":"x"}`), 400, "invalidValue"},
		{"path-less unknown attribute", path, patchBody(`{"op":"replace","value":{"nosuch":"x"}}`), 400, "invalidPath"},
		{"remove userName", path, patchBody(`{"op":"remove","path":"userName"}`), 400, "mutability"},
		{"bad email", path, patchBody(`{"op":"replace","path":"emails[type eq \"work\"].value","value":"nope"}`), 400, "invalidValue"},
		{"id", path, patchBody(`{"op":"replace","path":"id","value":"7"}`), 400, "mutability"},
		{"path-less id", path, patchBody(`{"op":"replace","value":{"id":"7"}}`), 400, "mutability"},
		{"meta", path, patchBody(`{"op":"replace","path":"meta.created","value":"2001-01-01T00:00:00Z"}`), 400, "mutability"},
		{"groups", path, patchBody(`{"op":"add","path":"groups","value":[{"value":"` + gid + `"}]}`), 400, "mutability"},
		{"password", path, patchBody(`{"op":"replace","path":"password","value":"n3w-passw0rd"}`), 400, "mutability"},
		{"path-less password", path, patchBody(`{"op":"replace","value":{"password":"n3w-passw0rd"}}`), 400, "mutability"},
		{"group members of a group", "/Groups/" + gid, patchBody(`{"op":"add","path":"members","value":[{"value":"` + gid + `","type":"Group"}]}`), 400, "invalidValue"},
		{"group member that does not exist", "/Groups/" + gid, patchBody(`{"op":"add","path":"members","value":[{"value":"999999"}]}`), 400, "invalidValue"},
		{"group member not an id", "/Groups/" + gid, patchBody(`{"op":"add","path":"members","value":[{"value":"abc"}]}`), 400, "invalidValue"},
		{"group members not a list", "/Groups/" + gid, patchBody(`{"op":"add","path":"members","value":"x"}`), 400, "invalidValue"},
		{"group displayName removed", "/Groups/" + gid, patchBody(`{"op":"remove","path":"displayName"}`), 400, "mutability"},
		{"group id", "/Groups/" + gid, patchBody(`{"op":"replace","value":{"id":"1234"}}`), 400, "mutability"},
		{"group unknown path", "/Groups/" + gid, patchBody(`{"op":"replace","path":"owner","value":"x"}`), 400, "invalidPath"},
	} {
		scimError(t, tc.name, e.do("PATCH", tc.path, tc.body), tc.status, tc.scimType)
	}
	// Nothing changed.
	got := e.obj(http.StatusOK, "GET", path, "")
	if got["userName"] != "patched" || got["active"] != true || got["id"] != uid {
		t.Errorf("after refused patches: %v", got)
	}

	// POST and PUT ignore readOnly attributes (RFC 7644 §3.3, §3.5.1) and
	// the password.
	resp := want(t, e.do("PUT", path, `{"schemas":["`+userURN+`"],"id":"424242","userName":"patched","password":"s3cret-pw",
		"groups":[{"value":"`+gid+`"},{"value":"999"}],"meta":{"created":"2001-01-01T00:00:00Z","version":"W/\"77\""},"active":true}`), http.StatusOK)
	put := resp.Object(t)
	if put["id"] != uid || put["meta"].(map[string]any)["created"] == "2001-01-01T00:00:00Z" || len(put["groups"].([]any)) != 1 {
		t.Errorf("PUT applied readOnly attributes: %s", resp.Body)
	}
	if e.stored(uid).PasswordHash != "" {
		t.Error("PUT set a password")
	}
	got = e.obj(http.StatusOK, "GET", path, "")
	if got["userName"] != "patched" || got["active"] != true || got["id"] != uid {
		t.Errorf("after refused patches: %v", got)
	}
	if g := e.obj(http.StatusOK, "GET", "/Groups/"+gid, ""); g["displayName"] != "Patched" || len(memberValues(g)) != 1 {
		t.Errorf("group after refused patches: %v", g)
	}
}

// TestETags: every resource answer carries its version; If-Match guards
// PUT, PATCH and DELETE; If-None-Match answers 304.
func TestETags(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	u := e.createUser("tagged")
	uid := id(t, u)
	tag := u["meta"].(map[string]any)["version"].(string)
	gid := id(t, e.createGroup("Tagged"))
	gtag := e.do("GET", "/Groups/"+gid, "").Header.Get("ETag")

	put := `{"schemas":["` + userURN + `"],"userName":"tagged","displayName":"Tagged"}`
	for _, tc := range []struct{ name, method, path, body, ifMatch string }{
		{"PUT stale", "PUT", "/Users/" + uid, put, `W/"999"`},
		{"PUT strong stale", "PUT", "/Users/" + uid, put, `"999"`},
		{"PUT not our tag", "PUT", "/Users/" + uid, put, `"abc"`},
		{"PUT two tags", "PUT", "/Users/" + uid, put, tag + `, W/"999"`},
		{"PATCH stale", "PATCH", "/Users/" + uid, patchBody(`{"op":"replace","path":"active","value":false}`), `W/"999"`},
		{"DELETE stale", "DELETE", "/Users/" + uid, "", `W/"999"`},
		{"group PATCH stale", "PATCH", "/Groups/" + gid, patchBody(`{"op":"replace","path":"displayName","value":"X"}`), `W/"999"`},
		{"group PUT stale", "PUT", "/Groups/" + gid, `{"schemas":["` + groupURN + `"],"displayName":"X"}`, `W/"999"`},
		{"group DELETE stale", "DELETE", "/Groups/" + gid, "", `W/"999"`},
	} {
		scimError(t, tc.name, e.do(tc.method, tc.path, tc.body, "If-Match", tc.ifMatch), http.StatusPreconditionFailed, "")
	}
	if cur := e.do("GET", "/Users/"+uid, ""); cur.Header.Get("ETag") != tag {
		t.Fatalf("a refused write changed the version: %s", cur.Header.Get("ETag"))
	}

	// GET with the current tag: 304.
	resp := e.do("GET", "/Users/"+uid, "", "If-None-Match", tag)
	if resp.Status != http.StatusNotModified || resp.Header.Get("ETag") != tag || len(resp.Body) != 0 {
		t.Errorf("If-None-Match: %d %q %s", resp.Status, resp.Header.Get("ETag"), resp.Body)
	}
	want(t, e.do("GET", "/Users/"+uid, "", "If-None-Match", `W/"999"`), http.StatusOK)

	// The current tag, weak or strong, or *, lets a write through, and the
	// answer has the new one.
	resp = want(t, e.do("PUT", "/Users/"+uid, put, "If-Match", tag), http.StatusOK)
	tag2 := resp.Header.Get("ETag")
	if tag2 == tag || resp.Object(t)["meta"].(map[string]any)["version"] != tag2 {
		t.Errorf("new tag %q after %q", tag2, tag)
	}
	resp = want(t, e.do("PATCH", "/Users/"+uid, patchBody(`{"op":"replace","path":"title","value":"T"}`), "If-Match", strings.TrimPrefix(tag2, "W/")),
		http.StatusOK)
	tag3 := resp.Header.Get("ETag")
	want(t, e.do("PATCH", "/Users/"+uid, patchBody(`{"op":"replace","path":"title","value":"U"}`), "If-Match", "*"), http.StatusOK)
	scimError(t, "PATCH with the previous tag", e.do("PATCH", "/Users/"+uid, patchBody(`{"op":"replace","path":"title","value":"V"}`), "If-Match", tag3),
		http.StatusPreconditionFailed, "")
	resp = want(t, e.do("PATCH", "/Groups/"+gid, patchBody(`{"op":"replace","path":"displayName","value":"Renamed"}`), "If-Match", gtag), http.StatusNoContent)
	// A member change alone is a new version of the group.
	gtag2 := resp.Header.Get("ETag")
	resp = want(t, e.do("PATCH", "/Groups/"+gid, patchBody(`{"op":"add","path":"members","value":[{"value":"`+uid+`"}]}`), "If-Match", gtag2), http.StatusNoContent)
	if resp.Header.Get("ETag") == gtag2 {
		t.Error("adding a member kept the group's version")
	}
	cur := e.do("GET", "/Users/"+uid, "").Header.Get("ETag")
	want(t, e.do("DELETE", "/Users/"+uid, "", "If-Match", cur), http.StatusNoContent)
}

// TestNeverInternalError throws malformed and hostile input at every
// endpoint and checks that none gets a 5xx other than /Me's 501.
func TestNeverInternalError(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	uid := id(t, e.createUser("victim"))
	gid := id(t, e.createGroup("Victims", uid))
	deep := strings.Repeat("(", 5000) + `userName eq "a"` + strings.Repeat(")", 5000)
	longOr := strings.TrimSuffix(strings.Repeat(`userName eq "a" or `, 2000), " or ")
	bodies := []string{"", "null", "0", `""`, "[]", "{}", `{"schemas":null}`, `{"schemas":[null]}`, `{"Operations":null}`,
		`{"schemas":["` + patchURN + `"],"Operations":[null]}`, `{"schemas":["` + patchURN + `"],"Operations":[{"op":null}]}`,
		`{"schemas":["` + patchURN + `"],"Operations":[{"op":"add","path":"emails","value":[null,1,"x",{}]}]}`,
		`{"schemas":["` + patchURN + `"],"Operations":[{"op":"add","path":"members[value eq \"1\"].display","value":"x"}]}`,
		`{"schemas":["` + patchURN + `"],"Operations":[{"op":"replace","path":"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value","value":{"x":1}}]}`,
		`{"schemas":["` + userURN + `"],"userName":{"a":1},"emails":[null],"name":null}`,
		`{"schemas":["` + groupURN + `"],"displayName":"x","members":[null,{"value":null},{"value":5},"x"]}`,
		`{"schemas":["` + searchURN + `"],"filter":` + strconv.Quote(deep) + `}`,
		`{"schemas":["` + searchURN + `"],"filter":` + strconv.Quote(longOr) + `}`,
		`{"schemas":["` + searchURN + `"],"startIndex":1e400,"count":-1e400}`,
		`{"schemas":["` + bulkURN + `"],"Operations":[null,1,{"method":"POST"},{"method":"DELETE","path":"/Users/bulkId:"}]}`,
		"{\"schemas\":[\"" + userURN + "\"],\"userName\":\"a\\u0000\"}",
	}
	paths := []string{"/Users", "/Users/" + uid, "/Users/.search", "/Groups", "/Groups/" + gid, "/Groups/.search", "/.search", "/Bulk"}
	for _, p := range paths {
		for _, m := range []string{"GET", "POST", "PUT", "PATCH", "DELETE"} {
			if m == "DELETE" {
				continue
			}
			for _, b := range bodies {
				resp := e.do(m, p, b)
				if resp.Status >= 500 {
					t.Errorf("%s %s %.80s: %d %s", m, p, b, resp.Status, resp.Body)
				}
			}
		}
	}
	for _, f := range []string{deep, longOr, `userName eq "` + "\x00" + `"`, `emails[type eq "work" and value co "@"]`,
		`members[value eq "1" and value eq "2"]`, `not (active eq true)`, `userName sw ""`, `meta.created gt "2001-01-01T00:00:00+05:00"`,
		`id eq "00` + uid + `"`, `userName eq "` + strings.Repeat("x", 10000) + `"`} {
		for _, p := range []string{"/Users", "/Groups"} {
			resp := e.do("POST", p+"/.search", `{"schemas":["`+searchURN+`"],"filter":`+strconv.Quote(f)+`}`)
			if resp.Status >= 500 {
				t.Errorf("filter %.60q on %s: %d %s", f, p, resp.Status, resp.Body)
			}
		}
	}
	for _, qs := range []string{"?startIndex=-9223372036854775808&count=9223372036854775807", "?startIndex=99999999999999999999999",
		"?count=-99999999999999999999", "?attributes=,,,", "?excludedAttributes=meta.nosuch,urn:x:y", "?sortBy=emails&sortOrder=DESCENDING"} {
		for _, p := range []string{"/Users", "/Groups"} {
			if resp := e.do("GET", p+qs, ""); resp.Status >= 500 {
				t.Errorf("GET %s%s: %d %s", p, qs, resp.Status, resp.Body)
			}
		}
	}
}
