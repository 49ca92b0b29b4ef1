package server_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"reflect"
	"strconv"
	"testing"

	"github.com/gatehouse/gatehouse/internal/testserver"
)

const (
	pra, public, insight, scimBase = "/api/config/v1", "/api/public/v3", "/BeyondTrust/api/public/v3", "/scim/v2"
	scimUser                       = `{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"fresh"}`
)

// strictCase is one leniency of the lenient server: the same request
// passes there (lenient) and is refused in strict mode (status and body,
// compared as JSON values).
type strictCase struct {
	name                  string
	method, path, body    string
	header                []string
	lenient, strict       int
	strictBody            string
	pathOf                func(ids map[string]string) string // the path, when it needs a fixture's id
	noToken, insightToken bool
}

// TestStrictMode is every difference of serve --strict, through HTTP: each
// request passes on a default server and is refused, in its face's
// dialect, on a strict one.
func TestStrictMode(t *testing.T) {
	const json415 = `{"message":"The request body must be sent as application/json."}`
	const json406 = `{"message":"This resource can only be returned as application/json."}`
	form := url.Values{"grant_type": {"client_credentials"}, "client_id": {testserver.AdminClientID},
		"client_secret": {testserver.AdminSecret}}.Encode()
	tokenJSON := `{"grant_type":"client_credentials","client_id":"` + testserver.AdminClientID +
		`","client_secret":"` + testserver.AdminSecret + `"}`
	const formOnly = `{"error":"invalid_request","error_description":"The request body must be application/x-www-form-urlencoded.",` +
		`"message":"The request body must be application/x-www-form-urlencoded."}`
	cases := []strictCase{
		// PRA: "for GET and DELETE requests, you must include an Accept
		// header with the value application/json".
		{name: "PRA GET without Accept", method: "GET", path: pra + "/user", lenient: 200, strict: 406, strictBody: json406},
		{name: "PRA HEAD without Accept", method: "HEAD", path: pra + "/user", lenient: 200, strict: 406},
		{name: "PRA DELETE without Accept", method: "DELETE", pathOf: func(ids map[string]string) string { return pra + "/team/" + ids["team"] },
			lenient: 204, strict: 406, strictBody: json406},
		{name: "PRA empty Accept", method: "GET", path: pra + "/user?per_page=5", header: []string{"Accept", ""}, lenient: 200, strict: 406, strictBody: json406},
		// "... you must include a Content-Type header with a value of
		// application/json".
		{name: "PRA body without Content-Type", method: "POST", path: pra + "/team", body: `{"name":"t1"}`,
			lenient: 201, strict: 415, strictBody: json415},
		{name: "PRA body of another JSON type", method: "POST", path: pra + "/team", body: `{"name":"t2"}`,
			header: []string{"Content-Type", "application/vnd.api+json"}, lenient: 201, strict: 415, strictBody: json415},
		// Public v3 follows BeyondTrust's convention.
		{name: "public GET without Accept", method: "GET", path: public + "/users", lenient: 200, strict: 406, strictBody: json406},
		{name: "public DELETE without Accept", method: "DELETE", pathOf: func(ids map[string]string) string { return public + "/users/" + ids["user"] },
			lenient: 204, strict: 406, strictBody: json406},
		{name: "public body without Content-Type", method: "POST", path: public + "/users",
			body: `{"username":"p1","password":"correct horse","account_type":"local"}`, lenient: 201, strict: 415, strictBody: json415},
		// BeyondInsight documents application/json request bodies.
		{name: "BeyondInsight body without Content-Type", method: "POST", path: insight + "/Users", insightToken: true,
			body:    `{"UserName":"b1","FirstName":"B","EmailAddress":"b1@example.com","Password":"correct horse"}`,
			lenient: 200, strict: 415, strictBody: `"The request body must be sent as application/json."`},
		// SCIM: RFC 7644 §3.8 has clients send application/scim+json (or
		// application/json) bodies.
		{name: "SCIM body without Content-Type", method: "POST", path: scimBase + "/Users", body: scimUser, lenient: 201, strict: 415,
			strictBody: `{"schemas":["urn:ietf:params:scim:api:messages:2.0:Error"],"status":"415",` +
				`"detail":"The request body must be sent as application/scim+json or application/json."}`},
		// The token endpoint: RFC 6749 §4.4.2 specifies a form.
		{name: "token form without Content-Type", method: "POST", path: "/oauth2/token", body: form, noToken: true,
			lenient: 200, strict: 400, strictBody: formOnly},
		{name: "token as JSON", method: "POST", path: "/oauth2/token", body: tokenJSON, noToken: true,
			header: []string{"Content-Type", "application/json"}, lenient: 200, strict: 400, strictBody: formOnly},
		{name: "BeyondInsight token as JSON", method: "POST", path: insight + "/Auth/connect/token", body: tokenJSON, noToken: true,
			header: []string{"Content-Type", "application/json"}, lenient: 200, strict: 400, strictBody: formOnly},
	}
	for _, mode := range []struct {
		name string
		opts []testserver.Option
	}{{"lenient", nil}, {"strict", []testserver.Option{testserver.WithStrict()}}} {
		t.Run(mode.name, func(t *testing.T) {
			s := testserver.New(t, mode.opts...)
			ids := strictFixtures(t, s)
			biToken := insightToken(t, s)
			for _, tc := range cases {
				path := tc.path
				if tc.pathOf != nil {
					path = tc.pathOf(ids)
				}
				tok := s.AdminToken(t)
				if tc.noToken {
					tok = ""
				}
				header := tc.header
				if tc.insightToken {
					tok, header = "", append([]string{"Authorization", "Bearer " + biToken}, header...)
				}
				resp := s.Do(t, tc.method, path, tok, tc.body, header...)
				want := tc.lenient
				if mode.name == "strict" {
					want = tc.strict
				}
				if resp.Status != want {
					t.Errorf("%s: %d %s, want %d", tc.name, resp.Status, resp.Body, want)
					continue
				}
				if mode.name == "strict" && tc.strictBody != "" && !sameJSON(resp.Body, tc.strictBody) {
					t.Errorf("%s: body %s, want %s", tc.name, resp.Body, tc.strictBody)
				}
			}
		})
	}
}

// TestStrictModeKeeps checks what strict mode still accepts: the requests
// the appliance documents, any Accept that admits JSON, an Accept-less
// write (only GET and DELETE must send one), a POST with no body (and so
// no Content-Type), and SCIM
// without an Accept header, which RFC 7644 does not require.
func TestStrictModeKeeps(t *testing.T) {
	s := testserver.New(t, testserver.WithStrict())
	tok := s.AdminToken(t) // a form with its Content-Type
	ids := strictFixtures(t, s)
	for _, tc := range []struct {
		name, method, path, body string
		header                   []string
		status                   int
	}{
		{"Accept application/json", "GET", pra + "/user", "", []string{"Accept", "application/json"}, 200},
		{"Accept */*", "GET", pra + "/user", "", []string{"Accept", "*/*"}, 200},
		{"Accept with a charset", "GET", public + "/users", "", []string{"Accept", "application/json; charset=utf-8"}, 200},
		{"POST without Accept", "POST", pra + "/team", `{"name":"kept"}`, []string{"Content-Type", "application/json"}, 201},
		{"PATCH with a charset", "PATCH", pra + "/team/" + ids["team"], `{"name":"kept2"}`,
			[]string{"Content-Type", "application/json; charset=utf-8"}, 200},
		{"bodiless POST", "POST", insight + "/Users/" + ids["user"] + "/Quarantine", "", []string{"Authorization", "Bearer " + insightToken(t, s)}, 200},
		{"SCIM GET without Accept", "GET", scimBase + "/Users", "", nil, 200},
		{"SCIM scim+json body", "POST", scimBase + "/Users", scimUser, []string{"Content-Type", "application/scim+json"}, 201},
	} {
		if resp := s.Do(t, tc.method, tc.path, tok, tc.body, tc.header...); resp.Status != tc.status {
			t.Errorf("%s: %d %s, want %d", tc.name, resp.Status, resp.Body, tc.status)
		}
	}
}

// strictFixtures creates what the cases delete or quarantine, with requests
// valid in either mode, and returns their ids.
func strictFixtures(t *testing.T, s *testserver.Server) map[string]string {
	t.Helper()
	tok := s.AdminToken(t)
	ids := map[string]string{}
	for name, c := range map[string][2]string{
		"team": {pra + "/team", `{"name":"doomed"}`},
		"user": {public + "/users", `{"username":"doomed","password":"correct horse","account_type":"local"}`},
	} {
		resp := s.Do(t, "POST", c[0], tok, c[1], "Content-Type", "application/json", "Accept", "application/json")
		if resp.Status != http.StatusCreated {
			t.Fatalf("create %s: %d %s", name, resp.Status, resp.Body)
		}
		ids[name] = strconv.FormatInt(int64(resp.Object(t)["id"].(float64)), 10)
	}
	return ids
}

// insightToken is a BeyondInsight bearer token of the bootstrap account.
func insightToken(t *testing.T, s *testserver.Server) string {
	t.Helper()
	form := url.Values{"grant_type": {"client_credentials"}, "client_id": {testserver.AdminClientID},
		"client_secret": {testserver.AdminSecret}}.Encode()
	resp := s.Do(t, "POST", insight+"/Auth/connect/token", "", form, "Content-Type", "application/x-www-form-urlencoded")
	if resp.Status != http.StatusOK {
		t.Fatalf("BeyondInsight token: %d %s", resp.Status, resp.Body)
	}
	return resp.Object(t)["access_token"].(string)
}

func sameJSON(got []byte, want string) bool {
	var a, b any
	return json.Unmarshal(got, &a) == nil && json.Unmarshal([]byte(want), &b) == nil && reflect.DeepEqual(a, b)
}
