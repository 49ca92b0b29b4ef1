package console_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/gatehouse/gatehouse/internal/directory"
	"github.com/gatehouse/gatehouse/internal/testserver"
)

var (
	accountLink  = regexp.MustCompile(`href="(/console/accounts/\d+)/rotate"`)
	clientIDText = regexp.MustCompile(`Client id: <code>([0-9a-f]+)</code>`)
	secretText   = regexp.MustCompile(`<code class="secret" id="secret-value">([^<]+)</code>`)
)

// tokenStatus asks the token endpoint for a token with the credentials.
func tokenStatus(t *testing.T, srv *testserver.Server, clientID, secret string) int {
	t.Helper()
	form := url.Values{"grant_type": {"client_credentials"}, "client_id": {clientID}, "client_secret": {secret}}.Encode()
	return srv.Do(t, http.MethodPost, "/oauth2/token", "", form, "Content-Type", "application/x-www-form-urlencoded").Status
}

func wantToken(t *testing.T, srv *testserver.Server, what, clientID, secret string, status int) {
	t.Helper()
	if got := tokenStatus(t, srv, clientID, secret); got != status {
		t.Fatalf("%s: token request answered %d, want %d", what, got, status)
	}
}

// createAccount creates an API account through the form and returns its
// page's path, client id and the secret shown once.
func (b *browser) createAccount(form url.Values) (path, clientID, secret string) {
	b.t.Helper()
	b.get("/console/accounts/new")
	p := b.post("/console/accounts", form)
	wantStatus(b.t, "create account", p, http.StatusOK)
	wantBody(b.t, "created account", p, "created.", "shown only this once", `data-copy="secret-value"`)
	if p.Header.Get("Cache-Control") != "no-store" {
		b.t.Fatalf("the secret's page may be cached: %q", p.Header.Get("Cache-Control"))
	}
	path, clientID, secret = accountLink.FindStringSubmatch(p.Body)[1], clientIDText.FindStringSubmatch(p.Body)[1], secretText.FindStringSubmatch(p.Body)[1]
	return path, clientID, secret
}

var lastUsed = regexp.MustCompile(`<dt>Last used</dt><dd>\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC \(its last token\)</dd>`)

// TestAccountsLifecycle creates an API account whose secret works once
// shown, edits its permissions, rotates the secret (the old one stops
// working, the new one works), disables and enables it, and shows its
// lock-out after wrong secrets until an administrator unlocks it.
func TestAccountsLifecycle(t *testing.T) {
	srv, b := signedIn(t)
	path, clientID, secret := b.createAccount(url.Values{"name": {"ci"}, "comments": {"the CI's account"},
		"configuration": {"read_only"}, "user_management": {"deny"}, "scim": {"true"}, "ip_addresses": {"10.0.0.0/8\n127.0.0.1"}})
	wantToken(t, srv, "token with the secret shown", clientID, secret, http.StatusOK)

	p := b.get(path)
	wantStatus(t, "account page", p, http.StatusOK)
	wantBody(t, "account page", p, "<h1>ci</h1>", "the CI&#39;s account", "<dd>read_only</dd>", "<dd>deny</dd>", "10.0.0.0/8<br>127.0.0.1",
		"<dt>Tokens issued</dt><dd>1</dd>", "api_account.create")
	if !lastUsed.MatchString(p.Body) {
		t.Fatal("the account's page does not show when its token was issued")
	}
	if strings.Contains(p.Body, secret) {
		t.Fatal("the account's page shows the secret again")
	}
	wantBody(t, "list", b.get("/console/accounts?name=C"), ">ci</a>", clientID, "Showing 1–1")

	p = b.get(path + "/edit")
	wantBody(t, "edit page", p, `value="ci"`, `<option value="read_only" selected>`, "10.0.0.0/8\n127.0.0.1</textarea>")
	p = b.post(path+"/edit", url.Values{"name": {"ci-bot"}, "configuration": {"full_access"}, "user_management": {"read_only"}, "ip_addresses": {""}})
	wantStatus(t, "edit", p, http.StatusSeeOther)
	wantBody(t, "edited", b.get(path), "API account ci-bot saved.", "<h1>ci-bot</h1>", "<dd>full_access</dd>", "<dt>Allowed sources</dt><dd>any</dd>", "api_account.update")
	wantToken(t, srv, "token after edit", clientID, secret, http.StatusOK)

	p = b.get(path + "/rotate")
	wantBody(t, "rotate page", p, "Rotate the secret of ci-bot?")
	p = b.post(path+"/rotate", url.Values{})
	wantStatus(t, "rotate", p, http.StatusOK)
	wantBody(t, "rotated", p, "The secret of ci-bot was rotated", "shown only this once")
	rotated := secretText.FindStringSubmatch(p.Body)[1]
	if rotated == secret {
		t.Fatal("the secret did not change")
	}
	wantToken(t, srv, "old secret", clientID, secret, http.StatusUnauthorized)
	wantToken(t, srv, "new secret", clientID, rotated, http.StatusOK)
	wantBody(t, "rotated history", b.get(path), "api_account.rotate_secret")

	wantStatus(t, "disable", b.post(path+"/enabled", url.Values{"enabled": {"false"}}), http.StatusSeeOther)
	wantBody(t, "disabled", b.get(path), "disabled: its tokens are revoked.", "<dd>disabled</dd>")
	if tokenStatus(t, srv, clientID, rotated) == http.StatusOK {
		t.Fatal("a disabled account got a token")
	}
	wantStatus(t, "enable", b.post(path+"/enabled", url.Values{"enabled": {"true"}}), http.StatusSeeOther)
	wantBody(t, "enabled", b.get(path), "API account ci-bot enabled.")
	wantToken(t, srv, "token when enabled", clientID, rotated, http.StatusOK)

	// Five wrong secrets lock this source out, even with the right one.
	for range 5 {
		tokenStatus(t, srv, clientID, "wrong secret wrong secret wrong secret")
	}
	if tokenStatus(t, srv, clientID, rotated) == http.StatusOK {
		t.Fatal("a locked-out source got a token")
	}
	p = b.get(path)
	wantBody(t, "locked", p, "<dt>Locked out</dt><dd>until ", `action="`+path+`/unlock"`)
	wantBody(t, "locked in the list", b.get("/console/accounts"), "locked out</span>")
	wantStatus(t, "unlock", b.post(path+"/unlock", url.Values{}), http.StatusSeeOther)
	p = b.get(path)
	wantBody(t, "unlocked", p, "unlocked: no address is locked out of it now.", "<dt>Locked out</dt><dd>no</dd>", "api_account.unlock")
	wantToken(t, srv, "token after unlock", clientID, rotated, http.StatusOK)

	a, err := srv.Service().APIAccountByClientID(context.Background(), clientID)
	if err != nil || a.Name != "ci-bot" || a.Perms.UserManagement != directory.AccessReadOnly || a.Perms.SCIM {
		t.Fatalf("stored account %+v %v", a, err)
	}
}

// TestAccountFormErrors shows the directory's messages beside their
// fields, keeping what was typed; bad ids are not found.
func TestAccountFormErrors(t *testing.T) {
	srv, b := signedIn(t)
	path, _, _ := b.createAccount(url.Values{"name": {"taken"}, "configuration": {"deny"}, "user_management": {"deny"}})
	b.get("/console/accounts/new")
	for _, tc := range []struct {
		name string
		form url.Values
		want []string
	}{
		{"empty name", url.Values{"name": {""}, "comments": {"kept"}}, []string{"The given data was invalid.", "name field is required", ">kept</textarea>"}},
		{"taken name", url.Values{"name": {"TAKEN"}}, []string{"name has already been taken"}},
		{"bad access", url.Values{"name": {"x"}, "configuration": {"everything"}}, []string{"permissions must be deny, read_only or full_access"}},
		{"bad address", url.Values{"name": {"x"}, "ip_addresses": {"10.0.0.0/33"}}, []string{"ip_addresses must be IP addresses or CIDR prefixes", "10.0.0.0/33</textarea>"}},
		{"long comments", url.Values{"name": {"x"}, "comments": {strings.Repeat("c", 4097)}}, []string{"comments may not be greater than 4096 characters"}},
	} {
		p := b.post("/console/accounts", tc.form)
		wantStatus(t, tc.name, p, http.StatusUnprocessableEntity)
		wantBody(t, tc.name, p, tc.want...)
		if strings.Contains(p.Body, "secret-value") {
			t.Fatalf("%s: a refused form shows a secret", tc.name)
		}
	}
	b.get(path + "/edit")
	p := b.post(path+"/edit", url.Values{"name": {""}, "configuration": {"deny"}, "user_management": {"deny"}})
	wantStatus(t, "edit without a name", p, http.StatusUnprocessableEntity)
	wantBody(t, "edit without a name", p, "name field is required")
	for _, p := range []string{"/console/accounts/abc", "/console/accounts/0", "/console/accounts/99999999", "/console/accounts/99999999/rotate"} {
		wantStatus(t, p, b.get(p), http.StatusNotFound)
	}
	for _, path := range []string{"/console/accounts/99999999/rotate", "/console/accounts/99999999/unlock", "/console/accounts/x/enabled"} {
		wantStatus(t, path, b.post(path, url.Values{}), http.StatusNotFound)
	}
	for _, q := range []string{"page=0", "per_page=1000", "name=" + strings.Repeat("a", 256)} {
		wantStatus(t, q, b.get("/console/accounts?"+q), http.StatusUnprocessableEntity)
	}
	if n, _ := srv.Service().APIAccounts(context.Background(), directory.Query{}); n.Total != 2 { // the bootstrap account and taken
		t.Fatalf("%d accounts after refused forms", n.Total)
	}
}
