package insight_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gatehouse/gatehouse/internal/directory"
	"github.com/gatehouse/gatehouse/internal/testserver"
)

func TestTokenEndpoint(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	resp := want(t, e.form("/Auth/connect/token", url.Values{"grant_type": {"client_credentials"},
		"client_id": {testserver.AdminClientID}, "client_secret": {testserver.AdminSecret}}), http.StatusOK)
	tok := resp.Object(t)
	if tok["token_type"] != "Bearer" || tok["scope"] != "publicapi" || tok["expires_in"] != float64(3600) || tok["access_token"] == "" {
		t.Errorf("token answer %v", tok)
	}
	if resp.Header.Get("Cache-Control") != "no-store" {
		t.Errorf("Cache-Control %q", resp.Header.Get("Cache-Control"))
	}
	for _, c := range []struct {
		name   string
		form   url.Values
		status int
		code   string
	}{
		{"wrong secret", url.Values{"grant_type": {"client_credentials"}, "client_id": {testserver.AdminClientID}, "client_secret": {"nope"}}, 401, "invalid_client"},
		{"unknown client", url.Values{"grant_type": {"client_credentials"}, "client_id": {"f3b4a7d2-0000-4000-8000-000000000000"}, "client_secret": {"x"}}, 401, "invalid_client"},
		{"no grant type", url.Values{"client_id": {testserver.AdminClientID}, "client_secret": {testserver.AdminSecret}}, 400, "invalid_request"},
		{"other grant", url.Values{"grant_type": {"password"}, "client_id": {testserver.AdminClientID}, "client_secret": {testserver.AdminSecret}}, 400, "unsupported_grant_type"},
		{"other scope", url.Values{"grant_type": {"client_credentials"}, "scope": {"full_access"}, "client_id": {testserver.AdminClientID}, "client_secret": {testserver.AdminSecret}}, 400, "invalid_scope"},
	} {
		t.Run(c.name, func(t *testing.T) {
			resp := e.form("/Auth/connect/token", c.form)
			if resp.Status != c.status || resp.Object(t)["error"] != c.code {
				t.Errorf("%d %s, want %d %s", resp.Status, resp.Body, c.status, c.code)
			}
		})
	}
	resp = e.Do(t, http.MethodGet, base+"/Auth/connect/token", "", "")
	if resp.Status != http.StatusMethodNotAllowed || resp.Header.Get("Allow") != "POST" {
		t.Errorf("GET token endpoint: %d, Allow %q", resp.Status, resp.Header.Get("Allow"))
	}
}

// An API account signs in with client credentials and acts as an
// administrator; its session ends with Signout.
func TestAPIAccountSession(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	cookie, me := e.signIn("Bearer " + e.tok)
	if me["UserId"] != float64(0) || !strings.HasPrefix(me["UserName"].(string), directory.BootstrapName) {
		t.Errorf("SignAppIn answered %v", me)
	}
	want(t, e.withCookie(cookie, http.MethodPost, "/Users", `{"UserName":"ann","FirstName":"Ann","EmailAddress":"ann@example.com","Password":"correct horse"}`), http.StatusOK)
	list := want(t, e.withCookie(cookie, http.MethodGet, "/Users", ""), http.StatusOK).Array(t)
	if len(list) != 1 || list[0]["UserName"] != "ann" {
		t.Errorf("users %v", list)
	}
	want(t, e.withCookie(cookie, http.MethodPost, "/Auth/Signout", ""), http.StatusOK)
	wantError(t, e.withCookie(cookie, http.MethodGet, "/Users", ""), http.StatusUnauthorized,
		"User not authenticated: sign in with POST Auth/SignAppIn, or send an Authorization header.")
	wantError(t, e.as("", http.MethodPost, "/Auth/Signout", ""), http.StatusUnauthorized,
		"User not authenticated: sign in with POST Auth/SignAppIn, or send an Authorization header.")
	wantError(t, e.as("", http.MethodPost, "/Auth/SignAppIn", ""), http.StatusUnauthorized,
		"User not authenticated: sign in with POST Auth/SignAppIn, or send an Authorization header.")
	wantError(t, e.as("Bearer not-a-token", http.MethodPost, "/Auth/SignAppIn", ""), http.StatusUnauthorized,
		"User not authenticated: sign in with POST Auth/SignAppIn, or send an Authorization header.")
}

// An API account's permissions decide what it may do here: user management
// read-only reads, and an account without it is refused.
func TestAPIAccountPermissions(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	readID, readSecret := e.NewAccount(t, "reader", directory.Permissions{UserManagement: directory.AccessReadOnly})
	noneID, noneSecret := e.NewAccount(t, "pra-only", directory.Permissions{Configuration: directory.AccessFullAccess})
	reader := "Bearer " + e.token(readID, readSecret)
	want(t, e.as(reader, http.MethodGet, "/Users", ""), http.StatusOK)
	wantError(t, e.as(reader, http.MethodPost, "/Users", `{"UserName":"x"}`), http.StatusForbidden,
		"This operation requires the User Accounts Management (Read/Write) permission.")
	wantError(t, e.as(reader, http.MethodPost, "/Users/1/Quarantine", ""), http.StatusForbidden,
		"This operation requires the Password Safe API Global Quarantine (Read/Write) permission.")
	wantError(t, e.as("Bearer "+e.token(noneID, noneSecret), http.MethodGet, "/Users", ""), http.StatusForbidden,
		"This operation requires the User Accounts Management (Read) permission.")
	// A token of /oauth2/token is an API account's token too.
	want(t, e.as("Bearer "+e.AdminToken(t), http.MethodGet, "/Permissions", ""), http.StatusOK)
}

func TestApplicationUserSignIn(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	app := e.application("ci-app")
	id := int64(app["UserID"].(float64))
	clientID, secret := app["ClientID"].(string), app["ClientSecret"].(string)
	if !regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`).MatchString(clientID) {
		t.Errorf("ClientID %q is not a GUID", clientID)
	}
	if len(secret) < 36 || len(secret) > 64 {
		t.Errorf("ClientSecret has %d characters, want 36 to 64", len(secret))
	}
	tok := e.token(clientID, secret)
	cookie, me := e.signIn("Bearer " + tok)
	if me["UserId"] != float64(id) || me["UserName"] != "ci-app" || me["Name"] != "ci-app" || me["EmailAddress"] != nil {
		t.Errorf("SignAppIn answered %v", me)
	}
	if got := want(t, e.do(http.MethodGet, "/Users/"+itoa(id), ""), http.StatusOK).Object(t); got["LastLoginAuthenticationType"] != "OAuth client credentials" {
		t.Errorf("last login after sign-in: %v", got)
	}
	// In no group, it may do nothing.
	wantError(t, e.withCookie(cookie, http.MethodGet, "/Users", ""), http.StatusForbidden,
		"This operation requires the User Accounts Management (Read) permission.")
	readers := e.group("readers", 1, 0)
	e.join(id, readers)
	want(t, e.withCookie(cookie, http.MethodGet, "/Users", ""), http.StatusOK)
	want(t, e.as("Bearer "+tok, http.MethodGet, "/Users/"+itoa(id), ""), http.StatusOK)
	wantError(t, e.withCookie(cookie, http.MethodDelete, "/Users/"+itoa(id), ""), http.StatusForbidden,
		"This operation requires the User Accounts Management (Read/Write) permission.")
	// Its token opens only this face.
	if resp := e.Do(t, http.MethodGet, "/api/config/v1/user", tok, ""); resp.Status != http.StatusUnauthorized {
		t.Errorf("application token on PRA: %d", resp.Status)
	}

	// Recycling its own secret needs no permission, and ends every token
	// and session of the old one.
	resp := want(t, e.withCookie(cookie, http.MethodPost, "/Users/"+itoa(id)+"/RecycleClientSecret", ""), http.StatusOK)
	fresh, _ := resp.JSON(t).(string)
	if len(fresh) < 36 || fresh == secret {
		t.Fatalf("recycled secret %q", fresh)
	}
	want(t, e.withCookie(cookie, http.MethodGet, "/Users", ""), http.StatusUnauthorized)
	want(t, e.as("Bearer "+tok, http.MethodPost, "/Auth/SignAppIn", ""), http.StatusUnauthorized)
	if resp := e.form("/Auth/connect/token", url.Values{"grant_type": {"client_credentials"}, "client_id": {clientID},
		"client_secret": {secret}}); resp.Status != http.StatusUnauthorized {
		t.Errorf("old secret: %d %s", resp.Status, resp.Body)
	}
	e.signIn("Bearer " + e.token(clientID, fresh))

	// Another application user may not recycle it.
	other := e.application("other-app")
	otherCookie, _ := e.signIn("Bearer " + e.token(other["ClientID"].(string), other["ClientSecret"].(string)))
	want(t, e.withCookie(otherCookie, http.MethodPost, "/Users/"+itoa(id)+"/RecycleClientSecret", ""), http.StatusForbidden)

	// Quarantined, it can neither get a token nor use its session.
	want(t, e.do(http.MethodPost, "/Users/"+itoa(id)+"/Quarantine", ""), http.StatusOK)
	if resp := e.form("/Auth/connect/token", url.Values{"grant_type": {"client_credentials"}, "client_id": {clientID},
		"client_secret": {fresh}}); resp.Status != http.StatusUnauthorized {
		t.Errorf("quarantined token: %d %s", resp.Status, resp.Body)
	}
}

func TestPSAuth(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	regID, key := e.registration("scripts", false)
	if !regexp.MustCompile(`^[0-9a-f]{128}$`).MatchString(key) {
		t.Fatalf("key %q is not 128 hex characters", key)
	}
	admins := e.group("admins", 3, 3, regID)
	bob := e.localUser("bob", "bob's password", admins)
	plain := e.group("no-registration", 3, 3)
	carol := e.localUser("carol", "carol's password", plain)

	// The header works on every call, spaced or not, without a session.
	for _, h := range []string{psAuth(key, "bob"), "PS-Auth key=" + key + ";runas=bob;", "ps-auth KEY=" + key + "; RunAs=BOB"} {
		want(t, e.as(h, http.MethodGet, "/Users/"+itoa(bob), ""), http.StatusOK)
	}
	cookie, me := e.signIn(psAuth(key, "bob"))
	if me["UserId"] != float64(bob) || me["UserName"] != "bob" || me["EmailAddress"] != "bob@example.com" {
		t.Errorf("SignAppIn answered %v", me)
	}
	want(t, e.withCookie(cookie, http.MethodGet, "/Users", ""), http.StatusOK)
	got := want(t, e.do(http.MethodGet, "/Users/"+itoa(bob), ""), http.StatusOK).Object(t)
	if me["Name"] != "F" || got["LastLoginDate"] == nil || got["LastLoginAuthenticationType"] != "PS-Auth API key" ||
		got["LastLoginConfigurationName"] != "scripts" {
		t.Errorf("after sign-in: SignAppIn %v, user %v", me, got)
	}

	const unauth = "User not authenticated: sign in with POST Auth/SignAppIn, or send an Authorization header."
	app := e.application("app")
	for name, h := range map[string]string{
		"unknown key":              psAuth(strings.Repeat("ab", 64), "bob"),
		"unknown user":             psAuth(key, "nobody"),
		"no group has the key":     psAuth(key, "carol"),
		"application user":         psAuth(key, app["UserName"].(string)),
		"no runas":                 "PS-Auth key=" + key + ";",
		"no key":                   "PS-Auth runas=bob;",
		"unknown part":             "PS-Auth key=" + key + "; runas=bob; color=blue;",
		"pwd without brackets":     "PS-Auth key=" + key + "; runas=bob; pwd=secret;",
		"other scheme":             "Basic " + key,
		"text after the pwd close": "PS-Auth key=" + key + "; runas=bob; pwd=[x]y",
	} {
		t.Run(name, func(t *testing.T) {
			wantError(t, e.as(h, http.MethodPost, "/Auth/SignAppIn", ""), http.StatusUnauthorized, unauth)
		})
	}
	_ = carol

	// A registration limited to other addresses refuses this one.
	farReg, farKey := e.registration("elsewhere", false, "10.0.0.0/8")
	far := e.group("far", 3, 3, farReg)
	e.localUser("dave", "dave's password", far)
	want(t, e.as(psAuth(farKey, "dave"), http.MethodPost, "/Auth/SignAppIn", ""), http.StatusUnauthorized)

	// Quarantine refuses sign-in and ends the session already open.
	want(t, e.do(http.MethodPost, "/Users/"+itoa(bob)+"/Quarantine", ""), http.StatusOK)
	want(t, e.withCookie(cookie, http.MethodGet, "/Users", ""), http.StatusUnauthorized)
	want(t, e.as(psAuth(key, "bob"), http.MethodPost, "/Auth/SignAppIn", ""), http.StatusUnauthorized)
}

// A registration may require the run-as user's password, in brackets; the
// password may hold any character, brackets and semicolons included.
func TestPSAuthPassword(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	regID, key := e.registration("with password", true)
	g := e.group("g", 1, 0, regID)
	const pw = "p;w]d=[x] ok"
	e.localUser("erin", pw, g)
	want(t, e.as(psAuth(key, "erin")+" pwd=["+pw+"];", http.MethodPost, "/Auth/SignAppIn", ""), http.StatusOK)
	want(t, e.as("PS-Auth key="+key+";runas=erin;pwd=["+pw+"]", http.MethodGet, "/Users", ""), http.StatusOK)
	for name, h := range map[string]string{
		"no pwd":    psAuth(key, "erin"),
		"wrong pwd": psAuth(key, "erin") + " pwd=[wrong];",
		"empty pwd": psAuth(key, "erin") + " pwd=[];",
	} {
		t.Run(name, func(t *testing.T) {
			want(t, e.as(h, http.MethodPost, "/Auth/SignAppIn", ""), http.StatusUnauthorized)
		})
	}
	// Rotating the key, or deleting the registration, ends what it opened.
	cookie, _ := e.signIn(psAuth(key, "erin") + " pwd=[" + pw + "];")
	if err := e.Service().DeleteAPIRegistration(cli, regID); err != nil {
		t.Fatal(err)
	}
	want(t, e.withCookie(cookie, http.MethodGet, "/Users", ""), http.StatusUnauthorized)
}

// A session lasts while requests keep coming and ends after 20 minutes
// without one.
func TestSessionIdleExpiry(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex
	now := time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC)
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	advance := func(d time.Duration) { mu.Lock(); now = now.Add(d); mu.Unlock() }
	e := newEnv(t, testserver.WithClock(clock))
	cookie, _ := e.signIn("Bearer " + e.tok)
	for range 3 {
		advance(19 * time.Minute)
		want(t, e.withCookie(cookie, http.MethodGet, "/Permissions", ""), http.StatusOK)
	}
	advance(20 * time.Minute)
	want(t, e.withCookie(cookie, http.MethodGet, "/Permissions", ""), http.StatusUnauthorized)
	// Gone for good, even if the clock were to come back.
	advance(-20 * time.Minute)
	want(t, e.withCookie(cookie, http.MethodGet, "/Permissions", ""), http.StatusUnauthorized)
}

// A session of an API account ends when the account is disabled or its
// secret rotated; a stale cookie falls back to the Authorization header.
func TestAccountSessionRevoked(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	id, secret := e.NewAccount(t, "ops", directory.Permissions{UserManagement: directory.AccessFullAccess})
	tok := e.token(id, secret)
	cookie, _ := e.signIn("Bearer " + tok)
	want(t, e.withCookie(cookie, http.MethodGet, "/Users", ""), http.StatusOK)
	a, err := e.Service().APIAccountByClientID(cli, id)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.Service().SetAPIAccountEnabled(cli, a.ID, false); err != nil {
		t.Fatal(err)
	}
	// The poller brings the change to the cache within a poll interval.
	deadline := time.Now().Add(5 * time.Second)
	for e.withCookie(cookie, http.MethodGet, "/Users", "").Status != http.StatusUnauthorized {
		if time.Now().After(deadline) {
			t.Fatal("session of a disabled account still works")
		}
		time.Sleep(20 * time.Millisecond)
	}
	// With an admin's header as well, the dead cookie yields to the header.
	want(t, e.as("Bearer "+e.tok, http.MethodGet, "/Users", "", "Cookie", "ASP.NET_SessionId="+cookie), http.StatusOK)
}

// Paths match in any case, and a trailing slash is the same resource.
func TestPathsIgnoreCase(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	for _, p := range []string{"/BeyondTrust/api/public/v3/Permissions", "/beyondtrust/API/Public/V3/permissions",
		"/BEYONDTRUST/API/PUBLIC/V3/PERMISSIONS/"} {
		resp := e.Do(t, http.MethodGet, p, "", "", "Authorization", "Bearer "+e.tok)
		if resp.Status != http.StatusOK || len(resp.Array(t)) != 2 {
			t.Errorf("%s: %d %s", p, resp.Status, resp.Body)
		}
	}
	wantError(t, e.do(http.MethodGet, "/Nothing", ""), http.StatusNotFound, "The requested resource was not found.")
	if resp := e.Do(t, http.MethodGet, "/BeyondTrustX/api", "", ""); resp.Status != http.StatusNotFound {
		t.Errorf("a longer prefix is not this face: %d", resp.Status)
	}
}

// A PS-Auth session holds while what its sign-in checked holds: a new
// password ends it, and so does the user leaving every group that has the
// registration; a change to anything else leaves it open.
func TestUserSessionEndsWithItsSignInConditions(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	regID, key := e.registration("with password", true)
	g := e.group("g", 1, 0, regID)
	erin := e.localUser("erin", "first password", g)
	signIn := func(pw string) string {
		cookie, _ := e.signIn(psAuth(key, "erin") + " pwd=[" + pw + "];")
		return cookie
	}

	cookie := signIn("first password")
	want(t, e.do(http.MethodPut, "/Users/"+itoa(erin), `{"UserName":"erin","FirstName":"Erin","EmailAddress":"erin@example.com"}`), http.StatusOK)
	want(t, e.withCookie(cookie, http.MethodGet, "/Users", ""), http.StatusOK)

	want(t, e.do(http.MethodPut, "/Users/"+itoa(erin),
		`{"UserName":"erin","FirstName":"Erin","EmailAddress":"erin@example.com","Password":"second password"}`), http.StatusOK)
	want(t, e.withCookie(cookie, http.MethodGet, "/Users", ""), http.StatusUnauthorized)

	cookie = signIn("second password")
	want(t, e.withCookie(cookie, http.MethodGet, "/Users", ""), http.StatusOK)
	want(t, e.do(http.MethodDelete, "/Users/"+itoa(erin)+"/UserGroups/"+itoa(g), ""), http.StatusOK)
	want(t, e.withCookie(cookie, http.MethodGet, "/Users", ""), http.StatusUnauthorized)
}
