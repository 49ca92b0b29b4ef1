package insight_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/gatehouse/gatehouse/internal/testserver"
)

// TestEveryInvalidFieldAtOnce: one 400 names every missing and invalid
// field of a group or directory user body, a type error not hiding a
// rule's.
func TestEveryInvalidFieldAtOnce(t *testing.T) {
	e := newEnv(t)
	for _, c := range []struct{ name, body, msg string }{
		{"group, empty", `{}`, "groupName field is required; groupType field is required"},
		{"group, types and rules", `{"groupType":"BeyondInsight","groupName":"` + strings.Repeat("n", 300) +
			`","isActive":"yes","ApplicationRegistrationIDs":"1"}`,
			"ApplicationRegistrationIDs must be an array of integers; groupName may not be greater than 255 characters; isActive must be true or false"},
	} {
		t.Run(c.name, func(t *testing.T) {
			wantError(t, e.do(http.MethodPost, "/UserGroups", c.body), http.StatusBadRequest, c.msg)
		})
	}
	for _, c := range []struct{ name, body, msg string }{
		{"Active Directory user, types and rules", `{"UserType":"ActiveDirectory","UserName":"` + strings.Repeat("u", 300) +
			`","DomainName":"example.com","UseSSL":"yes","BindUser":"binder"}`,
			"BindPassword is required when a bind user is given; ForestName is required when a bind user is given; " +
				"UserName may not be greater than 64 characters; UseSSL must be true or false"},
		{"LDAP user, types and rules", `{"UserType":"LdapDirectory","HostName":"ldap.example.com","DistinguishedName":"cn=x",` +
			`"AccountNameAttribute":"not an attribute","Port":"389"}`,
			"AccountNameAttribute must be an LDAP attribute name; Port must be an integer"},
	} {
		t.Run(c.name, func(t *testing.T) {
			wantError(t, e.do(http.MethodPost, "/Users", c.body), http.StatusBadRequest, c.msg)
		})
	}
}

// TestBodyLimit: a body over the server's limit gets 413 with the face's
// message; the token endpoint's form gets RFC 6749's error.
func TestBodyLimit(t *testing.T) {
	e := newEnv(t, testserver.WithMaxBody(1024))
	big := `{"groupType":"BeyondInsight","groupName":"big","description":"` + strings.Repeat("d", 1024) + `"}`
	wantError(t, e.do(http.MethodPost, "/UserGroups", big), http.StatusRequestEntityTooLarge, "The request body is too large.")
	resp := e.Do(t, http.MethodPost, base+"/Auth/connect/token", "", "grant_type=client_credentials&client_secret="+strings.Repeat("s", 1024),
		"Content-Type", "application/x-www-form-urlencoded")
	if resp.Status != http.StatusRequestEntityTooLarge || resp.Object(t)["error"] != "invalid_request" {
		t.Errorf("token form over the limit: %d %s, want 413 invalid_request", resp.Status, resp.Body)
	}
}

// TestQueryParameterLength: a query parameter longer than any filter may
// be is refused before it reaches the directory.
func TestQueryParameterLength(t *testing.T) {
	e := newEnv(t)
	wantError(t, e.do(http.MethodGet, "/Users?username="+strings.Repeat("a", 32<<10+1), ""), http.StatusBadRequest,
		"The query parameter username may be at most 32768 bytes long.")
}

// TestClientGoneIsNoError: a client that hangs up while its write waits on
// the store is recorded as 499, not logged as the server's error.
func TestClientGoneIsNoError(t *testing.T) {
	logs := &testserver.Logs{}
	e := newEnv(t, testserver.WithLogs(logs))
	uid := e.localUser("waiter", "correct horse battery", e.group("waiters", 0, 0))
	release := e.LockUser(t, uid)
	path := base + "/Users/" + itoa(uid)
	e.Abandon(t, 300*time.Millisecond, http.MethodPut, path, "",
		`{"UserName":"waiter","FirstName":"Late","EmailAddress":"waiter@example.com"}`,
		"Content-Type", "application/json", "Authorization", "Bearer "+e.tok)
	testserver.ClientGoneLogged(t, logs, release, http.MethodPut, path)
}
