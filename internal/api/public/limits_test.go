package public_test

import (
	"strings"
	"testing"
	"time"

	"github.com/gatehouse/gatehouse/internal/testserver"
)

// TestEveryInvalidFieldAtOnce: one 422 names every invalid field of a body,
// whether a field is missing, of the wrong type or breaks a rule.
func TestEveryInvalidFieldAtOnce(t *testing.T) {
	e := newEnv(t)
	u := itoa(idOf(t, e.local("someone"), "id"))
	g := itoa(e.group("group", ""))
	for _, c := range []struct {
		name, method, path, body string
		want                     map[string][]string
	}{
		{"user, empty", "POST", "/users", `{}`, map[string][]string{
			"username": {"field is required"}, "account_type": {"field is required"}}},
		{"user, types and rules", "POST", "/users",
			`{"username":"","account_type":"local","password":5,"email_address":"not an address","enabled":"yes"}`,
			map[string][]string{
				"username":      {"field is required"},
				"password":      {"must be a string"},
				"email_address": {"must be a valid email address"},
				"enabled":       {"must be true or false"},
			}},
		{"user replace, types and rules", "PUT", "/users/" + u,
			`{"username":"","locale":"english please","group_memberships":"1"}`,
			map[string][]string{
				"username":          {"field is required"},
				"locale":            {"must be a locale code such as en-us"},
				"group_memberships": {"must be an array of integers"},
			}},
		{"member, empty", "POST", "/groups/" + g + "/members", `{}`, map[string][]string{"user_id": {"field is required"}}},
		{"member, types", "POST", "/groups/" + g + "/members", `{"user_id":"1","group_id":99}`, map[string][]string{
			"user_id":  {"must be an integer"},
			"group_id": {"must be the group id in the URL"},
		}},
	} {
		expect(t, c.name, e.do(c.method, c.path, c.body), 422, invalid(c.want))
	}
}

// TestBodyLimit: a body over the server's limit gets 413 in the face's
// shape.
func TestBodyLimit(t *testing.T) {
	e := newEnv(t, testserver.WithMaxBody(1024))
	body := `{"username":"big","account_type":"local","password":"` + strings.Repeat("p", 1024) + `"}`
	expect(t, "over the limit", e.do("POST", "/users", body), 413, message("The request body is too large."))
}

// TestQueryParameterLength: a query parameter longer than any filter may
// be is refused before it reaches the directory.
func TestQueryParameterLength(t *testing.T) {
	e := newEnv(t)
	expect(t, "long username", e.do("GET", "/users?username="+strings.Repeat("a", 32<<10+1), ""), 400,
		badQuery(map[string][]string{"username": {"may be at most 32768 bytes long"}}))
}

// TestClientGoneIsNoError: a client that hangs up while its write waits on
// the store is recorded as 499, not logged as the server's error.
func TestClientGoneIsNoError(t *testing.T) {
	logs := &testserver.Logs{}
	e := newEnv(t, testserver.WithLogs(logs))
	uid := idOf(t, e.local("waiter"), "id")
	release := e.LockUser(t, uid)
	path := base + "/users/" + itoa(uid)
	e.Abandon(t, 300*time.Millisecond, "PUT", path, e.tok, `{"username":"waiter","email_address":"w@example.com"}`,
		"Content-Type", "application/json")
	testserver.ClientGoneLogged(t, logs, release, "PUT", path)
}
