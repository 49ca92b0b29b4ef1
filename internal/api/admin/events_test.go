package admin_test

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/gatehouse/gatehouse/internal/directory"
	"github.com/gatehouse/gatehouse/internal/testserver"
)

const base = "/api/admin/v1"

// env is a test server and the bootstrap account's token (full access).
type env struct {
	*testserver.Server
	t   *testing.T
	tok string
}

func newEnv(t *testing.T) *env {
	s := testserver.New(t)
	return &env{Server: s, t: t, tok: s.AdminToken(t)}
}

// get reads a path under /api/admin/v1 as the bootstrap account.
func (e *env) get(path string) *testserver.Response {
	e.t.Helper()
	return e.Do(e.t, http.MethodGet, base+path, e.tok, "")
}

// list reads a page of events, which must answer 200.
func (e *env) list(query string) (ids []int64, body map[string]any) {
	e.t.Helper()
	resp := e.get("/events?" + query)
	if resp.Status != http.StatusOK {
		e.t.Fatalf("events?%s: %d %s", query, resp.Status, resp.Body)
	}
	body = resp.Object(e.t)
	for _, ev := range body["events"].([]any) {
		ids = append(ids, int64(ev.(map[string]any)["id"].(float64)))
	}
	return ids, body
}

// configure sends a PRA Configuration API request, which is audited.
func (e *env) configure(tok, method, path, body string) map[string]any {
	e.t.Helper()
	resp := e.Do(e.t, method, "/api/config/v1"+path, tok, body, "Content-Type", "application/json")
	if resp.Status >= 300 {
		e.t.Fatalf("%s %s: %d %s", method, path, resp.Status, resp.Body)
	}
	if len(resp.Body) == 0 {
		return nil
	}
	return resp.Object(e.t)
}

func idOf(m map[string]any) string { return strconv.FormatInt(int64(m["id"].(float64)), 10) }

// Every change made through the APIs is listed newest first, with the
// documented fields, and each filter narrows the list in the store.
func TestEventsListAndFilter(t *testing.T) {
	e := newEnv(t)
	ciID, ciSecret := e.NewAccount(t, "ci", directory.Permissions{Configuration: directory.AccessFullAccess})
	ci := e.Token(t, ciID, ciSecret)
	alice := e.configure(e.tok, "POST", "/user", `{"username":"alice","public_display_name":"Alice","password":"a secret password 1"}`)
	group := e.configure(ci, "POST", "/group-policy", `{"name":"ops"}`)
	e.configure(ci, "POST", "/group-policy/"+idOf(group)+"/member", `{"user_id":`+idOf(alice)+`,"security_provider_id":1}`)
	e.configure(e.tok, "PATCH", "/user/"+idOf(alice), `{"public_display_name":"Alice Smith"}`)

	all, body := e.list("")
	if len(all) != 6 || !slices.IsSortedFunc(all, func(a, b int64) int { return int(b - a) }) {
		t.Fatalf("events %v: want the two accounts and four changes, newest first", all)
	}
	if body["next"] != nil || body["prev"] == nil {
		t.Errorf("one short page: next %v (want null), prev %v (want a link)", body["next"], body["prev"])
	}
	newest := body["events"].([]any)[0].(map[string]any)
	var keys []string
	for k := range newest {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	if want := []string{"action", "actor", "after", "at", "before", "id", "target_id", "target_type"}; !slices.Equal(keys, want) {
		t.Errorf("event fields %v, want %v", keys, want)
	}
	if newest["action"] != "user.update" || newest["actor"] != "api_account:1 ("+e.bootstrapName(t)+")" ||
		newest["target_type"] != "user" || newest["target_id"] != alice["id"] {
		t.Errorf("newest event %v", newest)
	}
	if _, err := time.Parse(time.RFC3339Nano, newest["at"].(string)); err != nil || !strings.HasSuffix(newest["at"].(string), "Z") {
		t.Errorf("at %q is not RFC 3339 UTC", newest["at"])
	}
	if strings.Contains(string(e.get("/events").Body), "a secret password 1") {
		t.Error("the events show a password")
	}

	count := func(query string) int {
		ids, _ := e.list(query)
		return len(ids)
	}
	ciActor := "api_account:" + strconv.FormatInt(e.accountID(t, "ci"), 10)
	for _, c := range []struct {
		query string
		want  int
	}{
		{"actor=" + url.QueryEscape(ciActor), 2},
		{"actor=api_account", 4},
		{"actor=cli", 1},    // the test creating the ci account
		{"actor=system", 1}, // the bootstrap account
		{"actor=user", 0},
		{"target_type=user&target_id=" + idOf(alice), 2},
		{"target_type=group", 2},
		{"action=group.member.add", 1},
		{"action=user.", 2},
		{"action=group.", 2},
		{"action=user", 0},
		{"since=1h", len(all)},
		{"until=1h", 0},
		{"since=2000-01-01T00:00:00Z&until=2100-01-01T00:00:00%2B01:00", len(all)},
		{"actor=" + url.QueryEscape(ciActor) + "&action=group.member.", 1},
		{"before=" + strconv.FormatInt(all[0], 10), len(all) - 1},
		{"after=" + strconv.FormatInt(all[1], 10), 1},
	} {
		if got := count(c.query); got != c.want {
			t.Errorf("events?%s: %d events, want %d", c.query, got, c.want)
		}
	}
}

func (e *env) bootstrapName(t *testing.T) string {
	t.Helper()
	return e.Do(t, "GET", "/api/config/v1/api-account/1", e.tok, "").Object(t)["name"].(string)
}

func (e *env) accountID(t *testing.T, name string) int64 {
	t.Helper()
	list := e.Do(t, "GET", "/api/config/v1/api-account?name="+name, e.tok, "").Array(t)
	return int64(list[0]["id"].(float64))
}

// Following next visits every event once, newest first, keeping the
// filters; polling prev returns only what was written since.
func TestEventsPaging(t *testing.T) {
	e := newEnv(t)
	for i := range 7 {
		e.configure(e.tok, "POST", "/user", `{"username":"u`+strconv.Itoa(i)+`","public_display_name":"U"}`)
	}
	all, _ := e.list("action=user.create")
	if len(all) != 7 {
		t.Fatalf("%d user.create events, want 7", len(all))
	}
	var seen []int64
	next := base + "/events?action=user.create&limit=3"
	var prev string
	for pages := 0; next != ""; pages++ {
		if pages > 3 {
			t.Fatal("next never ends")
		}
		resp := e.Do(t, "GET", strings.TrimPrefix(next, e.URL), e.tok, "")
		body := resp.Object(t)
		for _, ev := range body["events"].([]any) {
			seen = append(seen, int64(ev.(map[string]any)["id"].(float64)))
		}
		if pages == 0 {
			prev = body["prev"].(string)
			if !strings.Contains(resp.Header.Get("Link"), `rel="next"`) && !strings.Contains(strings.Join(resp.Header.Values("Link"), ","), `rel="next"`) {
				t.Errorf("first page Link %q: no next", resp.Header.Values("Link"))
			}
		}
		next, _ = body["next"].(string)
	}
	if !slices.Equal(seen, all) {
		t.Errorf("paged %v, want %v", seen, all)
	}
	if !strings.Contains(prev, "action=user.create") || !strings.Contains(prev, "after="+strconv.FormatInt(all[0], 10)) {
		t.Errorf("prev %q: want the filter and after the newest id", prev)
	}
	// A duration ago becomes the time it meant, so that pages agree.
	_, body := e.list("since=1h&limit=1")
	u, err := url.Parse(body["next"].(string))
	if err != nil {
		t.Fatal(err)
	}
	since, err := time.Parse(time.RFC3339Nano, u.Query().Get("since"))
	if err != nil || time.Since(since) < 59*time.Minute || time.Since(since) > 61*time.Minute {
		t.Errorf("next %q: since is not the time an hour ago", body["next"])
	}
	poll := func() []int64 {
		body := e.Do(t, "GET", strings.TrimPrefix(prev, e.URL), e.tok, "").Object(t)
		var ids []int64
		for _, ev := range body["events"].([]any) {
			ids = append(ids, int64(ev.(map[string]any)["id"].(float64)))
		}
		prev = body["prev"].(string)
		return ids
	}
	if got := poll(); len(got) != 0 {
		t.Errorf("nothing written, poll got %v", got)
	}
	e.configure(e.tok, "POST", "/group-policy", `{"name":"not a user"}`)
	e.configure(e.tok, "POST", "/user", `{"username":"late","public_display_name":"Late"}`)
	if got := poll(); len(got) != 1 || got[0] <= all[0] {
		t.Errorf("after one more user, poll got %v", got)
	}
}

func TestEventByID(t *testing.T) {
	e := newEnv(t)
	all, body := e.list("limit=1")
	resp := e.get("/events/" + strconv.FormatInt(all[0], 10))
	if resp.Status != http.StatusOK || resp.Object(t)["action"] != body["events"].([]any)[0].(map[string]any)["action"] {
		t.Fatalf("event %d: %d %s", all[0], resp.Status, resp.Body)
	}
	expect(t, e.get("/events/"+strconv.FormatInt(all[0]+100, 10)), http.StatusNotFound, "Event not found.", "")
	for _, bad := range []string{"0", "-1", "x", "1.5", "99999999999999999999"} {
		expect(t, e.get("/events/"+bad), http.StatusBadRequest, "The query string is invalid.", "id")
	}
}

// expect checks a status, a message and, when field is set, that the
// error bag names it.
func expect(t *testing.T, resp *testserver.Response, status int, msg, field string) {
	t.Helper()
	if resp.Status != status {
		t.Errorf("status %d %s, want %d", resp.Status, resp.Body, status)
		return
	}
	body := resp.Object(t)
	if msg != "" && body["message"] != msg {
		t.Errorf("message %q, want %q", body["message"], msg)
	}
	if field != "" {
		errs, _ := body["errors"].(map[string]any)
		if _, ok := errs[field]; !ok {
			t.Errorf("errors %v do not name %q", body["errors"], field)
		}
	}
}

// Every bad parameter is a 400 that names it.
func TestEventsBadInput(t *testing.T) {
	e := newEnv(t)
	for _, c := range []struct{ query, field string }{
		{"since=yesterday", "since"},
		{"since=2026-11-30T21:00:00", "since"}, // no zone
		{"since=-1h", "since"},
		{"until=soon", "until"},
		{"since=2026-11-30T21:00:00Z&until=2026-11-30T20:00:00Z", "until"},
		{"actor=robot", "actor"},
		{"actor=cli:1", "actor"},
		{"actor=user:0", "actor"},
		{"actor=" + url.QueryEscape("api_account:3 (ci)"), "actor"},
		{"target_type=User", "target_type"},
		{"target_id=x", "target_id"},
		{"target_id=-1", "target_id"},
		{"action=user..create", "action"},
		{"action=" + url.QueryEscape("user.%"), "action"},
		{"after=-1", "after"},
		{"before=one", "before"},
		{"limit=0", "limit"},
		{"limit=1001", "limit"},
		{"limit=99999999999999999999", "limit"},
		{"limit=ten", "limit"},
		{"since=", "since"},
		{"limit=1&limit=2", "limit"},
		{"actor=" + strings.Repeat("a", directory.MaxFilterBytes+1), "actor"},
	} {
		resp := e.get("/events?" + c.query)
		t.Run(c.query[:min(len(c.query), 40)], func(t *testing.T) {
			expect(t, resp, http.StatusBadRequest, "The query string is invalid.", c.field)
		})
	}
	// Every problem at once.
	resp := e.get("/events?since=x&limit=0&actor=robot")
	expect(t, resp, http.StatusBadRequest, "", "since")
	expect(t, resp, http.StatusBadRequest, "", "limit")
	expect(t, resp, http.StatusBadRequest, "", "actor")

	resp = e.get("/events?actr=cli&offset=3")
	expect(t, resp, http.StatusBadRequest, `Unrecognized query string parameters: "actr", "offset". This operation takes: since, until, actor, target_type, target_id, action, after, before, limit.`, "")
	expect(t, e.get("/events?%zz"), http.StatusBadRequest, "The query string is malformed.", "")
	expect(t, e.get("/events/1?limit=1"), http.StatusBadRequest, "", "")
	expect(t, e.Do(t, "GET", base+"/events", e.tok, "", "Accept", "text/html"), http.StatusNotAcceptable, "", "")
	expect(t, e.Do(t, "POST", base+"/events", e.tok, "{}"), http.StatusMethodNotAllowed, "", "")
	expect(t, e.get("/nothing"), http.StatusNotFound, "The requested URL was not found.", "")
}

// Reading the audit log takes a token, of an account with full
// Configuration access, of the full_access scope.
func TestEventsNeedFullConfigurationAccess(t *testing.T) {
	e := newEnv(t)
	for _, tok := range []string{"", "not-a-token"} {
		resp := e.Do(t, "GET", base+"/events", tok, "")
		expect(t, resp, http.StatusUnauthorized, "", "")
		if resp.Header.Get("WWW-Authenticate") != "Bearer" {
			t.Errorf("token %q: WWW-Authenticate %q", tok, resp.Header.Get("WWW-Authenticate"))
		}
	}
	for name, perms := range map[string]directory.Permissions{
		"reader":   {Configuration: directory.AccessReadOnly, UserManagement: directory.AccessFullAccess},
		"users":    {Configuration: directory.AccessNone, UserManagement: directory.AccessFullAccess, SCIM: true, Quarantine: true},
		"scimonly": {SCIM: true},
	} {
		id, secret := e.NewAccount(t, name, perms)
		for _, path := range []string{"/events", "/events/1", "/openapi.yaml"} {
			expect(t, e.Do(t, "GET", base+path, e.Token(t, id, secret), ""), http.StatusForbidden, "", "")
		}
	}
	form := url.Values{"grant_type": {"client_credentials"}, "client_id": {testserver.AdminClientID},
		"client_secret": {testserver.AdminSecret}, "scope": {"read_only"}}.Encode()
	resp := e.Do(t, "POST", "/oauth2/token", "", form, "Content-Type", "application/x-www-form-urlencoded")
	readOnly, _ := resp.Object(t)["access_token"].(string)
	if readOnly == "" {
		t.Fatalf("read_only token: %d %s", resp.Status, resp.Body)
	}
	expect(t, e.Do(t, "GET", base+"/events", readOnly, ""), http.StatusForbidden, "", "")

	full, secret := e.NewAccount(t, "auditor", directory.Permissions{Configuration: directory.AccessFullAccess})
	if resp := e.Do(t, "GET", base+"/events", e.Token(t, full, secret), ""); resp.Status != http.StatusOK {
		t.Errorf("full Configuration access: %d %s", resp.Status, resp.Body)
	}
	resp = e.Do(t, "GET", base+"/openapi.yaml", e.tok, "")
	if resp.Status != http.StatusOK || !strings.HasPrefix(string(resp.Body), "openapi: 3") {
		t.Errorf("openapi.yaml: %d", resp.Status)
	}
}
