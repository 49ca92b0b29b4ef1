package server_test

import (
	"context"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gatehouse/gatehouse/internal/directory"
	"github.com/gatehouse/gatehouse/internal/httpx"
	"github.com/gatehouse/gatehouse/internal/testserver"
)

// The permission matrix: every operation every face documents (each
// face's OpenAPI document is kept equal to its route table by the face's
// own test), and the server's own routes, sent by every kind of principal,
// answers exactly the status the face's conventions give that principal.
// An operation without a row here fails the test, so a new route cannot
// ship unexamined.

// principal is one kind of caller.
type principal int

const (
	pNone      principal = iota // no credentials
	pExpired                    // an API account's token past its expiry
	pRevoked                    // a token whose account's secret was rotated
	pReadOnly                   // a full account's token of scope read_only
	pOther                      // an account with every permission but the operation's
	pFull                       // an account with every permission
	pBIDenied                   // a PS-Auth session of a user whose groups lack the permission
	pBIAllowed                  // a PS-Auth session of a user whose group has it
	pBIApp                      // an application user's bearer token, its group having it
)

var principalNames = []string{"none", "expired", "revoked", "read_only", "other", "full", "bi-denied", "bi-allowed", "bi-app"}

func (p principal) String() string { return principalNames[p] }

// need is what an operation asks of its caller.
type need int

const (
	open need = iota // nothing
	read
	write
)

// row is one documented operation: what it needs, which permission
// ("configuration", "user_management", "scim", or BeyondInsight's "users"
// and "quarantine"), the path it is sent to (ids filled in, none of which
// exist, so that no allowed write changes anything), and the status a
// caller that passes the guard gets. by overrides the status per principal
// for operations that authenticate themselves.
type row struct {
	need need
	perm string
	path string
	ok   int
	by   map[principal]int
	// body, when set, is sent as JSON: a valid body keeps the answer on
	// the missing id rather than on how the body is validated first.
	body string
}

type face struct {
	name, prefix string
	// insight faces judge PS-Auth sessions by group permissions; the
	// others know only API accounts' bearer tokens.
	insight bool
	// challenge is the WWW-Authenticate of a 401 ("" for none).
	challenge string
	rows      map[string]row
	// unlisted is set for the server's own routes, which no OpenAPI
	// document lists: the rows are the list.
	unlisted bool
}

const missing = "999999"

func matrixFaces() []face {
	pra := func(n need, path string, ok int) row { return row{need: n, perm: "configuration", path: path, ok: ok} }
	pub := func(n need, path string, ok int) row {
		return row{need: n, perm: "user_management", path: path, ok: ok}
	}
	sc := func(n need, path string, ok int) row { return row{need: n, perm: "scim", path: path, ok: ok} }
	bi := func(n need, perm, path string, ok int) row { return row{need: n, perm: perm, path: path, ok: ok} }
	audit := func(path string, ok int) row {
		return row{need: read, perm: "configuration", path: path, ok: ok, by: map[principal]int{pReadOnly: 403}}
	}
	const m = "/" + missing
	// A read_only token opens no session: the session would not keep its
	// scope.
	signInByHeader := map[principal]int{pNone: 401, pExpired: 401, pRevoked: 401, pReadOnly: 403, pOther: 200, pFull: 200,
		pBIDenied: 401, pBIAllowed: 401, pBIApp: 200}
	// The token endpoint takes client credentials from an Authorization
	// header too: a bearer token there is a failed client authentication
	// (401, RFC 6749 §5.2); no header and an empty form is a bad request.
	tokenByHeader := map[principal]int{pNone: 400, pExpired: 401, pRevoked: 401, pReadOnly: 401, pOther: 401, pFull: 401,
		pBIDenied: 400, pBIAllowed: 400, pBIApp: 401}
	signOutByCookie := map[principal]int{pNone: 401, pExpired: 401, pRevoked: 401, pReadOnly: 401, pOther: 401, pFull: 401,
		pBIDenied: 200, pBIAllowed: 200, pBIApp: 401}
	return []face{
		{name: "PRA", prefix: "/api/config/v1", challenge: "Bearer", rows: map[string]row{
			"get /user":                                    pra(read, "/user", 200),
			"post /user":                                   pra(write, "/user", 422),
			"post /user/provision":                         pra(write, "/user/provision", 204),
			"get /user/{id}":                               pra(read, "/user"+m, 404),
			"patch /user/{id}":                             pra(write, "/user"+m, 404),
			"delete /user/{id}":                            pra(write, "/user"+m, 404),
			"get /user/{id}/group-policies":                pra(read, "/user"+m+"/group-policies", 404),
			"patch /user/{id}/group-policy-changes":        pra(write, "/user"+m+"/group-policy-changes", 404),
			"get /group-policy":                            pra(read, "/group-policy", 200),
			"post /group-policy":                           pra(write, "/group-policy", 422),
			"get /group-policy/{id}":                       pra(read, "/group-policy"+m, 404),
			"patch /group-policy/{id}":                     pra(write, "/group-policy"+m, 404),
			"delete /group-policy/{id}":                    pra(write, "/group-policy"+m, 404),
			"post /group-policy/{id}/copy":                 pra(write, "/group-policy"+m+"/copy", 422),
			"post /group-policy/{id}/provision":            pra(write, "/group-policy"+m+"/provision", 404),
			"get /group-policy/{id}/member":                pra(read, "/group-policy"+m+"/member", 404),
			"post /group-policy/{id}/member":               withBody(pra(write, "/group-policy"+m+"/member", 404), `{"security_provider_id":1,"user_id":1}`),
			"get /group-policy/{id}/member/{member_id}":    pra(read, "/group-policy"+m+"/member"+m, 404),
			"delete /group-policy/{id}/member/{member_id}": pra(write, "/group-policy"+m+"/member"+m, 404),
			"get /team":                                    pra(read, "/team", 200),
			"post /team":                                   pra(write, "/team", 422),
			"get /team/{id}":                               pra(read, "/team"+m, 404),
			"patch /team/{id}":                             pra(write, "/team"+m, 404),
			"delete /team/{id}":                            pra(write, "/team"+m, 404),
			"get /team/{id}/user":                          pra(read, "/team"+m+"/user", 404),
			"post /team/{id}/user":                         pra(write, "/team"+m+"/user", 422),
			"get /team/{id}/user/{user_id}":                pra(read, "/team"+m+"/user"+m, 404),
			"patch /team/{id}/user/{user_id}":              pra(write, "/team"+m+"/user"+m, 404),
			"delete /team/{id}/user/{user_id}":             pra(write, "/team"+m+"/user"+m, 404),
			"get /security-provider":                       pra(read, "/security-provider", 200),
			"get /security-provider/{id}":                  pra(read, "/security-provider"+m, 404),
			"get /api-account":                             pra(read, "/api-account", 200),
			"get /api-account/{id}":                        pra(read, "/api-account"+m, 404),
			"get /openapi.yaml":                            pra(read, "/openapi.yaml", 200),
		}},
		{name: "public v3", prefix: "/api/public/v3", challenge: "Bearer", rows: map[string]row{
			"get /users":                            pub(read, "/users", 200),
			"post /users":                           pub(write, "/users", 422),
			"get /users/{id}":                       pub(read, "/users"+m, 404),
			"put /users/{id}":                       pub(write, "/users"+m, 400),
			"delete /users/{id}":                    pub(write, "/users"+m, 404),
			"get /groups":                           pub(read, "/groups", 200),
			"post /groups/{id}/members":             pub(write, "/groups"+m+"/members", 422),
			"delete /groups/{id}/members/{user_id}": pub(write, "/groups"+m+"/members"+m, 404),
			"get /openapi.yaml":                     pub(read, "/openapi.yaml", 200),
		}},
		{name: "SCIM", prefix: "/scim/v2", challenge: `Bearer realm="scim"`, rows: map[string]row{
			"get /Users":                 sc(read, "/Users", 200),
			"post /Users":                sc(write, "/Users", 400),
			"post /Users/.search":        sc(read, "/Users/.search", 400),
			"get /Users/{id}":            sc(read, "/Users"+m, 404),
			"put /Users/{id}":            sc(write, "/Users"+m, 400),
			"patch /Users/{id}":          sc(write, "/Users"+m, 400),
			"delete /Users/{id}":         sc(write, "/Users"+m, 404),
			"get /Groups":                sc(read, "/Groups", 200),
			"post /Groups":               sc(write, "/Groups", 400),
			"post /Groups/.search":       sc(read, "/Groups/.search", 400),
			"get /Groups/{id}":           sc(read, "/Groups"+m, 404),
			"put /Groups/{id}":           sc(write, "/Groups"+m, 400),
			"patch /Groups/{id}":         sc(write, "/Groups"+m, 400),
			"delete /Groups/{id}":        sc(write, "/Groups"+m, 404),
			"post /.search":              sc(read, "/.search", 400),
			"post /Bulk":                 sc(write, "/Bulk", 400),
			"get /Me":                    sc(read, "/Me", 501),
			"post /Me":                   sc(write, "/Me", 501),
			"put /Me":                    sc(write, "/Me", 501),
			"patch /Me":                  sc(write, "/Me", 501),
			"delete /Me":                 sc(write, "/Me", 501),
			"get /ServiceProviderConfig": sc(open, "/ServiceProviderConfig", 200),
			"get /ResourceTypes":         sc(open, "/ResourceTypes", 200),
			"get /ResourceTypes/{name}":  sc(open, "/ResourceTypes/Nothing", 404),
			"get /Schemas":               sc(open, "/Schemas", 200),
			"get /Schemas/{urn}":         sc(open, "/Schemas/urn:nothing", 404),
			"get /openapi.yaml":          sc(open, "/openapi.yaml", 200),
		}},
		{name: "BeyondInsight", prefix: "/BeyondTrust/api/public/v3", insight: true, rows: map[string]row{
			"post /Auth/connect/token":                {need: open, perm: "users", path: "/Auth/connect/token", by: tokenByHeader},
			"post /Auth/SignAppIn":                    {need: open, perm: "users", path: "/Auth/SignAppIn", by: signInByHeader},
			"post /Auth/Signout":                      {need: open, perm: "users", path: "/Auth/Signout", by: signOutByCookie},
			"get /openapi.yaml":                       {need: open, path: "/openapi.yaml", ok: 200},
			"get /Users":                              bi(read, "users", "/Users", 200),
			"post /Users":                             bi(write, "users", "/Users", 400),
			"get /Users/{id}":                         bi(read, "users", "/Users"+m, 404),
			"put /Users/{id}":                         bi(write, "users", "/Users"+m, 404),
			"delete /Users/{id}":                      bi(write, "users", "/Users"+m, 404),
			"post /Users/{id}/Quarantine":             bi(write, "quarantine", "/Users"+m+"/Quarantine", 404),
			"post /Users/{id}/RecycleClientSecret":    bi(write, "users", "/Users"+m+"/RecycleClientSecret", 404),
			"get /Users/{id}/UserGroups":              bi(read, "users", "/Users"+m+"/UserGroups", 404),
			"post /Users/{id}/UserGroups/{groupId}":   bi(write, "users", "/Users"+m+"/UserGroups"+m, 404),
			"delete /Users/{id}/UserGroups/{groupId}": bi(write, "users", "/Users"+m+"/UserGroups"+m, 404),
			"get /UserGroups":                         bi(read, "users", "/UserGroups", 200),
			"post /UserGroups":                        bi(write, "users", "/UserGroups", 400),
			"get /UserGroups/{id}":                    bi(read, "users", "/UserGroups"+m, 404),
			"delete /UserGroups/{id}":                 bi(write, "users", "/UserGroups"+m, 404),
			"get /UserGroups/{id}/Users":              bi(read, "users", "/UserGroups"+m+"/Users", 404),
			"post /UserGroups/{id}/Users":             bi(write, "users", "/UserGroups"+m+"/Users", 400),
			"get /UserGroups/{id}/Permissions":        bi(read, "users", "/UserGroups"+m+"/Permissions", 404),
			"post /UserGroups/{id}/Permissions":       bi(write, "users", "/UserGroups"+m+"/Permissions", 400),
			"delete /UserGroups/{id}/Permissions":     bi(write, "users", "/UserGroups"+m+"/Permissions", 404),
			"get /Permissions":                        bi(read, "users", "/Permissions", 200),
		}},
		// The audit log takes full Configuration access through a
		// full_access token (auth.Audit): a read_only token reads nothing.
		{name: "admin", prefix: "/api/admin/v1", challenge: "Bearer", rows: map[string]row{
			"get /events":       audit("/events", 200),
			"get /events/{id}":  audit("/events"+m, 404),
			"get /openapi.yaml": audit("/openapi.yaml", 200),
		}},
		{name: "server", unlisted: true, rows: map[string]row{
			"post /oauth2/token": {need: open, perm: "users", path: "/oauth2/token", by: tokenByHeader},
			"get /get_mech_list": {need: open, path: "/get_mech_list", ok: 200},
			"get /healthz":       {need: open, path: "/healthz", ok: 200},
			"get /readyz":        {need: open, path: "/readyz", ok: 200},
		}},
	}
}

func withBody(r row, body string) row { r.body = body; return r }

// expect is the status a principal gets from an operation, by the face's
// conventions: 401 for no, expired or revoked credentials (and for
// BeyondInsight sign-ins anywhere but BeyondInsight), 403 for a principal
// without the permission or a read_only token writing, and the
// operation's own answer otherwise.
func (f face) expect(r row, p principal) int {
	if s, ok := r.by[p]; ok {
		return s
	}
	if r.need == open {
		return r.ok
	}
	switch p {
	case pNone, pExpired, pRevoked:
		return http.StatusUnauthorized
	case pBIDenied, pBIAllowed, pBIApp:
		if !f.insight {
			return http.StatusUnauthorized
		}
		if p == pBIDenied {
			return http.StatusForbidden
		}
	case pOther:
		return http.StatusForbidden
	case pReadOnly:
		if r.need == write {
			return http.StatusForbidden
		}
	}
	return r.ok
}

// clock is the test server's time, which the test can shift.
type clock struct{ offset atomic.Int64 }

func (c *clock) now() time.Time { return time.Now().Add(time.Duration(c.offset.Load())) }

// matrixEnv holds the server and each principal's credentials.
type matrixEnv struct {
	t *testing.T
	s *testserver.Server
	// bearer tokens by principal; other accounts' tokens by permission
	expired, revoked, readOnly, full, app string
	otherBy                               map[string]string
	regKey                                string
	// run-as users: denied by the permission their group lacks, allowed
	deniedBy map[string]string
	allowed  string
}

func TestPermissionMatrix(t *testing.T) {
	clk := &clock{}
	s := testserver.New(t, testserver.WithClock(clk.now))
	e := &matrixEnv{t: t, s: s, otherBy: map[string]string{}, deniedBy: map[string]string{}}
	e.arrange(clk)

	for _, f := range matrixFaces() {
		documented := e.documented(f)
		for _, op := range documented {
			if _, ok := f.rows[op]; !ok {
				t.Errorf("%s: %s has no row in the permission matrix", f.name, op)
			}
		}
		for op := range f.rows {
			if !slices.Contains(documented, op) {
				t.Errorf("%s: matrix row %s is not a documented operation", f.name, op)
			}
		}
		t.Run(f.name, func(t *testing.T) {
			for _, op := range documented {
				r, ok := f.rows[op]
				if !ok {
					continue
				}
				method := strings.ToUpper(op[:strings.IndexByte(op, ' ')])
				for p := pNone; p <= pBIApp; p++ {
					header := e.headers(f, r, p)
					if r.body != "" {
						header = append(header, "Content-Type", "application/json")
					}
					resp := s.Do(t, method, f.prefix+r.path, "", r.body, header...)
					want := f.expect(r, p)
					if resp.Status != want {
						t.Errorf("%s as %s: %d %.200s, want %d", op, p, resp.Status, resp.Body, want)
						continue
					}
					if want == http.StatusUnauthorized && f.challenge != "" && resp.Header.Get("WWW-Authenticate") != f.challenge {
						t.Errorf("%s as %s: 401 with WWW-Authenticate %q, want %q", op, p, resp.Header.Get("WWW-Authenticate"), f.challenge)
					}
				}
			}
		})
	}
}

// documented lists the face's operations from the OpenAPI document it
// serves, as "get /path".
func (e *matrixEnv) documented(f face) []string {
	if f.unlisted {
		return slices.Sorted(maps.Keys(f.rows))
	}
	resp := e.s.Do(e.t, http.MethodGet, f.prefix+"/openapi.yaml", e.full, "")
	if resp.Status != http.StatusOK {
		e.t.Fatalf("%s openapi.yaml: %d %s", f.name, resp.Status, resp.Body)
	}
	ops := httpx.OpenAPIOperations(resp.Body)
	if len(ops) == 0 {
		e.t.Fatalf("%s openapi.yaml documents no operation", f.name)
	}
	return ops
}

// headers are the request headers that carry p's credentials for row r.
// Sessions are signed in afresh for each request, so that a Signout row
// cannot end the session the next row needs.
func (e *matrixEnv) headers(f face, r row, p principal) []string {
	bearer := func(tok string) []string { return []string{"Authorization", "Bearer " + tok} }
	switch p {
	case pExpired:
		return bearer(e.expired)
	case pRevoked:
		return bearer(e.revoked)
	case pReadOnly:
		return bearer(e.readOnly)
	case pOther:
		return bearer(e.otherBy[r.perm])
	case pFull:
		return bearer(e.full)
	case pBIApp:
		return bearer(e.app)
	case pBIDenied:
		return []string{"Cookie", "ASP.NET_SessionId=" + e.session(e.deniedBy[r.perm])}
	case pBIAllowed:
		return []string{"Cookie", "ASP.NET_SessionId=" + e.session(e.allowed)}
	}
	return nil
}

// session signs runAs in with the registration's key and returns the
// session cookie.
func (e *matrixEnv) session(runAs string) string {
	if runAs == "" {
		runAs = e.allowed // open rows name no permission; any user will do
	}
	resp := e.s.Do(e.t, http.MethodPost, "/BeyondTrust/api/public/v3/Auth/SignAppIn", "", "",
		"Authorization", "PS-Auth key="+e.regKey+"; runas="+runAs+";")
	for _, c := range (&http.Response{Header: resp.Header}).Cookies() {
		if c.Name == "ASP.NET_SessionId" && c.Value != "" {
			return c.Value
		}
	}
	e.t.Fatalf("sign in as %s: %d %s", runAs, resp.Status, resp.Body)
	return ""
}

var cli = directory.WithActor(context.Background(), directory.Actor{Kind: directory.ActorCLI})

// arrange creates every principal's credentials.
func (e *matrixEnv) arrange(clk *clock) {
	t, s := e.t, e.s
	fullID, fullSecret := s.NewAccount(t, "full", directory.FullPermissions())
	e.full = s.Token(t, fullID, fullSecret)
	e.readOnly = scopedToken(t, s, fullID, fullSecret, "read_only")

	// Issued two token lifetimes ago, so expired now.
	expID, expSecret := s.NewAccount(t, "expired", directory.FullPermissions())
	clk.offset.Store(int64(-2 * 24 * time.Hour))
	e.expired = scopedToken(t, s, expID, expSecret, "full_access")
	clk.offset.Store(0)

	revID, revSecret := s.NewAccount(t, "revoked", directory.FullPermissions())
	e.revoked = scopedToken(t, s, revID, revSecret, "full_access")
	acct, err := s.Service().APIAccountByClientID(cli, revID)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.Service().RotateSecret(cli, acct.ID); err != nil {
		t.Fatal(err)
	}
	waitUnauthorized(t, s, e.revoked)

	all := directory.FullPermissions()
	for perm, p := range map[string]directory.Permissions{
		"configuration":   {Configuration: directory.AccessNone, UserManagement: all.UserManagement, SCIM: true, Quarantine: true},
		"user_management": {Configuration: all.Configuration, UserManagement: directory.AccessNone, SCIM: true, Quarantine: true},
		"scim":            {Configuration: all.Configuration, UserManagement: all.UserManagement, SCIM: false, Quarantine: true},
		"users":           {Configuration: all.Configuration, UserManagement: directory.AccessNone, SCIM: true, Quarantine: true},
		"quarantine":      {Configuration: all.Configuration, UserManagement: all.UserManagement, SCIM: true, Quarantine: false},
	} {
		id, secret := s.NewAccount(t, "without-"+perm, p)
		e.otherBy[perm] = s.Token(t, id, secret)
	}

	reg, key, err := s.Service().CreateAPIRegistration(cli, directory.NewAPIRegistration{Name: "matrix"})
	if err != nil {
		t.Fatal(err)
	}
	e.regKey = key
	admin := s.AdminToken(t)
	group := func(name string, users, quarantine int) int64 {
		body := `{"groupType":"BeyondInsight","groupName":"` + name + `","Permissions":[{"PermissionID":1,"AccessLevelID":` +
			strconv.Itoa(users) + `},{"PermissionID":2,"AccessLevelID":` + strconv.Itoa(quarantine) +
			`}],"ApplicationRegistrationIDs":[` + strconv.FormatInt(reg.ID, 10) + `]}`
		resp := s.Do(t, http.MethodPost, "/BeyondTrust/api/public/v3/UserGroups", admin, body, "Content-Type", "application/json")
		if resp.Status != http.StatusCreated {
			t.Fatalf("create group %s: %d %s", name, resp.Status, resp.Body)
		}
		return int64(resp.Object(t)["GroupID"].(float64))
	}
	user := func(name string, groupID int64) {
		body := `{"UserName":"` + name + `","FirstName":"F","EmailAddress":"` + name + `@example.com","Password":"correct horse battery"}`
		resp := s.Do(t, http.MethodPost, "/BeyondTrust/api/public/v3/UserGroups/"+strconv.FormatInt(groupID, 10)+"/Users", admin, body,
			"Content-Type", "application/json")
		if resp.Status != http.StatusCreated {
			t.Fatalf("create user %s: %d %s", name, resp.Status, resp.Body)
		}
	}
	everything := group("everything", 3, 3)
	user("allowed", everything)
	e.allowed = "allowed"
	user("lacks-users", group("quarantine-only", 0, 3))
	user("lacks-quarantine", group("users-only", 3, 0))
	e.deniedBy["users"], e.deniedBy["quarantine"] = "lacks-users", "lacks-quarantine"

	resp := s.Do(t, http.MethodPost, "/BeyondTrust/api/public/v3/Users", admin,
		`{"UserType":"Application","UserName":"matrix-app","AccessPolicyID":1}`, "Content-Type", "application/json")
	if resp.Status != http.StatusOK {
		t.Fatalf("create application user: %d %s", resp.Status, resp.Body)
	}
	app := resp.Object(t)
	appID := strconv.FormatInt(int64(app["UserID"].(float64)), 10)
	if r := s.Do(t, http.MethodPost, "/BeyondTrust/api/public/v3/Users/"+appID+"/UserGroups/"+strconv.FormatInt(everything, 10), admin, ""); r.Status != http.StatusCreated {
		t.Fatalf("application user to group: %d %s", r.Status, r.Body)
	}
	form := url.Values{"grant_type": {"client_credentials"}, "client_id": {app["ClientID"].(string)}, "client_secret": {app["ClientSecret"].(string)}}
	resp = s.Do(t, http.MethodPost, "/BeyondTrust/api/public/v3/Auth/connect/token", "", form.Encode(),
		"Content-Type", "application/x-www-form-urlencoded")
	if resp.Status != http.StatusOK {
		t.Fatalf("application user token: %d %s", resp.Status, resp.Body)
	}
	e.app = resp.Object(t)["access_token"].(string)
}

// scopedToken asks /oauth2/token for a token of the given scope.
func scopedToken(t *testing.T, s *testserver.Server, id, secret, scope string) string {
	t.Helper()
	form := url.Values{"grant_type": {"client_credentials"}, "client_id": {id}, "client_secret": {secret}, "scope": {scope}}
	resp := s.Do(t, http.MethodPost, "/oauth2/token", "", form.Encode(), "Content-Type", "application/x-www-form-urlencoded")
	if resp.Status != http.StatusOK {
		t.Fatalf("token of scope %s: %d %s", scope, resp.Status, resp.Body)
	}
	return resp.Object(t)["access_token"].(string)
}

// waitUnauthorized waits for a revocation to reach the token cache (the
// poller runs every 50ms in tests).
func waitUnauthorized(t *testing.T, s *testserver.Server, tok string) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for {
		if s.Do(t, http.MethodGet, "/api/config/v1/user", tok, "").Status == http.StatusUnauthorized {
			return
		}
		if time.Now().After(deadline) {
			t.Fatal("a revoked token is still accepted after 5s")
		}
		time.Sleep(20 * time.Millisecond)
	}
}
