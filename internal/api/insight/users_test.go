package insight_test

import (
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/gatehouse/gatehouse/internal/directory"
)

// userKeys are the properties every user has; application users add
// appKeys.
var (
	userKeys = []string{"UserID", "UserType", "UserName", "DomainName", "DistinguishedName", "FirstName", "LastName",
		"EmailAddress", "LastLoginDate", "LastLoginAuthenticationType", "LastLoginConfigurationName",
		"LastLoginSAMLIDPURL", "LastLoginSSOURL", "IsQuarantined"}
	appKeys = append([]string{"ClientID", "ClientSecret", "AccessPolicyID"}, userKeys...)
	guid    = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)
)

// wantKeys fails unless m has exactly the given properties.
func wantKeys(t *testing.T, m map[string]any, keys []string) {
	t.Helper()
	got := make([]string, 0, len(m))
	for k := range m {
		got = append(got, k)
	}
	slices.Sort(got)
	w := slices.Clone(keys)
	slices.Sort(w)
	if !slices.Equal(got, w) {
		t.Errorf("properties %v, want %v", got, w)
	}
}

// wantFields fails unless m[k] == v for each pair (nil for JSON null,
// float64 for numbers).
func wantFields(t *testing.T, m map[string]any, kv map[string]any) {
	t.Helper()
	for k, v := range kv {
		got, ok := m[k]
		if !ok {
			t.Errorf("%s missing from %v", k, m)
			continue
		}
		if got != v {
			t.Errorf("%s = %#v, want %#v", k, got, v)
		}
	}
}

func idOf(t *testing.T, m map[string]any, key string) int64 {
	t.Helper()
	f, ok := m[key].(float64)
	if !ok {
		t.Fatalf("%s of %v is not a number", key, m)
	}
	return int64(f)
}

// createLocal posts a BeyondInsight user and returns the answer.
func (e *env) createLocal(body string) map[string]any {
	e.t.Helper()
	return want(e.t, e.do(http.MethodPost, "/Users", body), http.StatusOK).Object(e.t)
}

// stored reads a user straight from the directory.
func (e *env) stored(id int64) directory.User {
	e.t.Helper()
	u, err := e.Service().User(cli, id)
	if err != nil {
		e.t.Fatalf("user %d: %v", id, err)
	}
	return u
}

func (e *env) passwordIs(id int64, pw string) bool {
	e.t.Helper()
	ok, err := e.Service().CheckPassword(cli, e.stored(id), pw)
	if err != nil {
		e.t.Fatalf("check password: %v", err)
	}
	return ok
}

func psAuthPwd(key, runAs, pwd string) string {
	return "PS-Auth key=" + key + "; runas=" + runAs + "; pwd=[" + pwd + "];"
}

func byID(list []map[string]any, id int64) map[string]any {
	for _, m := range list {
		if m["UserID"] == float64(id) || m["GroupID"] == float64(id) {
			return m
		}
	}
	return nil
}

const msgUserNotFound = "User not found"

func TestCreateAndListUsers(t *testing.T) {
	t.Parallel()
	e := newEnv(t)

	ann := e.createLocal(`{"UserType":"BeyondInsight","UserName":"ann","FirstName":"Ann","LastName":"Lee",` +
		`"EmailAddress":"ann@example.com","Password":"correct horse"}`)
	wantKeys(t, ann, userKeys)
	wantFields(t, ann, map[string]any{"UserType": "BeyondInsight", "UserName": "ann", "FirstName": "Ann", "LastName": "Lee",
		"EmailAddress": "ann@example.com", "DomainName": nil, "DistinguishedName": nil, "LastLoginDate": nil,
		"LastLoginAuthenticationType": nil, "LastLoginConfigurationName": nil, "LastLoginSAMLIDPURL": nil,
		"LastLoginSSOURL": nil, "IsQuarantined": false})
	annID := idOf(t, ann, "UserID")
	if !e.passwordIs(annID, "correct horse") || e.passwordIs(annID, "wrong horse") {
		t.Error("the password given at creation is not the user's")
	}

	// UserType defaults to BeyondInsight; an absent LastName is null.
	bob := e.createLocal(`{"UserName":"bob","FirstName":"Bob","EmailAddress":"bob@example.com","Password":"battery staple"}`)
	wantFields(t, bob, map[string]any{"UserType": "BeyondInsight", "LastName": nil})

	app := e.application("robot")
	wantKeys(t, app, appKeys)
	wantFields(t, app, map[string]any{"UserType": "Application", "UserName": "robot", "AccessPolicyID": float64(1),
		"DomainName": nil, "DistinguishedName": nil, "FirstName": nil, "LastName": nil, "EmailAddress": nil,
		"IsQuarantined": false})
	clientID, _ := app["ClientID"].(string)
	secret, _ := app["ClientSecret"].(string)
	if len(clientID) != 36 || !guid.MatchString(clientID) {
		t.Errorf("ClientID %q is not a GUID", clientID)
	}
	if len(secret) < 36 || len(secret) > 64 {
		t.Errorf("ClientSecret %q: %d characters, want 36 to 64", secret, len(secret))
	}
	appID := idOf(t, app, "UserID")

	// The secret is shown once: afterwards it is null, in every read.
	got := want(t, e.do(http.MethodGet, "/Users/"+itoa(appID), ""), http.StatusOK).Object(t)
	wantKeys(t, got, appKeys)
	wantFields(t, got, map[string]any{"ClientID": clientID, "ClientSecret": nil, "UserType": "Application"})
	got = want(t, e.do(http.MethodGet, "/Users/"+itoa(annID), ""), http.StatusOK).Object(t)
	wantKeys(t, got, userKeys)
	wantFields(t, got, map[string]any{"UserName": "ann", "LastName": "Lee", "UserID": float64(annID)})

	// The secret works at the token endpoint.
	e.token(clientID, secret)

	list := want(t, e.do(http.MethodGet, "/Users", ""), http.StatusOK).Array(t)
	if len(list) != 3 {
		t.Fatalf("%d users listed, want 3: %v", len(list), list)
	}
	for i, w := range []struct {
		id   int64
		typ  string
		keys []string
	}{{annID, "BeyondInsight", userKeys}, {idOf(t, bob, "UserID"), "BeyondInsight", userKeys}, {appID, "Application", appKeys}} {
		if list[i]["UserID"] != float64(w.id) || list[i]["UserType"] != w.typ {
			t.Errorf("item %d: %v, want user %d of type %s", i, list[i], w.id, w.typ)
		}
		wantKeys(t, list[i], w.keys)
	}
	if list[2]["ClientSecret"] != nil {
		t.Errorf("a list shows the client secret: %v", list[2])
	}

	// Paths match in any case, with or without a trailing slash.
	for _, p := range []string{"/users", "/USERS/", "/Users/" + itoa(annID) + "/"} {
		want(t, e.do(http.MethodGet, p, ""), http.StatusOK)
	}
	resp := e.Do(t, http.MethodGet, strings.ToLower(base)+"/users/"+itoa(annID), "", "", "Authorization", "Bearer "+e.tok)
	want(t, resp, http.StatusOK)

	wantError(t, e.do(http.MethodGet, "/Users/2147483647", ""), http.StatusNotFound, msgUserNotFound)
}

// A list longer than a store page comes back whole, in id order.
func TestListUsersPastOnePage(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	const n = 520
	for i := range n {
		if _, err := e.Service().CreateUser(cli, directory.NewUser{UserChange: directory.UserChange{
			Username: directory.To("u" + itoa(int64(i)))}}); err != nil {
			t.Fatal(err)
		}
	}
	list := want(t, e.do(http.MethodGet, "/Users", ""), http.StatusOK).Array(t)
	if len(list) != n {
		t.Fatalf("%d users, want %d", len(list), n)
	}
	for i := 1; i < n; i++ {
		if list[i]["UserID"].(float64) <= list[i-1]["UserID"].(float64) {
			t.Fatalf("users out of order at %d", i)
		}
	}
}

// GET Users?username= without a domain finds users of this directory;
// with DOMAIN\name or a principal name it finds directory users (see
// TestDirectoryUsers for those).
func TestUserByName(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ann := idOf(t, e.createLocal(`{"UserName":"ann","FirstName":"Ann","EmailAddress":"ann@example.com","Password":"correct horse"}`), "UserID")
	mail := idOf(t, e.createLocal(`{"UserName":"carol@example.org","FirstName":"Carol","EmailAddress":"carol@example.org","Password":"correct horse"}`), "UserID")
	app := idOf(t, e.application("robot"), "UserID")

	for _, c := range []struct {
		query string
		id    int64
	}{
		{"username=ann", ann},
		{"username=ANN", ann},
		{"UserName=ann", ann},
		{"USERNAME=robot", app},
		{"username=" + url.QueryEscape("carol@example.org"), mail},
	} {
		got := want(t, e.do(http.MethodGet, "/Users?"+c.query, ""), http.StatusOK).Object(t)
		if got["UserID"] != float64(c.id) {
			t.Errorf("?%s found %v, want user %d", c.query, got, c.id)
		}
	}
	for _, q := range []string{"username=nobody", "username=" + url.QueryEscape(`example.com\ann`),
		"username=" + url.QueryEscape("ann@example.com"), "username="} {
		wantError(t, e.do(http.MethodGet, "/Users?"+q, ""), http.StatusNotFound, msgUserNotFound)
	}
}

func TestUpdateLocalUser(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	regID, key := e.registration("scripts", true)
	gid := e.group("admins", 3, 0, regID)
	id := e.localUser("ann", "first password", gid)
	want(t, e.do(http.MethodPut, "/Users/"+itoa(id), `{"UserName":"ann","FirstName":"Ann","LastName":"Lee","EmailAddress":"ann@example.com"}`), http.StatusOK)
	if e.stored(id).LastName != "Lee" {
		t.Fatal("LastName not set")
	}

	// A PUT replaces the user: LastName, not given, is cleared; the
	// password, not given, is kept.
	got := want(t, e.do(http.MethodPut, "/Users/"+itoa(id), `{"UserName":"ann.lee","FirstName":"Annie","EmailAddress":"annie@example.com"}`),
		http.StatusOK).Object(t)
	wantKeys(t, got, userKeys)
	wantFields(t, got, map[string]any{"UserID": float64(id), "UserType": "BeyondInsight", "UserName": "ann.lee", "FirstName": "Annie",
		"LastName": nil, "EmailAddress": "annie@example.com", "IsQuarantined": false})
	got = want(t, e.do(http.MethodGet, "/Users/"+itoa(id), ""), http.StatusOK).Object(t)
	wantFields(t, got, map[string]any{"UserName": "ann.lee", "FirstName": "Annie", "LastName": nil})
	if !e.passwordIs(id, "first password") {
		t.Error("a PUT without Password changed the password")
	}
	want(t, e.as(psAuthPwd(key, "ann.lee", "first password"), http.MethodGet, "/Users/"+itoa(id), ""), http.StatusOK)

	// Given, the password replaces the old one.
	want(t, e.do(http.MethodPut, "/Users/"+itoa(id),
		`{"UserName":"ann.lee","FirstName":"Annie","EmailAddress":"annie@example.com","Password":"second password"}`), http.StatusOK)
	if !e.passwordIs(id, "second password") || e.passwordIs(id, "first password") {
		t.Error("the password given in a PUT is not the user's")
	}
	want(t, e.as(psAuthPwd(key, "ann.lee", "second password"), http.MethodGet, "/Users/"+itoa(id), ""), http.StatusOK)
	wantError(t, e.as(psAuthPwd(key, "ann.lee", "first password"), http.MethodGet, "/Users/"+itoa(id), ""), http.StatusUnauthorized,
		"User not authenticated: sign in with POST Auth/SignAppIn, or send an Authorization header.")

	// Required fields are required in a PUT too.
	wantError(t, e.do(http.MethodPut, "/Users/"+itoa(id), `{"LastName":"Lee"}`), http.StatusBadRequest,
		"EmailAddress field is required; FirstName field is required; UserName field is required")
	wantError(t, e.do(http.MethodPut, "/Users/2147483647", `{"UserName":"x","FirstName":"X","EmailAddress":"x@example.com"}`),
		http.StatusNotFound, msgUserNotFound)
	// Taking another user's name, in any case, is a conflict.
	e.createLocal(`{"UserName":"bob","FirstName":"Bob","EmailAddress":"bob@example.com","Password":"battery staple"}`)
	wantError(t, e.do(http.MethodPut, "/Users/"+itoa(id), `{"UserName":"BOB","FirstName":"Ann","EmailAddress":"ann@example.com"}`),
		http.StatusConflict, "UserName has already been taken")
	if e.stored(id).Username != "ann.lee" {
		t.Error("a refused PUT changed the user")
	}
}

func TestUpdateApplicationUser(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	app := e.application("robot")
	id := idOf(t, app, "UserID")
	got := want(t, e.do(http.MethodPut, "/Users/"+itoa(id), `{"UserName":"robot2","AccessPolicyID":7}`), http.StatusOK).Object(t)
	wantKeys(t, got, appKeys)
	wantFields(t, got, map[string]any{"UserID": float64(id), "UserType": "Application", "UserName": "robot2",
		"AccessPolicyID": float64(7), "ClientID": app["ClientID"], "ClientSecret": nil})
	got = want(t, e.do(http.MethodGet, "/Users/"+itoa(id), ""), http.StatusOK).Object(t)
	wantFields(t, got, map[string]any{"UserName": "robot2", "AccessPolicyID": float64(7)})
	// The secret still works: a PUT does not touch it.
	e.token(app["ClientID"].(string), app["ClientSecret"].(string))

	// AccessPolicyID may be left out; UserName may not.
	want(t, e.do(http.MethodPut, "/Users/"+itoa(id), `{"UserName":"robot3"}`), http.StatusOK)
	wantError(t, e.do(http.MethodPut, "/Users/"+itoa(id), `{"AccessPolicyID":2}`), http.StatusBadRequest, "UserName field is required")
	// A password is not among an application user's fields: it is ignored.
	want(t, e.do(http.MethodPut, "/Users/"+itoa(id), `{"UserName":"robot3","Password":"whatever123"}`), http.StatusOK)
	if e.stored(id).PasswordHash != "" {
		t.Error("an application user got a password")
	}
}

func TestDeleteUser(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	id := idOf(t, e.createLocal(`{"UserName":"ann","FirstName":"Ann","EmailAddress":"ann@example.com","Password":"correct horse"}`), "UserID")
	resp := want(t, e.do(http.MethodDelete, "/Users/"+itoa(id), ""), http.StatusOK)
	if len(resp.Body) != 0 {
		t.Errorf("DELETE answered %q, want no body", resp.Body)
	}
	wantError(t, e.do(http.MethodGet, "/Users/"+itoa(id), ""), http.StatusNotFound, msgUserNotFound)
	wantError(t, e.do(http.MethodDelete, "/Users/"+itoa(id), ""), http.StatusNotFound, msgUserNotFound)
	// The name is free again.
	e.createLocal(`{"UserName":"ann","FirstName":"Ann","EmailAddress":"ann@example.com","Password":"correct horse"}`)

	// An application user's token dies with it.
	app := e.application("robot")
	tok := e.token(app["ClientID"].(string), app["ClientSecret"].(string))
	want(t, e.do(http.MethodDelete, "/Users/"+itoa(idOf(t, app, "UserID")), ""), http.StatusOK)
	wantError(t, e.as("Bearer "+tok, http.MethodGet, "/Users", ""), http.StatusUnauthorized,
		"User not authenticated: sign in with POST Auth/SignAppIn, or send an Authorization header.")
}

// A user who is the only owner of a secret cannot be deleted; a co-owner
// can, and leaves the secret to the others.
func TestDeleteSecretOwner(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ann := idOf(t, e.createLocal(`{"UserName":"ann","FirstName":"Ann","EmailAddress":"ann@example.com","Password":"correct horse"}`), "UserID")
	bob := idOf(t, e.createLocal(`{"UserName":"bob","FirstName":"Bob","EmailAddress":"bob@example.com","Password":"correct horse"}`), "UserID")
	sole, err := e.Service().CreateSecret(cli, "ann's own", []int64{ann})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.Service().CreateSecret(cli, "ann's too", []int64{ann}); err != nil {
		t.Fatal(err)
	}
	shared, err := e.Service().CreateSecret(cli, "shared", []int64{ann, bob})
	if err != nil {
		t.Fatal(err)
	}

	wantError(t, e.do(http.MethodDelete, "/Users/"+itoa(ann), ""), http.StatusConflict,
		"The user is the only owner of 2 secrets; give each another owner before deleting the user.")
	want(t, e.do(http.MethodGet, "/Users/"+itoa(ann), ""), http.StatusOK)

	want(t, e.do(http.MethodDelete, "/Users/"+itoa(bob), ""), http.StatusOK)
	wantError(t, e.do(http.MethodGet, "/Users/"+itoa(bob), ""), http.StatusNotFound, msgUserNotFound)
	sec, err := e.Service().Secret(cli, shared.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(sec.OwnerIDs, []int64{ann}) {
		t.Errorf("shared secret owned by %v after deleting bob, want [%d]", sec.OwnerIDs, ann)
	}
	if sec, err = e.Service().Secret(cli, sole.ID); err != nil || !slices.Equal(sec.OwnerIDs, []int64{ann}) {
		t.Errorf("ann's secret: %v %v", sec, err)
	}
}

func TestQuarantine(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	regID, key := e.registration("scripts", false)
	noQuarantine := e.group("user admins", 3, 0, regID)
	quarantine := e.group("quarantiners", 1, 3, regID)
	admin := e.localUser("admin1", "admin password", noQuarantine)
	e.localUser("guard1", "guard password", quarantine)
	ann := idOf(t, e.createLocal(`{"UserName":"ann","FirstName":"Ann","EmailAddress":"ann@example.com","Password":"correct horse"}`), "UserID")

	// User-accounts read/write is not enough.
	wantError(t, e.as(psAuth(key, "admin1"), http.MethodPost, "/Users/"+itoa(ann)+"/Quarantine", ""), http.StatusForbidden,
		"This operation requires the Password Safe API Global Quarantine (Read/Write) permission.")
	// Nor is an API account without the quarantine permission.
	cid, sec := e.NewAccount(t, "no-quarantine", directory.Permissions{UserManagement: directory.AccessFullAccess})
	wantError(t, e.as("Bearer "+e.token(cid, sec), http.MethodPost, "/Users/"+itoa(ann)+"/Quarantine", ""), http.StatusForbidden,
		"This operation requires the Password Safe API Global Quarantine (Read/Write) permission.")
	if e.stored(ann).Quarantined {
		t.Fatal("a refused quarantine quarantined the user")
	}

	got := want(t, e.as(psAuth(key, "guard1"), http.MethodPost, "/Users/"+itoa(ann)+"/Quarantine", ""), http.StatusOK).Object(t)
	wantKeys(t, got, userKeys)
	wantFields(t, got, map[string]any{"UserID": float64(ann), "UserName": "ann", "IsQuarantined": true})
	got = want(t, e.do(http.MethodGet, "/Users/"+itoa(ann), ""), http.StatusOK).Object(t)
	wantFields(t, got, map[string]any{"IsQuarantined": true})
	// Quarantining again is harmless.
	want(t, e.do(http.MethodPost, "/Users/"+itoa(ann)+"/Quarantine", ""), http.StatusOK)

	// A quarantined user can no longer sign in.
	want(t, e.as(psAuth(key, "admin1"), http.MethodGet, "/Users", ""), http.StatusOK)
	want(t, e.as(psAuth(key, "guard1"), http.MethodPost, "/Users/"+itoa(admin)+"/Quarantine", ""), http.StatusOK)
	wantError(t, e.as(psAuth(key, "admin1"), http.MethodGet, "/Users", ""), http.StatusUnauthorized,
		"User not authenticated: sign in with POST Auth/SignAppIn, or send an Authorization header.")

	// An application user is quarantined too, and its token stops working.
	app := e.application("robot")
	tok := e.token(app["ClientID"].(string), app["ClientSecret"].(string))
	want(t, e.do(http.MethodPost, "/Users/"+itoa(idOf(t, app, "UserID"))+"/Quarantine", ""), http.StatusOK)
	wantError(t, e.as("Bearer "+tok, http.MethodGet, "/Users", ""), http.StatusUnauthorized,
		"User not authenticated: sign in with POST Auth/SignAppIn, or send an Authorization header.")

	wantError(t, e.do(http.MethodPost, "/Users/2147483647/Quarantine", ""), http.StatusNotFound, msgUserNotFound)
	wantError(t, e.do(http.MethodPost, "/Users/x/Quarantine", ""), http.StatusBadRequest,
		"The id in the path must be an integer between 1 and 2147483647.")
}

func TestRecycleClientSecret(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	app := e.application("robot")
	id := idOf(t, app, "UserID")
	clientID, oldSecret := app["ClientID"].(string), app["ClientSecret"].(string)
	oldTok := e.token(clientID, oldSecret)

	resp := want(t, e.do(http.MethodPost, "/Users/"+itoa(id)+"/RecycleClientSecret", ""), http.StatusOK)
	newSecret, ok := resp.JSON(t).(string)
	if !ok || len(newSecret) < 36 || len(newSecret) > 64 || newSecret == oldSecret {
		t.Fatalf("RecycleClientSecret answered %s", resp.Body)
	}
	refused := e.form("/Auth/connect/token", url.Values{"grant_type": {"client_credentials"},
		"client_id": {clientID}, "client_secret": {oldSecret}})
	if refused.Status != http.StatusUnauthorized || refused.Object(t)["error"] != "invalid_client" {
		t.Errorf("the old secret: %d %s", refused.Status, refused.Body)
	}
	wantError(t, e.as("Bearer "+oldTok, http.MethodGet, "/Users", ""), http.StatusUnauthorized,
		"User not authenticated: sign in with POST Auth/SignAppIn, or send an Authorization header.")
	newTok := e.token(clientID, newSecret)
	got := want(t, e.do(http.MethodGet, "/Users/"+itoa(id), ""), http.StatusOK).Object(t)
	wantFields(t, got, map[string]any{"ClientID": clientID, "ClientSecret": nil})

	// The application user may recycle its own secret without any
	// permission, but not another's.
	other := idOf(t, e.application("other"), "UserID")
	resp = want(t, e.as("Bearer "+newTok, http.MethodPost, "/Users/"+itoa(id)+"/RecycleClientSecret", ""), http.StatusOK)
	third, _ := resp.JSON(t).(string)
	e.token(clientID, third)
	wantError(t, e.as("Bearer "+e.token(clientID, third), http.MethodPost, "/Users/"+itoa(other)+"/RecycleClientSecret", ""),
		http.StatusForbidden, "This operation requires the User Accounts Management (Read/Write) permission.")

	// Only application users have a secret.
	ann := idOf(t, e.createLocal(`{"UserName":"ann","FirstName":"Ann","EmailAddress":"ann@example.com","Password":"correct horse"}`), "UserID")
	wantError(t, e.do(http.MethodPost, "/Users/"+itoa(ann)+"/RecycleClientSecret", ""), http.StatusForbidden,
		"Only application users have a client secret.")
	wantError(t, e.do(http.MethodPost, "/Users/2147483647/RecycleClientSecret", ""), http.StatusNotFound, msgUserNotFound)
	wantError(t, e.do(http.MethodPost, "/Users/0/RecycleClientSecret", ""), http.StatusBadRequest,
		"The id in the path must be an integer between 1 and 2147483647.")

	// A read-only account may not recycle.
	cid, sec := e.NewAccount(t, "reader", directory.Permissions{UserManagement: directory.AccessReadOnly})
	wantError(t, e.as("Bearer "+e.token(cid, sec), http.MethodPost, "/Users/"+itoa(id)+"/RecycleClientSecret", ""),
		http.StatusForbidden, "This operation requires the User Accounts Management (Read/Write) permission.")
}

// Reading needs user accounts read; writing needs read/write.
func TestUserPermissions(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	regID, key := e.registration("scripts", false)
	readers := e.group("readers", 1, 0, regID)
	nobodies := e.group("nobodies", 0, 0, regID)
	e.localUser("reader", "reader password", readers)
	e.localUser("nobody", "nobody password", nobodies)
	ann := idOf(t, e.createLocal(`{"UserName":"ann","FirstName":"Ann","EmailAddress":"ann@example.com","Password":"correct horse"}`), "UserID")
	const needRead = "This operation requires the User Accounts Management (Read) permission."
	const needWrite = "This operation requires the User Accounts Management (Read/Write) permission."
	body := `{"UserName":"x","FirstName":"X","EmailAddress":"x@example.com","Password":"xxxxxxxxx"}`
	for _, c := range []struct {
		runAs, method, path, body string
		status                    int
		msg                       string
	}{
		{"reader", http.MethodGet, "/Users", "", http.StatusOK, ""},
		{"reader", http.MethodGet, "/Users/" + itoa(ann), "", http.StatusOK, ""},
		{"reader", http.MethodGet, "/Users?username=ann", "", http.StatusOK, ""},
		{"reader", http.MethodPost, "/Users", body, http.StatusForbidden, needWrite},
		{"reader", http.MethodPut, "/Users/" + itoa(ann), body, http.StatusForbidden, needWrite},
		{"reader", http.MethodDelete, "/Users/" + itoa(ann), "", http.StatusForbidden, needWrite},
		{"nobody", http.MethodGet, "/Users", "", http.StatusForbidden, needRead},
		{"nobody", http.MethodGet, "/Users/" + itoa(ann), "", http.StatusForbidden, needRead},
		{"nobody", http.MethodGet, "/Users/" + itoa(ann) + "/UserGroups", "", http.StatusForbidden, needRead},
	} {
		resp := e.as(psAuth(key, c.runAs), c.method, c.path, c.body)
		if c.msg == "" {
			want(t, resp, c.status)
		} else {
			wantError(t, resp, c.status, c.msg)
		}
	}
	want(t, e.do(http.MethodGet, "/Users/"+itoa(ann), ""), http.StatusOK)
	wantError(t, e.as("", http.MethodGet, "/Users", ""), http.StatusUnauthorized,
		"User not authenticated: sign in with POST Auth/SignAppIn, or send an Authorization header.")
}

// Administrators are managed from the command line only.
func TestAdministratorsAreProtected(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	admin, err := e.Service().CreateUser(cli, directory.NewUser{Admin: true, UserChange: directory.UserChange{
		Username: directory.To("root"), FirstName: directory.To("Root"), Email: directory.To("root@example.com")}})
	if err != nil {
		t.Fatal(err)
	}
	id := itoa(admin.ID)
	want(t, e.do(http.MethodGet, "/Users/"+id, ""), http.StatusOK)
	wantError(t, e.do(http.MethodPut, "/Users/"+id, `{"UserName":"root","FirstName":"R","EmailAddress":"root@example.com"}`),
		http.StatusForbidden, "This API cannot update administrators.")
	wantError(t, e.do(http.MethodDelete, "/Users/"+id, ""), http.StatusForbidden, "This API cannot update administrators.")
	wantError(t, e.do(http.MethodPost, "/Users/"+id+"/Quarantine", ""), http.StatusForbidden, "This API cannot update administrators.")
	if u := e.stored(admin.ID); u.FirstName != "Root" || u.Quarantined {
		t.Errorf("administrator changed: %+v", u)
	}
}
