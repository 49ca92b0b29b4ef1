package pra_test

import (
	"encoding/json"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/gatehouse/gatehouse/internal/testserver"
)

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

const base = "/api/config/v1"

// do sends a request under /api/config/v1 as the bootstrap account, with a
// JSON Content-Type when there is a body.
func (e *env) do(method, path, body string, header ...string) *testserver.Response {
	e.t.Helper()
	if body != "" {
		header = append([]string{"Content-Type", "application/json"}, header...)
	}
	return e.Do(e.t, method, base+path, e.tok, body, header...)
}

// ok sends a request and fails the test unless it gets status; it returns
// the decoded body (nil when empty).
func (e *env) ok(status int, method, path, body string) any {
	e.t.Helper()
	resp := e.do(method, path, body)
	if resp.Status != status {
		e.t.Fatalf("%s %s: %d %s, want %d", method, path, resp.Status, resp.Body, status)
	}
	if len(resp.Body) == 0 {
		return nil
	}
	return resp.JSON(e.t)
}

// obj is ok for a response that is a JSON object.
func (e *env) obj(status int, method, path, body string) map[string]any {
	e.t.Helper()
	m, ok := e.ok(status, method, path, body).(map[string]any)
	if !ok {
		e.t.Fatalf("%s %s: body is not an object", method, path)
	}
	return m
}

// id returns an object's id as used in paths.
func id(m map[string]any) string { return strconv.FormatInt(int64(m["id"].(float64)), 10) }

// createUser adds a local user named username.
func (e *env) createUser(username string) map[string]any {
	e.t.Helper()
	return e.obj(201, "POST", "/user", `{"username":"`+username+`","public_display_name":"`+username+`"}`)
}

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

// invalid is the 422 body naming one field.
func invalid(field, msg string) string {
	b, _ := json.Marshal(map[string]any{"message": "The given data was invalid.", "errors": map[string][]string{field: {msg}}})
	return string(b)
}

// message is a {"message"} body.
func message(msg string) string {
	b, _ := json.Marshal(map[string]string{"message": msg})
	return string(b)
}

var dateTime = regexp.MustCompile(`^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00$`)

// withoutCreatedAt checks that created_at is a PRA date-time and blanks it,
// so that a body can be compared exactly.
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

func repeat(s string, n int) string { return strings.Repeat(s, n) }
