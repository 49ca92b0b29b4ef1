package pra_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/gatehouse/gatehouse/internal/directory"
)

// defaultUserPerms is every perm_* and *_jump_item_role_id field of a user
// that belongs to no policy.
const defaultUserPerms = `"perm_admin":false,"perm_set_passwords":false,"perm_admin_pushagents":false,
	"perm_view_support_reports":"not_allowed","perm_view_vault_reports":"not_allowed","perm_view_syslog_reports":false,
	"perm_view_sd_recordings":false,"perm_edit_jump_groups":false,"perm_edit_sd_teams":false,"perm_edit_canned_scripts":false,
	"perm_edit_custom_rep_links":false,"perm_vault":false,"perm_endpoint_automation":"not_allowed",
	"perm_access_allowed":"not_allowed","perm_share_other_team":false,"perm_invite_external_user":false,
	"perm_session_idle_timeout":-1,"perm_extended_availability_mode_allowed":false,"perm_edit_external_key":false,
	"perm_collaborate":false,"perm_collaborate_control":false,"perm_jump_client":false,"perm_local_jump":false,
	"perm_remote_jump":false,"perm_remote_vnc":false,"perm_remote_rdp":false,"perm_shell_jump":false,"perm_web_jump":false,
	"perm_protocol_tunnel":false,"perm_sd_static_port_for_external_tools":false,"default_jump_item_role_id":1,
	"private_jump_item_role_id":1,"inferior_jump_item_role_id":1,"unassigned_jump_item_role_id":1`

func TestUserLifecycle(t *testing.T) {
	e := newEnv(t)
	resp := e.do("POST", "/user", `{"username":"alice","public_display_name":"Alice A","email_address":"alice@example.com",
		"password":"correct horse battery","password_expiration":"2030-01-02T03:04:05.678Z","preferred_email_language":"en-gb",
		"two_factor_required":true,"failed_logins":7}`)
	if resp.Status != 201 {
		t.Fatalf("POST /user: %d %s", resp.Status, resp.Body)
	}
	if strings.Contains(string(resp.Body), "password\"") || strings.Contains(string(resp.Body), "correct horse") {
		t.Errorf("the password leaked: %s", resp.Body)
	}
	u := resp.Object(t)
	uid := id(u)
	if got, want := resp.Header.Get("Location"), e.URL+base+"/user/"+uid; got != want {
		t.Errorf("Location %q, want %q", got, want)
	}
	want := `{"id":` + uid + `,"security_provider_id":1,"username":"alice","public_display_name":"Alice A",
		"password_expiration":"2030-01-02T03:04:05+00:00","email_address":"alice@example.com","preferred_email_language":"en-gb",
		"two_factor_required":true,"enabled":true,"last_authentication":null,"failed_logins":0,"password_reset_next_login":false,
		"created_at":"-","two_factor_enabled":false,"fido2_credential_count":0,"fido2_last_used_date":null,` + defaultUserPerms + `}`
	sameJSON(t, "created user", withoutCreatedAt(t, resp.Body), want)
	get := e.do("GET", "/user/"+uid, "")
	sameJSON(t, "read user", withoutCreatedAt(t, get.Body), want)
	if !strings.HasPrefix(string(get.Body), `{"id":`+uid+`,"security_provider_id":1,"username":"alice","public_display_name":"Alice A","password_expiration":`) {
		t.Errorf("fields are not in the schema's order: %s", get.Body)
	}

	// A client sends back the whole object it read: read-only fields are
	// ignored, writable ones applied.
	var whole map[string]any
	_ = json.Unmarshal(get.Body, &whole)
	whole["id"], whole["created_at"], whole["perm_admin"], whole["security_provider_id"] = 999, "2001-01-01T00:00:00Z", true, 5
	whole["last_authentication"], whole["perm_remote_rdp"], whole["perm_access_allowed"] = "2020-01-01T00:00:00Z", true, "full_support"
	whole["public_display_name"], whole["password_expiration"], whole["enabled"] = "Alice B", nil, false
	body, _ := json.Marshal(whole)
	patched := e.obj(200, "PATCH", "/user/"+uid, string(body))
	if id(patched) != uid || patched["perm_admin"] != false || patched["perm_remote_rdp"] != false || patched["security_provider_id"] != 1.0 ||
		patched["created_at"] != u["created_at"] || patched["last_authentication"] != nil {
		t.Errorf("read-only fields changed: %v", patched)
	}
	if patched["public_display_name"] != "Alice B" || patched["password_expiration"] != nil || patched["enabled"] != false {
		t.Errorf("writable fields not applied: %v", patched)
	}
	if got := e.obj(200, "PATCH", "/user/"+uid, ""); got["public_display_name"] != "Alice B" {
		t.Errorf("PATCH without a body changed the user: %v", got)
	}
	if got := e.obj(200, "PATCH", "/user/"+uid, `{"failed_logins":0,"password":"another secret"}`); got["failed_logins"] != 0.0 {
		t.Errorf("failed_logins = %v", got["failed_logins"])
	}

	expect(t, "DELETE", e.do("DELETE", "/user/"+uid, ""), 204, "")
	expect(t, "GET deleted", e.do("GET", "/user/"+uid, ""), 404, message("User not found."))
	expect(t, "DELETE deleted", e.do("DELETE", "/user/"+uid, ""), 404, message("User not found."))
	expect(t, "PATCH deleted", e.do("PATCH", "/user/"+uid, `{"enabled":true}`), 404, message("User not found."))
}

func TestUserDefaults(t *testing.T) {
	e := newEnv(t)
	u := e.obj(201, "POST", "/user", `{"username":"bob","public_display_name":"Bob"}`)
	if u["password_expiration"] != nil || u["email_address"] != "" || u["preferred_email_language"] != "en-us" || u["enabled"] != true ||
		u["two_factor_required"] != false {
		t.Errorf("defaults: %v", u)
	}
}

func TestUserSurvivesRestart(t *testing.T) {
	e := newEnv(t)
	u := e.obj(201, "POST", "/user", `{"username":"durable","public_display_name":"D","password_expiration":"2031-05-06T07:08:09+00:00"}`)
	before := e.do("GET", "/user/"+id(u), "").Body
	e.Restart(t)
	e.tok = e.AdminToken(t)
	after := e.do("GET", "/user/"+id(u), "")
	if after.Status != 200 || string(after.Body) != string(before) {
		t.Errorf("after restart: %d %s\nbefore: %s", after.Status, after.Body, before)
	}
}

func TestUserValidation(t *testing.T) {
	e := newEnv(t)
	existing := e.createUser("taken")
	path := "/user/" + id(existing)
	for _, tc := range []struct {
		name, method, path, body string
		status                   int
		want                     string
	}{
		{"malformed JSON", "POST", "/user", `{"username":`, 422, `{"message":"The request body is not valid JSON.","errors":{}}`},
		{"not an object", "POST", "/user", `["username"]`, 422, `{"message":"The request body must be a JSON object.","errors":{}}`},
		{"duplicate field", "POST", "/user", `{"username":"a","username":"b","public_display_name":"x"}`, 422,
			`{"message":"The request body names the field \"username\" more than once.","errors":{}}`},
		{"trailing data", "PATCH", path, `{} {}`, 422, `{"message":"The request body has data after the JSON object.","errors":{}}`},
		{"invalid UTF-8", "PATCH", path, "{\"public_display_name\":\"\xff\"}", 422, `{"message":"The request body is not valid UTF-8.","errors":{}}`},
		{"wrong types", "POST", "/user", `{"username":5,"public_display_name":true,"enabled":"yes","two_factor_required":1,"password_expiration":5}`, 422,
			`{"message":"The given data was invalid.","errors":{"username":["The username must be a string."],
			"public_display_name":["The public_display_name must be a string."],"enabled":["The enabled must be true or false."],
			"two_factor_required":["The two_factor_required must be true or false."],
			"password_expiration":["The password_expiration must be an RFC3339 date-time in UTC, ending in Z or +00:00."]}}`},
		{"type and rule errors together", "PATCH", path, `{"enabled":"no","email_address":"not an address"}`, 422,
			`{"message":"The given data was invalid.","errors":{"enabled":["The enabled must be true or false."],
			"email_address":["The email_address must be a valid email address."]}}`},
		{"string integer", "PATCH", path, `{"failed_logins":"0"}`, 422, invalid("failed_logins", "The failed_logins must be an integer.")},
		{"float integer", "PATCH", path, `{"failed_logins":0.0}`, 422, invalid("failed_logins", "The failed_logins must be an integer.")},
		{"nonzero failed_logins", "PATCH", path, `{"failed_logins":3}`, 422, invalid("failed_logins", "The failed_logins may only be set to 0.")},
		{"non-UTC date", "PATCH", path, `{"password_expiration":"2030-01-01T00:00:00+04:00"}`, 422,
			invalid("password_expiration", "The password_expiration must be an RFC3339 date-time in UTC, ending in Z or +00:00.")},
		{"date without zone", "PATCH", path, `{"password_expiration":"2030-01-01T00:00:00"}`, 422,
			invalid("password_expiration", "The password_expiration must be an RFC3339 date-time in UTC, ending in Z or +00:00.")},
		{"unknown field", "POST", "/user", `{"username":"x","public_display_name":"x","nickname":"y"}`, 401,
			message(`Unrecognized fields in the request body: "nickname".`)},
		{"unknown fields beat type errors", "PATCH", path, `{"zz":1,"enabled":"x","aa":2}`, 401,
			message(`Unrecognized fields in the request body: "aa", "zz".`)},
		{"many unknown fields", "PATCH", path, `{"a":1,"b":1,"c":1,"d":1,"e":1,"f":1,"g":1,"h":1,"i":1,"j":1,"k":1,"l":1}`, 401,
			message(`Unrecognized fields in the request body: "a", "b", "c", "d", "e", "f", "g", "h", "i", "j", and 2 more.`)},
		{"username too long", "POST", "/user", `{"username":"` + repeat("u", 65) + `","public_display_name":"x"}`, 422,
			invalid("username", "The username may not be greater than 64 characters.")},
		{"display name too long", "PATCH", path, `{"public_display_name":"` + repeat("ü", 65) + `"}`, 422,
			invalid("public_display_name", "The public_display_name may not be greater than 64 characters.")},
		{"email too long", "PATCH", path, `{"email_address":"` + repeat("a", 244) + `@example.com"}`, 422,
			invalid("email_address", "The email_address may not be greater than 255 characters.")},
		{"email invalid", "PATCH", path, `{"email_address":"not an address"}`, 422,
			invalid("email_address", "The email_address must be a valid email address.")},
		{"locale invalid", "PATCH", path, `{"preferred_email_language":"english please"}`, 422,
			invalid("preferred_email_language", "The preferred_email_language must be a locale code such as en-us.")},
		{"password too short", "PATCH", path, `{"password":"short"}`, 422, invalid("password", "The password must be at least 8 characters.")},
		{"password too long", "PATCH", path, `{"password":"` + repeat("p", 257) + `"}`, 422,
			invalid("password", "The password may not be greater than 256 characters.")},
		{"empty username", "PATCH", path, `{"username":""}`, 422, invalid("username", "The username field is required.")},
		{"missing username", "POST", "/user", `{"public_display_name":"x"}`, 422, invalid("username", "The username field is required.")},
		{"missing display name", "POST", "/user", `{"username":"new"}`, 422,
			invalid("public_display_name", "The public_display_name field is required.")},
		{"empty body", "POST", "/user", ``, 422, invalidAll(map[string][]string{"username": {"The username field is required."},
			"public_display_name": {"The public_display_name field is required."}})},
		{"duplicate username", "POST", "/user", `{"username":"taken","public_display_name":"x"}`, 422,
			invalid("username", "The username has already been taken.")},
		{"duplicate username, other case", "POST", "/user", `{"username":"TAKEN","public_display_name":"x"}`, 422,
			invalid("username", "The username has already been taken.")},
		{"provision bad ids", "POST", "/user/provision", `{"user_ids":["1"]}`, 422, invalid("user_ids", "The user_ids must be an array of integers.")},
	} {
		expect(t, tc.name, e.do(tc.method, tc.path, tc.body), tc.status, tc.want)
	}
	if got := e.obj(200, "GET", path, ""); got["username"] != "taken" || got["failed_logins"] != 0.0 || got["email_address"] != "" {
		t.Errorf("a refused write changed the user: %v", got)
	}
}

func TestUserPagination(t *testing.T) {
	e := newEnv(t)
	var ids []string
	for i := 0; i < 12; i++ {
		ids = append(ids, id(e.createUser("page"+string(rune('a'+i)))))
	}
	link := func(q, rel string) string { return "<" + e.URL + base + "/user?" + q + `>; rel="` + rel + `"` }
	for _, tc := range []struct {
		query           string
		first, count    int
		link, cur, last string
	}{
		{"per_page=5", 0, 5, link("per_page=5&current_page=1", "first") + ", " + link("per_page=5&current_page=2", "next") + ", " +
			link("per_page=5&current_page=3", "last"), "1", "3"},
		{"per_page=5&current_page=2", 5, 5, link("per_page=5&current_page=1", "first") + ", " + link("per_page=5&current_page=1", "previous") + ", " +
			link("per_page=5&current_page=3", "next") + ", " + link("per_page=5&current_page=3", "last"), "2", "3"},
		{"current_page=3&per_page=5", 10, 2, link("per_page=5&current_page=1", "first") + ", " + link("per_page=5&current_page=2", "previous") + ", " +
			link("per_page=5&current_page=3", "last"), "3", "3"},
		{"per_page=5&current_page=4", 0, 0, link("per_page=5&current_page=1", "first") + ", " + link("per_page=5&current_page=3", "previous") + ", " +
			link("per_page=5&current_page=3", "last"), "4", "3"},
		{"per_page=5&current_page=9223372036854775807", 0, 0, link("per_page=5&current_page=1", "first") + ", " +
			link("per_page=5&current_page=3", "last"), "9223372036854775807", "3"},
		{"", 0, 12, link("per_page=100&current_page=1", "first") + ", " + link("per_page=100&current_page=1", "last"), "1", "1"},
		{"security_provider_id=1&per_page=10&current_page=2", 10, 2, link("per_page=10&current_page=1&security_provider_id=1", "first") + ", " +
			link("per_page=10&current_page=1&security_provider_id=1", "previous") + ", " +
			link("per_page=10&current_page=2&security_provider_id=1", "last"), "2", "2"},
	} {
		resp := e.do("GET", "/user?"+tc.query, "")
		if resp.Status != 200 {
			t.Fatalf("%s: %d %s", tc.query, resp.Status, resp.Body)
		}
		items := resp.Array(t)
		if len(items) != tc.count || tc.count > 0 && id(items[0]) != ids[tc.first] {
			t.Errorf("%s: %d items starting %v", tc.query, len(items), items)
		}
		if got := resp.Header.Get("Link"); got != tc.link {
			t.Errorf("%s: Link\n got  %s\n want %s", tc.query, got, tc.link)
		}
		perPage := "5"
		if strings.Contains(tc.query, "per_page=10") {
			perPage = "10"
		} else if !strings.Contains(tc.query, "per_page") {
			perPage = "100"
		}
		for h, want := range map[string]string{"X-BT-Pagination-Current-Page": tc.cur, "X-BT-Pagination-Last-Page": tc.last,
			"X-BT-Pagination-Per-Page": perPage, "X-BT-Pagination-Total": "12"} {
			if got := resp.Header.Get(h); got != want {
				t.Errorf("%s: %s = %q, want %q", tc.query, h, got, want)
			}
		}
	}
	for q, want := range map[string]string{
		"per_page=4":        invalid("per_page", "The per_page must be between 5 and 100."),
		"per_page=101":      invalid("per_page", "The per_page must be between 5 and 100."),
		"per_page=5.5":      invalid("per_page", "The per_page must be an integer."),
		"current_page=0":    invalid("current_page", "The current_page must be at least 1."),
		"current_page=abc":  invalid("current_page", "The current_page must be an integer."),
		"current_page=1e99": invalid("current_page", "The current_page must be an integer."),
		"per_page=1&current_page=0&username=": `{"message":"The given data was invalid.","errors":{
			"per_page":["The per_page must be between 5 and 100."],"current_page":["The current_page must be at least 1."],
			"username":["The username must be at least 1 characters."]}}`,
	} {
		expect(t, q, e.do("GET", "/user?"+q, ""), 422, want)
	}
	// An empty list still has one (empty) page.
	resp := e.do("GET", "/user?username=nobody", "")
	expect(t, "no match", resp, 200, `[]`)
	if resp.Header.Get("X-BT-Pagination-Last-Page") != "1" || resp.Header.Get("X-BT-Pagination-Total") != "0" {
		t.Errorf("empty list headers: %v", resp.Header)
	}
}

func TestUserFilters(t *testing.T) {
	e := newEnv(t)
	alice := e.obj(201, "POST", "/user", `{"username":"Alice","public_display_name":"A","email_address":"Alice@Example.com"}`)
	e.obj(201, "POST", "/user", `{"username":"alice2","public_display_name":"A2","email_address":"alice@example.org"}`)
	e.obj(201, "POST", "/user", `{"username":"carol","public_display_name":"C","email_address":"alice@example.com.au"}`)
	names := func(q string) string {
		t.Helper()
		resp := e.do("GET", "/user?"+q, "")
		if resp.Status != 200 {
			t.Fatalf("%s: %d %s", q, resp.Status, resp.Body)
		}
		var out []string
		for _, u := range resp.Array(t) {
			out = append(out, u["username"].(string))
		}
		return strings.Join(out, ",")
	}
	for q, want := range map[string]string{
		"username=ALICE":                                    "Alice",
		"username=alice":                                    "Alice",
		"username=ali":                                      "",
		"username=%25":                                      "",
		"email_address=alice%40example.com":                 "Alice",
		"email_address=ALICE%40EXAMPLE.ORG":                 "alice2",
		"security_provider_id=1":                            "Alice,alice2,carol",
		"security_provider_id=2":                            "",
		"username=alice&email_address=alice%40example.com":  "Alice",
		"username=alice2&email_address=alice%40example.com": "",
		"username=carol&security_provider_id=1&per_page=5":  "carol",
		"email_address=" + repeat("x", 255):                 "",
		"username=" + repeat("x", 255):                      "",
	} {
		if got := names(q); got != want {
			t.Errorf("%.60s: %q, want %q", q, got, want)
		}
	}
	for q, want := range map[string]string{
		"username=":                         invalid("username", "The username must be at least 1 characters."),
		"username=" + repeat("x", 256):      invalid("username", "The username may not be greater than 255 characters."),
		"email_address=ab":                  invalid("email_address", "The email_address must be at least 3 characters."),
		"email_address=" + repeat("x", 256): invalid("email_address", "The email_address may not be greater than 255 characters."),
		"security_provider_id=0":            invalid("security_provider_id", "The security_provider_id must be an integer between 1 and 2147483647."),
		"security_provider_id=local":        invalid("security_provider_id", "The security_provider_id must be an integer between 1 and 2147483647."),
		"security_provider_id=2147483648":   invalid("security_provider_id", "The security_provider_id must be an integer between 1 and 2147483647."),
	} {
		expect(t, q[:min(len(q), 40)], e.do("GET", "/user?"+q, ""), 422, want)
	}
	_ = alice
}

func TestAdministratorsAreReadOnly(t *testing.T) {
	e := newEnv(t)
	ctx := directory.WithActor(context.Background(), directory.Actor{Kind: directory.ActorCLI})
	admin, err := e.Service().CreateUser(ctx, directory.NewUser{Admin: true,
		UserChange: directory.UserChange{Username: directory.To("root"), DisplayName: directory.To("Root")}})
	if err != nil {
		t.Fatal(err)
	}
	path := "/user/" + itoa(admin.ID)
	if got := e.obj(200, "GET", path, ""); got["perm_admin"] != true {
		t.Errorf("perm_admin = %v", got["perm_admin"])
	}
	expect(t, "PATCH admin", e.do("PATCH", path, `{"public_display_name":"Pwned"}`), 422,
		`{"message":"This API cannot update administrators.","errors":{}}`)
	expect(t, "DELETE admin", e.do("DELETE", path, ""), 422, `{"message":"This API cannot update administrators.","errors":{}}`)
	if got := e.obj(200, "GET", path, ""); got["public_display_name"] != "Root" {
		t.Errorf("admin changed: %v", got)
	}
}

// A user of another source shows no local-only fields and cannot have its
// group policies changed through this API.
func TestNonLocalUser(t *testing.T) {
	e := newEnv(t)
	u, err := e.Service().CreateUser(context.Background(), directory.NewUser{Source: directory.SourceSCIM,
		UserChange: directory.UserChange{Username: directory.To("scim.user")}})
	if err != nil {
		t.Fatal(err)
	}
	got := e.obj(200, "GET", "/user/"+itoa(u.ID), "")
	for _, f := range []string{"password_expiration", "failed_logins", "password_reset_next_login"} {
		if _, ok := got[f]; ok {
			t.Errorf("non-local user shows %s", f)
		}
	}
	g := e.obj(201, "POST", "/group-policy", `{"name":"g"}`)
	expect(t, "group-policy-changes", e.do("PATCH", "/user/"+itoa(u.ID)+"/group-policy-changes", `{"added":[`+id(g)+`]}`), 422,
		`{"message":"Only local users can be added to or removed from group policies this way.","errors":{}}`)
	expect(t, "set password", e.do("PATCH", "/user/"+itoa(u.ID), `{"password":"long enough"}`), 422,
		invalid("password", "The password may only be set for local users."))
}

func itoa(n int64) string { b, _ := json.Marshal(n); return string(b) }
