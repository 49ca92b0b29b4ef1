package insight_test

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/gatehouse/gatehouse/internal/directory"
	"github.com/gatehouse/gatehouse/internal/testserver"
)

const base = "/BeyondTrust/api/public/v3"

// env is a test server and an administrator's bearer token, obtained from
// the face's own token endpoint with the bootstrap account.
type env struct {
	*testserver.Server
	t   *testing.T
	tok string
}

func newEnv(t *testing.T, opts ...testserver.Option) *env {
	t.Helper()
	e := &env{Server: testserver.New(t, opts...), t: t}
	e.tok = e.token(testserver.AdminClientID, testserver.AdminSecret)
	return e
}

// token asks Auth/connect/token for a bearer token.
func (e *env) token(clientID, secret string) string {
	e.t.Helper()
	resp := e.form("/Auth/connect/token", url.Values{"grant_type": {"client_credentials"},
		"client_id": {clientID}, "client_secret": {secret}})
	if resp.Status != http.StatusOK {
		e.t.Fatalf("token for %s: %d %s", clientID, resp.Status, resp.Body)
	}
	return resp.Object(e.t)["access_token"].(string)
}

func (e *env) form(path string, v url.Values) *testserver.Response {
	e.t.Helper()
	return e.Do(e.t, http.MethodPost, base+path, "", v.Encode(), "Content-Type", "application/x-www-form-urlencoded")
}

// do sends a request as the administrator, with a JSON Content-Type when
// there is a body.
func (e *env) do(method, path, body string, header ...string) *testserver.Response {
	e.t.Helper()
	return e.as("Bearer "+e.tok, method, path, body, header...)
}

// as sends a request with the given Authorization header ("" for none).
func (e *env) as(authorization, method, path, body string, header ...string) *testserver.Response {
	e.t.Helper()
	if authorization != "" {
		header = append(header, "Authorization", authorization)
	}
	if body != "" {
		header = append([]string{"Content-Type", "application/json"}, header...)
	}
	return e.Do(e.t, method, base+path, "", body, header...)
}

// withCookie sends a request carrying a session cookie and nothing else.
func (e *env) withCookie(cookie, method, path, body string) *testserver.Response {
	e.t.Helper()
	return e.as("", method, path, body, "Cookie", "ASP.NET_SessionId="+cookie)
}

// want fails the test unless resp has status.
func want(t *testing.T, resp *testserver.Response, status int) *testserver.Response {
	t.Helper()
	if resp.Status != status {
		t.Fatalf("status %d %s, want %d", resp.Status, resp.Body, status)
	}
	return resp
}

// wantError checks an error answer: status and its message, a JSON string.
func wantError(t *testing.T, resp *testserver.Response, status int, msg string) {
	t.Helper()
	if resp.Status != status {
		t.Fatalf("status %d %s, want %d %q", resp.Status, resp.Body, status, msg)
	}
	got, ok := resp.JSON(t).(string)
	if !ok || got != msg {
		t.Fatalf("message %s, want %q", resp.Body, msg)
	}
}

// signIn posts Auth/SignAppIn with the Authorization header and returns the
// session cookie and the answer.
func (e *env) signIn(authorization string) (string, map[string]any) {
	e.t.Helper()
	resp := want(e.t, e.as(authorization, http.MethodPost, "/Auth/SignAppIn", ""), http.StatusOK)
	for _, c := range (&http.Response{Header: resp.Header}).Cookies() {
		if c.Name == "ASP.NET_SessionId" && c.Value != "" {
			if c.Path != "/" || !c.HttpOnly {
				e.t.Errorf("session cookie %+v: want Path=/ and HttpOnly", c)
			}
			return c.Value, resp.Object(e.t)
		}
	}
	e.t.Fatalf("SignAppIn set no session cookie: %v", resp.Header)
	return "", nil
}

// cli is a context acting as the command line, for fixtures.
var cli = directory.WithActor(context.Background(), directory.Actor{Kind: directory.ActorCLI})

// registration creates an API registration and returns its id and key.
func (e *env) registration(name string, passwordRequired bool, ips ...string) (int64, string) {
	e.t.Helper()
	r, key, err := e.Service().CreateAPIRegistration(cli, directory.NewAPIRegistration{Name: name,
		UserPasswordRequired: passwordRequired, IPAllow: ips})
	if err != nil {
		e.t.Fatalf("create registration: %v", err)
	}
	return r.ID, key
}

// group creates a BeyondInsight group over the face with the given user
// accounts and quarantine levels (0, 1, 3) and registrations.
func (e *env) group(name string, users, quarantine int, registrations ...int64) int64 {
	e.t.Helper()
	ids := make([]string, len(registrations))
	for i, id := range registrations {
		ids[i] = strconv.FormatInt(id, 10)
	}
	body := `{"groupType":"BeyondInsight","groupName":"` + name + `","Permissions":[{"PermissionID":1,"AccessLevelID":` +
		strconv.Itoa(users) + `},{"PermissionID":2,"AccessLevelID":` + strconv.Itoa(quarantine) +
		`}],"ApplicationRegistrationIDs":[` + strings.Join(ids, ",") + `]}`
	return int64(want(e.t, e.do(http.MethodPost, "/UserGroups", body), http.StatusCreated).Object(e.t)["GroupID"].(float64))
}

// localUser creates a BeyondInsight user in a group and returns its id.
func (e *env) localUser(name, password string, groupID int64) int64 {
	e.t.Helper()
	body := `{"UserName":"` + name + `","FirstName":"F","EmailAddress":"` + name + `@example.com","Password":"` + password + `"}`
	resp := want(e.t, e.do(http.MethodPost, "/UserGroups/"+itoa(groupID)+"/Users", body), http.StatusCreated)
	return int64(resp.Object(e.t)["UserID"].(float64))
}

// application creates an application user and returns it as answered.
func (e *env) application(name string) map[string]any {
	e.t.Helper()
	return want(e.t, e.do(http.MethodPost, "/Users", `{"UserType":"Application","UserName":"`+name+`","AccessPolicyID":1}`),
		http.StatusOK).Object(e.t)
}

func (e *env) join(userID, groupID int64) {
	e.t.Helper()
	want(e.t, e.do(http.MethodPost, "/Users/"+itoa(userID)+"/UserGroups/"+itoa(groupID), ""), http.StatusCreated)
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

func psAuth(key, runAs string) string { return "PS-Auth key=" + key + "; runas=" + runAs + ";" }
