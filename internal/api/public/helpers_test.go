package public_test

import (
	"context"
	"encoding/json"
	"net/url"
	"reflect"
	"regexp"
	"strconv"
	"testing"

	"github.com/gatehouse/gatehouse/internal/directory"
	"github.com/gatehouse/gatehouse/internal/testserver"
)

const base = "/api/public/v3"

// cli is the context of fixtures arranged as the command line would.
var cli = directory.WithActor(context.Background(), directory.Actor{Kind: directory.ActorCLI})

// env is a test server and the bootstrap account's token.
type env struct {
	*testserver.Server
	t   *testing.T
	tok string
}

func newEnv(t *testing.T, opts ...testserver.Option) *env {
	t.Helper()
	s := testserver.New(t, opts...)
	return &env{Server: s, t: t, tok: s.AdminToken(t)}
}

// do sends a request under /api/public/v3 as the bootstrap account, with a
// JSON Content-Type when there is a body.
func (e *env) do(method, path, body string, header ...string) *testserver.Response {
	e.t.Helper()
	return e.as(e.tok, method, path, body, header...)
}

// as is do with another token.
func (e *env) as(tok, method, path, body string, header ...string) *testserver.Response {
	e.t.Helper()
	if body != "" {
		header = append([]string{"Content-Type", "application/json"}, header...)
	}
	return e.Do(e.t, method, base+path, tok, body, header...)
}

// obj sends a request, fails the test unless it gets status, and returns
// the body as an object.
func (e *env) obj(status int, method, path, body string, header ...string) map[string]any {
	e.t.Helper()
	resp := e.do(method, path, body, header...)
	if resp.Status != status {
		e.t.Fatalf("%s %s: %d %s, want %d", method, path, resp.Status, resp.Body, status)
	}
	return resp.Object(e.t)
}

// create adds a user through the face and returns it.
func (e *env) create(body string) map[string]any {
	e.t.Helper()
	return e.obj(201, "POST", "/users", body)
}

// local adds a local user named username.
func (e *env) local(username string) map[string]any {
	e.t.Helper()
	return e.create(`{"username":"` + username + `","password":"correct horse","account_type":"local"}`)
}

// group adds a group directly through the directory.
func (e *env) group(name, description string) int64 {
	e.t.Helper()
	g, err := e.Service().CreateGroup(cli, directory.NewGroup{GroupChange: directory.GroupChange{Name: directory.To(name), Description: directory.To(description)}})
	if err != nil {
		e.t.Fatalf("create group %s: %v", name, err)
	}
	return g.ID
}

// stored reads a user straight from the directory.
func (e *env) stored(id int64) directory.User {
	e.t.Helper()
	u, err := e.Service().User(context.Background(), id)
	if err != nil {
		e.t.Fatalf("user %d: %v", id, err)
	}
	return u
}

// passwordIs reports whether the user's password is pw.
func (e *env) passwordIs(id int64, pw string) bool {
	e.t.Helper()
	ok, err := e.Service().CheckPassword(context.Background(), e.stored(id), pw)
	if err != nil {
		e.t.Fatal(err)
	}
	return ok
}

// tokenWithScope asks /oauth2/token for a token of the given scope.
func (e *env) tokenWithScope(clientID, secret, scope string) string {
	e.t.Helper()
	form := url.Values{"grant_type": {"client_credentials"}, "client_id": {clientID}, "client_secret": {secret}, "scope": {scope}}
	resp := e.Do(e.t, "POST", "/oauth2/token", "", form.Encode(), "Content-Type", "application/x-www-form-urlencoded")
	if resp.Status != 200 {
		e.t.Fatalf("token: %d %s", resp.Status, resp.Body)
	}
	return resp.Object(e.t)["access_token"].(string)
}

// idOf returns an object's numeric field as an int64.
func idOf(t *testing.T, m map[string]any, key string) int64 {
	t.Helper()
	f, ok := m[key].(float64)
	if !ok {
		t.Fatalf("%s is not a number in %v", key, m)
	}
	return int64(f)
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// expect checks a response's status and that its body is the JSON want
// (compared as values, so key order and spacing do not matter), or empty
// when want is "".
func expect(t *testing.T, what string, resp *testserver.Response, status int, want string) {
	t.Helper()
	if resp.Status != status {
		t.Errorf("%s: status %d %s, want %d %s", what, resp.Status, resp.Body, status, want)
		return
	}
	if want == "" {
		if len(resp.Body) != 0 {
			t.Errorf("%s: body %q, want none", what, resp.Body)
		}
		return
	}
	if ct := resp.Header.Get("Content-Type"); ct != "application/json" {
		t.Errorf("%s: Content-Type %q", what, ct)
	}
	sameJSON(t, what, resp.Body, want)
}

func sameJSON(t *testing.T, what string, got []byte, want string) {
	t.Helper()
	var g, w any
	if err := json.Unmarshal(got, &g); err != nil {
		t.Errorf("%s: body is not JSON: %q", what, got)
		return
	}
	if err := json.Unmarshal([]byte(want), &w); err != nil {
		t.Fatalf("%s: bad expectation %q: %v", what, want, err)
	}
	if !reflect.DeepEqual(g, w) {
		t.Errorf("%s:\n got  %s\n want %s", what, got, want)
	}
}

// message is a {"message"} body.
func message(msg string) string {
	b, _ := json.Marshal(map[string]string{"message": msg})
	return string(b)
}

// invalid is a 422 body naming fields, each with its messages (as they
// follow "The <field> ").
func invalid(fields map[string][]string) string {
	return bag("The given data was invalid.", fields)
}

// badQuery is a 400 body naming query parameters.
func badQuery(fields map[string][]string) string {
	return bag("The query string is invalid.", fields)
}

func bag(msg string, fields map[string][]string) string {
	errs := map[string][]string{}
	for name, msgs := range fields {
		for _, m := range msgs {
			errs[name] = append(errs[name], "The "+name+" "+m+".")
		}
	}
	b, _ := json.Marshal(map[string]any{"message": msg, "errors": errs})
	return string(b)
}

var dateTime = regexp.MustCompile(`^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00$`)

// withoutCreatedAt checks that created_at is an RFC 3339 UTC date-time and
// blanks it, so that a body can be compared exactly.
func withoutCreatedAt(t *testing.T, body []byte) []byte {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(body, &m); err != nil {
		t.Fatalf("body is not an object: %q", body)
	}
	s, _ := m["created_at"].(string)
	if !dateTime.MatchString(s) {
		t.Errorf("created_at = %q, want a +00:00 date-time", s)
	}
	m["created_at"] = "-"
	out, _ := json.Marshal(m)
	return out
}

// etag checks that a response carries the ETag of version.
func etag(t *testing.T, what string, resp *testserver.Response, version int64) {
	t.Helper()
	if got, want := resp.Header.Get("ETag"), `"`+itoa(version)+`"`; got != want {
		t.Errorf("%s: ETag %q, want %q", what, got, want)
	}
}

// marshal writes v as JSON.
func marshal(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return string(b)
}

// expectStatus fails the test now unless resp has status.
func expectStatus(t *testing.T, what string, resp *testserver.Response, status int) {
	t.Helper()
	if resp.Status != status {
		t.Fatalf("%s: %d %s, want %d", what, resp.Status, resp.Body, status)
	}
}
