package pra_test

import (
	"bytes"
	"context"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gatehouse/gatehouse/internal/directory"
	"github.com/gatehouse/gatehouse/internal/testserver"
)

const unauthenticated = `{"error":"access_denied","message":"The resource owner or authorization server denied the request."}`

func TestAuthentication(t *testing.T) {
	e := newEnv(t)
	for _, tc := range []struct{ name, auth string }{
		{"no token", ""},
		{"garbage token", "Bearer garbage"},
		{"wrong scheme", "Basic " + e.tok},
		{"tampered token", "Bearer " + e.tok[:len(e.tok)-2] + "xx"},
	} {
		var h []string
		if tc.auth != "" {
			h = []string{"Authorization", tc.auth}
		}
		resp := e.Do(t, "GET", base+"/user", "", "", h...)
		expect(t, tc.name, resp, 401, unauthenticated)
		if resp.Header.Get("WWW-Authenticate") != "Bearer" {
			t.Errorf("%s: WWW-Authenticate %q", tc.name, resp.Header.Get("WWW-Authenticate"))
		}
	}
	// Authentication comes before everything else, even a body's checks.
	expect(t, "unauthenticated POST", e.Do(t, "POST", base+"/user", "", "[not json"), 401, unauthenticated)
}

// clock is a settable time source for WithClock.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

func TestExpiredToken(t *testing.T) {
	c := &clock{t: time.Now()}
	e := newEnv(t, testserver.WithClock(c.Now))
	expect(t, "fresh token", e.do("GET", "/user", ""), 200, `[]`)
	c.Advance(61 * time.Minute)
	expect(t, "expired token", e.do("GET", "/user", ""), 401, unauthenticated)
}

func TestPermissions(t *testing.T) {
	e := newEnv(t)
	token := func(name string, p directory.Permissions) string {
		clientID, secret := e.NewAccount(t, name, p)
		return e.Token(t, clientID, secret)
	}
	reader := token("reader", directory.Permissions{Configuration: directory.AccessReadOnly, UserManagement: directory.AccessNone})
	scimOnly := token("scim", directory.Permissions{Configuration: directory.AccessNone, UserManagement: directory.AccessFullAccess, SCIM: true})

	expect(t, "reader GET", e.Do(t, "GET", base+"/user", reader, ""), 200, `[]`)
	expect(t, "reader HEAD", e.Do(t, "HEAD", base+"/user", reader, ""), 200, "")
	readOnly := message("This API account may only read through the Configuration API.")
	expect(t, "reader POST", e.Do(t, "POST", base+"/user", reader, `{"username":"x","public_display_name":"x"}`), 403, readOnly)
	expect(t, "reader PATCH", e.Do(t, "PATCH", base+"/group-policy/1", reader, `{}`), 403, readOnly)
	expect(t, "reader DELETE", e.Do(t, "DELETE", base+"/user/1", reader, ""), 403, readOnly)

	denied := message("This API account is not permitted to use the Configuration API.")
	expect(t, "no permission GET", e.Do(t, "GET", base+"/user", scimOnly, ""), 403, denied)
	expect(t, "no permission POST", e.Do(t, "POST", base+"/team", scimOnly, `{"name":"x"}`), 403, denied)
	expect(t, "no permission openapi.yaml", e.Do(t, "GET", base+"/openapi.yaml", scimOnly, ""), 403, denied)
}

func TestRateLimit(t *testing.T) {
	c := &clock{t: time.Now()}
	e := newEnv(t, testserver.WithRateLimit(1), testserver.WithClock(c.Now))
	first := e.do("GET", "/user", "")
	expect(t, "first request", first, 200, `[]`)
	if first.Header.Get("X-RateLimit-Limit") == "" || first.Header.Get("X-RateLimit-Remaining") == "" {
		t.Errorf("no X-RateLimit headers: %v", first.Header)
	}
	second := e.do("GET", "/user", "")
	if second.Status != 429 || second.Header.Get("Retry-After") == "" || second.Header.Get("Retry-After") == "0" {
		t.Fatalf("second request: %d Retry-After %q %s", second.Status, second.Header.Get("Retry-After"), second.Body)
	}
	if m := second.Object(t); len(m) != 1 || m["message"] == "" {
		t.Errorf("429 body %s", second.Body)
	}
	c.Advance(2 * time.Second)
	expect(t, "after Retry-After", e.do("GET", "/user", ""), 200, `[]`)
}

func TestMethods(t *testing.T) {
	e := newEnv(t)
	for path, allow := range map[string]string{
		"/user":                        "GET,HEAD,POST",
		"/user/1":                      "GET,HEAD,PATCH,DELETE",
		"/user/provision":              "POST",
		"/user/1/group-policies":       "GET,HEAD",
		"/user/1/group-policy-changes": "PATCH",
		"/group-policy":                "GET,HEAD,POST",
		"/group-policy/1":              "GET,HEAD,PATCH,DELETE",
		"/group-policy/1/copy":         "POST",
		"/group-policy/1/provision":    "POST",
		"/group-policy/1/member":       "GET,HEAD,POST",
		"/group-policy/1/member/2":     "GET,HEAD,DELETE",
		"/team":                        "GET,HEAD,POST",
		"/team/1":                      "GET,HEAD,PATCH,DELETE",
		"/team/1/user":                 "GET,HEAD,POST",
		"/team/1/user/2":               "GET,HEAD,PATCH,DELETE",
		"/security-provider":           "GET,HEAD",
		"/security-provider/1":         "GET,HEAD",
		"/api-account":                 "GET,HEAD",
		"/api-account/1":               "GET,HEAD",
		"/openapi.yaml":                "GET,HEAD",
	} {
		// OPTIONS needs no token, as a CORS preflight would send none.
		resp := e.Do(t, "OPTIONS", base+path, "", "")
		if resp.Status != 200 || resp.Header.Get("Allow") != allow || len(resp.Body) != 0 {
			t.Errorf("OPTIONS %s: %d Allow %q body %q, want Allow %q", path, resp.Status, resp.Header.Get("Allow"), resp.Body, allow)
		}
		for _, m := range []string{"GET", "POST", "PUT", "PATCH", "DELETE"} {
			if strings.Contains(","+allow+",", ","+m+",") {
				continue
			}
			resp := e.do(m, path, "")
			expect(t, m+" "+path, resp, 405, message("The "+m+" method is not allowed for this URL."))
			if resp.Header.Get("Allow") != allow {
				t.Errorf("%s %s: Allow %q, want %q", m, path, resp.Header.Get("Allow"), allow)
			}
		}
	}
}

func TestHeadMatchesGet(t *testing.T) {
	e := newEnv(t)
	for i := 0; i < 7; i++ {
		e.createUser("user" + string(rune('a'+i)))
	}
	for _, path := range []string{"/user?per_page=5&current_page=2", "/user/1", "/security-provider"} {
		get, head := e.do("GET", path, ""), e.do("HEAD", path, "")
		if get.Status != 200 || head.Status != 200 || len(head.Body) != 0 {
			t.Fatalf("%s: GET %d, HEAD %d with %d body bytes", path, get.Status, head.Status, len(head.Body))
		}
		for _, h := range []string{"Content-Type", "Content-Length", "Link", "X-Bt-Pagination-Current-Page",
			"X-Bt-Pagination-Last-Page", "X-Bt-Pagination-Per-Page", "X-Bt-Pagination-Total"} {
			if get.Header.Get(h) != head.Header.Get(h) {
				t.Errorf("%s: %s is %q on GET, %q on HEAD", path, h, get.Header.Get(h), head.Header.Get(h))
			}
		}
	}
	if e.do("HEAD", "/user?per_page=5", "").Header.Get("Link") == "" {
		t.Error("HEAD of a list has no Link header")
	}
	expect(t, "HEAD of a missing user", e.do("HEAD", "/user/999", ""), 404, "")
}

func TestPaths(t *testing.T) {
	e := newEnv(t)
	notFound := message("The requested URL was not found.")
	for _, p := range []string{"/nope", "/user/1/nope", "/users", "/user/", "/group-policy/1/member/", "/"} {
		expect(t, "GET "+p, e.do("GET", p, ""), 404, notFound)
	}
	badID := func(name string) string {
		return invalid(name, "The "+name+" must be an integer between 1 and 2147483647.")
	}
	for _, raw := range []string{"abc", "0", "-1", "2147483648", "99999999999999999999", "1e3", "%201", "1.0", "0x1", "+1"} {
		expect(t, "GET /user/"+raw, e.do("GET", "/user/"+raw, ""), 422, badID("id"))
		expect(t, "DELETE /team/"+raw, e.do("DELETE", "/team/"+raw, ""), 422, badID("id"))
		expect(t, "GET /group-policy/1/member/"+raw, e.do("GET", "/group-policy/1/member/"+raw, ""), 422, badID("member_id"))
		expect(t, "GET /team/1/user/"+raw, e.do("GET", "/team/1/user/"+raw, ""), 422, badID("user_id"))
	}
	expect(t, "two bad ids", e.do("GET", "/team/x/user/y", ""), 422,
		`{"message":"The given data was invalid.","errors":{"id":["The id must be an integer between 1 and 2147483647."],"user_id":["The user_id must be an integer between 1 and 2147483647."]}}`)
	expect(t, "largest id", e.do("GET", "/user/2147483647", ""), 404, message("User not found."))
}

func TestQueryParameters(t *testing.T) {
	e := newEnv(t)
	expect(t, "unknown parameter", e.do("GET", "/user?usrname=x", ""), 401,
		message(`Unrecognized query string parameters: "usrname".`))
	expect(t, "unknown parameters", e.do("GET", "/team?b=1&a=2&name=x", ""), 401,
		message(`Unrecognized query string parameters: "a", "b".`))
	expect(t, "parameter on a single resource", e.do("GET", "/user/1?per_page=5", ""), 401,
		message(`Unrecognized query string parameters: "per_page".`))
	expect(t, "parameter on a POST", e.do("POST", "/team?x=1", `{"name":"t"}`), 401,
		message(`Unrecognized query string parameters: "x".`))
	expect(t, "malformed query", e.do("GET", "/user?username=%zz", ""), 422,
		`{"message":"The query string is malformed.","errors":{}}`)
}

func TestContentNegotiation(t *testing.T) {
	e := newEnv(t)
	expect(t, "Accept JSON", e.do("GET", "/user", "", "Accept", "application/json"), 200, `[]`)
	expect(t, "Accept anything", e.do("GET", "/user", "", "Accept", "*/*"), 200, `[]`)
	expect(t, "Accept HTML", e.do("GET", "/user", "", "Accept", "text/html"), 406,
		message("This resource can only be returned as application/json."))

	// No Content-Type is JSON (as the Terraform provider sends bodies).
	resp := e.Do(t, "POST", base+"/team", e.tok, `{"name":"no type"}`)
	if resp.Status != 201 {
		t.Errorf("POST without Content-Type: %d %s", resp.Status, resp.Body)
	}
	resp = e.Do(t, "POST", base+"/team", e.tok, `{"name":"charset"}`, "Content-Type", "application/json; charset=utf-8")
	if resp.Status != 201 {
		t.Errorf("POST with charset: %d %s", resp.Status, resp.Body)
	}
	expect(t, "text body", e.Do(t, "POST", base+"/team", e.tok, `{"name":"t"}`, "Content-Type", "text/plain"), 415,
		message("The request body must be sent as application/json."))
	expect(t, "form body", e.Do(t, "PATCH", base+"/user/1", e.tok, `name=t`, "Content-Type", "application/x-www-form-urlencoded"), 415,
		message("The request body must be sent as application/json."))
	huge := `{"name":"` + repeat("x", 1<<20) + `"}`
	expect(t, "oversized body", e.do("POST", "/team", huge), 413, message("The request body is too large."))
}

func TestOpenAPIDocument(t *testing.T) {
	e := newEnv(t)
	for _, accept := range []string{"", "application/yaml", "*/*", "text/yaml"} {
		var h []string
		if accept != "" {
			h = []string{"Accept", accept}
		}
		resp := e.do("GET", "/openapi.yaml", "", h...)
		if resp.Status != 200 || resp.Header.Get("Content-Type") != "application/yaml" || !strings.HasPrefix(string(resp.Body), "openapi:") {
			t.Errorf("Accept %q: %d %q %.40q", accept, resp.Status, resp.Header.Get("Content-Type"), resp.Body)
		}
	}
	expect(t, "Accept JSON", e.do("GET", "/openapi.yaml", "", "Accept", "application/json"), 406,
		message("This resource can only be returned as application/yaml or application/x-yaml or text/yaml."))
	expect(t, "no token", e.Do(t, "GET", base+"/openapi.yaml", "", ""), 401, unauthenticated)
}

func TestMechList(t *testing.T) {
	e := newEnv(t)
	resp := e.Do(t, "GET", "/get_mech_list?version=3", "", "")
	expect(t, "get_mech_list", resp, 200, `{"mechs":["local"],"default_mech":"local","company":"gatehouse","product":"bpam","version":"3"}`)
	expect(t, "POST get_mech_list", e.Do(t, "POST", "/get_mech_list", "", ""), 405, message("The POST method is not allowed for this URL."))
}

// Every response of this face is JSON or empty, and none is a 500,
// whatever a client sends.
func TestNoInternalErrors(t *testing.T) {
	e := newEnv(t)
	u := e.createUser("target")
	g := e.obj(201, "POST", "/group-policy", `{"name":"g"}`)
	tm := e.obj(201, "POST", "/team", `{"name":"t"}`)
	paths := []string{"/user", "/user/" + id(u), "/user/provision", "/user/" + id(u) + "/group-policies",
		"/user/" + id(u) + "/group-policy-changes", "/group-policy", "/group-policy/" + id(g), "/group-policy/" + id(g) + "/copy",
		"/group-policy/" + id(g) + "/provision", "/group-policy/" + id(g) + "/member", "/group-policy/" + id(g) + "/member/1",
		"/team", "/team/" + id(tm), "/team/" + id(tm) + "/user", "/team/" + id(tm) + "/user/" + id(u),
		"/security-provider", "/security-provider/1", "/api-account", "/api-account/1", "/openapi.yaml"}
	bodies := []string{"", "{", "[]", "null", "42", `"s"`, "{}", `{"id":1}`, `{"name":null}`, `{"name":""}`, `{"name":"` + repeat("é", 300) + `"}`,
		`{"username":"\u0000"}`, `{"user_id":-1}`, `{"user_id":1e400}`, `{"added":[1,2,3],"removed":[0]}`, `{"added":null}`,
		`{"user_ids":[99999]}`, `{"role":"boss"}`, `{"team_id":2147483647}`, `{"security_provider_id":1,"user_id":1}`,
		`{"security_provider_id":2147483647,"distinguished_name":"cn=x"}`, `{"perm_session_idle_timeout":-2}`,
		`{"password_expiration":"2030-02-30T00:00:00Z"}`, `{"failed_logins":1}`, `{"comments":[]}`, `{"a":{"b":{"c":{"d":{"e":{"f":{"g":{"h":1}}}}}}}}`}
	for _, p := range paths {
		for _, m := range []string{"GET", "POST", "PATCH", "DELETE", "PUT"} {
			for _, b := range bodies {
				for _, q := range []string{"", "?per_page=0", "?current_page=-1&per_page=x"} {
					resp := e.do(m, p+q, b)
					if resp.Status >= 500 {
						t.Fatalf("%s %s%s %s: %d %s", m, p, q, b, resp.Status, resp.Body)
					}
					if len(resp.Body) > 0 && resp.Header.Get("Content-Type") != "application/json" && p != "/openapi.yaml" {
						t.Fatalf("%s %s %s: Content-Type %q", m, p, b, resp.Header.Get("Content-Type"))
					}
				}
			}
		}
	}
}

// Writes are audited under the API account, and the access log names it
// without ever showing the token or the body.
func TestAuditAndAccessLog(t *testing.T) {
	var logs syncBuffer
	e := newEnv(t, testserver.WithLogger(slog.New(slog.NewJSONHandler(&logs, nil))))
	u := e.obj(201, "POST", "/user", `{"username":"audited","public_display_name":"A","password":"s3cret-passw0rd"}`)
	page, err := e.Service().Events(context.Background(), directory.Query{Filter: directory.And{
		directory.Eq(directory.EventTargetType, "user"), directory.Eq(directory.EventAction, "user.create")}, Limit: 10})
	if err != nil || len(page.Items) != 1 {
		t.Fatalf("events: %v %v", page, err)
	}
	if ev := page.Items[0]; !strings.HasPrefix(ev.Actor, "api_account:") || !strings.HasSuffix(ev.Actor, "(bootstrap:test-admin)") || id(u) != itoa(ev.TargetID) {
		t.Errorf("event %+v", ev)
	}
	out := logs.String()
	if !strings.Contains(out, `"path":"/api/config/v1/user"`) || !strings.Contains(out, `"principal":"api_account:`) {
		t.Errorf("access log lacks the request or its principal:\n%s", out)
	}
	for _, secret := range []string{e.tok, "s3cret-passw0rd"} {
		if strings.Contains(out, secret) {
			t.Errorf("the log contains a secret:\n%s", out)
		}
	}
}

// syncBuffer is a bytes.Buffer safe for the server's goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}
func (s *syncBuffer) String() string { s.mu.Lock(); defer s.mu.Unlock(); return s.b.String() }
