package public_test

import (
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gatehouse/gatehouse/internal/directory"
	"github.com/gatehouse/gatehouse/internal/testserver"
)

var unauthenticated = message("A valid bearer token is required: request one from /oauth2/token with the client credentials of an API account.")

func TestAuthentication(t *testing.T) {
	t.Parallel()
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
		resp := e.Do(t, "GET", base+"/users", "", "", h...)
		expect(t, tc.name, resp, 401, unauthenticated)
		if resp.Header.Get("WWW-Authenticate") != "Bearer" {
			t.Errorf("%s: WWW-Authenticate %q", tc.name, resp.Header.Get("WWW-Authenticate"))
		}
	}
	// Authentication comes before everything else, even a body's checks.
	expect(t, "unauthenticated POST", e.Do(t, "POST", base+"/users", "", "[not json"), 401, unauthenticated)
	expect(t, "unauthenticated bad id", e.Do(t, "GET", base+"/users/abc", "", ""), 401, unauthenticated)
}

// writes lists one request of every write operation.
func writes(uid, gid int64) [][3]string {
	return [][3]string{
		{"POST", "/users", `{"username":"new","password":"correct horse","account_type":"local"}`},
		{"PUT", "/users/" + itoa(uid), `{"display_name":"x"}`},
		{"DELETE", "/users/" + itoa(uid), ""},
		{"POST", "/groups/" + itoa(gid) + "/members", `{"user_id":` + itoa(uid) + `}`},
		{"DELETE", "/groups/" + itoa(gid) + "/members/" + itoa(uid), ""},
	}
}

var reads = []string{"/users", "/users/1", "/users?username=x", "/groups", "/openapi.yaml"}

func TestPermissions(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	gid := e.group("Ops", "")
	uid := idOf(t, e.create(`{"username":"member","password":"correct horse","account_type":"local","group_memberships":[`+itoa(gid)+`]}`), "id")
	userMgmt := func(a directory.Access) directory.Permissions {
		return directory.Permissions{Configuration: directory.AccessFullAccess, UserManagement: a, SCIM: true, Quarantine: true}
	}

	// A read_only token of an account that may do everything reads, and
	// every write is refused.
	fullID, fullSecret := e.NewAccount(t, "full", userMgmt(directory.AccessFullAccess))
	readOnlyToken := e.tokenWithScope(fullID, fullSecret, "read_only")
	for _, path := range reads {
		if resp := e.as(readOnlyToken, "GET", path, ""); resp.Status != 200 && !(path == "/users/1" && resp.Status == 404) {
			t.Errorf("read_only GET %s: %d %s", path, resp.Status, resp.Body)
		}
	}
	scoped := message("This token was issued with the read_only scope and may only read.")
	for _, w := range writes(uid, gid) {
		expect(t, "read_only token "+w[0]+" "+w[1], e.as(readOnlyToken, w[0], w[1], w[2]), 403, scoped)
	}
	// The same account's full_access token may write.
	expect(t, "full_access token", e.as(e.tokenWithScope(fullID, fullSecret, "full_access"), "POST", "/groups/"+itoa(gid)+"/members",
		`{"user_id":`+itoa(uid)+`}`), 200, `{"group_id":`+itoa(gid)+`,"user_id":`+itoa(uid)+`}`)

	// An account that may only read user management.
	readerID, readerSecret := e.NewAccount(t, "reader", userMgmt(directory.AccessReadOnly))
	reader := e.Token(t, readerID, readerSecret)
	expectStatus(t, "reader GET", e.as(reader, "GET", "/users", ""), 200)
	readOnly := message("This API account may only read through the user management API.")
	for _, w := range writes(uid, gid) {
		expect(t, "reader "+w[0]+" "+w[1], e.as(reader, w[0], w[1], w[2]), 403, readOnly)
	}

	// An account without user management may do nothing here, whatever
	// else it may do.
	denied := message("This API account is not permitted to use the user management API.")
	noneID, noneSecret := e.NewAccount(t, "config only", userMgmt(directory.AccessNone))
	none := e.Token(t, noneID, noneSecret)
	for _, path := range reads {
		expect(t, "no permission GET "+path, e.as(none, "GET", path, ""), 403, denied)
	}
	for _, w := range writes(uid, gid) {
		expect(t, "no permission "+w[0]+" "+w[1], e.as(none, w[0], w[1], w[2]), 403, denied)
	}

	// Nothing was written.
	if u := e.stored(uid); u.DisplayName != "member" {
		t.Errorf("user changed: %+v", u)
	}
	if m := e.obj(200, "GET", "/users", ""); m["total"] != float64(1) {
		t.Errorf("users: %v", m)
	}
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
	t.Parallel()
	c := &clock{t: time.Now()}
	e := newEnv(t, testserver.WithClock(c.Now))
	expectStatus(t, "fresh token", e.do("GET", "/users", ""), 200)
	c.Advance(61 * time.Minute)
	expect(t, "expired token", e.do("GET", "/users", ""), 401, unauthenticated)
}

func TestRateLimit(t *testing.T) {
	t.Parallel()
	c := &clock{t: time.Now()}
	e := newEnv(t, testserver.WithRateLimit(1), testserver.WithClock(c.Now))
	first := e.do("GET", "/users", "")
	expect(t, "first request", first, 200, `{"users":[],"total":0}`)
	if first.Header.Get("X-RateLimit-Limit") == "" || first.Header.Get("X-RateLimit-Remaining") == "" {
		t.Errorf("no X-RateLimit headers: %v", first.Header)
	}
	second := e.do("GET", "/users", "")
	if second.Status != 429 || second.Header.Get("Retry-After") == "" || second.Header.Get("Retry-After") == "0" {
		t.Fatalf("second request: %d Retry-After %q %s", second.Status, second.Header.Get("Retry-After"), second.Body)
	}
	if m := second.Object(t); len(m) != 1 || !strings.HasPrefix(m["message"].(string), "Too many requests") {
		t.Errorf("429 body %s", second.Body)
	}
	c.Advance(2 * time.Second)
	expectStatus(t, "after Retry-After", e.do("GET", "/users", ""), 200)
}

func TestMethods(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	for path, allow := range map[string]string{
		"/users":              "GET,HEAD,POST",
		"/users/1":            "GET,HEAD,PUT,DELETE",
		"/groups":             "GET,HEAD",
		"/groups/1/members":   "POST",
		"/groups/1/members/2": "DELETE",
		"/openapi.yaml":       "GET,HEAD",
	} {
		opt := e.do("OPTIONS", path, "")
		if opt.Status != 200 || opt.Header.Get("Allow") != allow || len(opt.Body) != 0 {
			t.Errorf("OPTIONS %s: %d Allow %q %q", path, opt.Status, opt.Header.Get("Allow"), opt.Body)
		}
		resp := e.do("PATCH", path, `{}`)
		expect(t, "PATCH "+path, resp, 405, message("The PATCH method is not allowed for this URL."))
		if resp.Header.Get("Allow") != allow {
			t.Errorf("405 %s: Allow %q, want %q", path, resp.Header.Get("Allow"), allow)
		}
	}
	for _, path := range []string{"/", "/user", "/users/1/groups", "/groups/1", "/Users", "/scim"} {
		expect(t, "unknown path "+path, e.do("GET", path, ""), 404, message("The requested URL was not found."))
	}
	// HEAD of a list has GET's status and headers and no body.
	head := e.do("HEAD", "/users", "")
	if head.Status != 200 || len(head.Body) != 0 || head.Header.Get("Content-Type") != "application/json" {
		t.Errorf("HEAD /users: %d %q %v", head.Status, head.Body, head.Header)
	}
}

func TestContentNegotiation(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	expect(t, "Accept XML", e.do("GET", "/users", "", "Accept", "application/xml"), 406,
		message("This resource can only be returned as application/json."))
	expectStatus(t, "Accept any", e.do("GET", "/users", "", "Accept", "*/*"), 200)
	expect(t, "form body", e.Do(t, "POST", base+"/users", e.tok, "username=x", "Content-Type", "application/x-www-form-urlencoded"), 415,
		message("The request body must be sent as application/json."))
	expectStatus(t, "no Content-Type", e.Do(t, "POST", base+"/users", e.tok,
		`{"username":"x","password":"correct horse","account_type":"local"}`), 201)

	doc := e.do("GET", "/openapi.yaml", "")
	if doc.Status != 200 || doc.Header.Get("Content-Type") != "application/yaml" || !strings.HasPrefix(string(doc.Body), "openapi: 3") {
		t.Errorf("openapi.yaml: %d %q", doc.Status, doc.Header.Get("Content-Type"))
	}
	expect(t, "openapi.yaml as JSON", e.do("GET", "/openapi.yaml", "", "Accept", "application/json"), 406,
		message("This resource can only be returned as application/yaml or application/x-yaml or text/yaml."))
	expect(t, "openapi.yaml without a token", e.Do(t, "GET", base+"/openapi.yaml", "", ""), 401, unauthenticated)
}
