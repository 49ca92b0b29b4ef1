package console_test

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/gatehouse/gatehouse/internal/directory"
	"github.com/gatehouse/gatehouse/internal/testserver"
)

// TestSignInRefusals: a wrong password, an unknown user, a user who is not
// an administrator and a disabled administrator get one message, and
// missing fields are named.
func TestSignInRefusals(t *testing.T) {
	srv := testserver.New(t)
	newAdmin(t, srv, "root", false)
	off := newAdmin(t, srv, "off", false)
	ctx := directory.WithActor(context.Background(), directory.Actor{Kind: directory.ActorCLI})
	if _, err := srv.Service().UpdateUser(ctx, off.ID, directory.UserChange{Enabled: directory.To(false)}, 0); err != nil {
		t.Fatal(err)
	}
	if _, err := srv.Service().CreateUser(ctx, directory.NewUser{UserChange: directory.UserChange{
		Username: directory.To("plain"), Password: directory.To(adminPassword)}}); err != nil {
		t.Fatal(err)
	}
	b := newBrowser(t, srv)
	for _, tc := range [][2]string{{"root", "wrong password"}, {"nobody", adminPassword}, {"plain", adminPassword},
		{"off", adminPassword}, {"root\x00", adminPassword}, {strings.Repeat("r", 300), adminPassword}} {
		b.get("/console/signin")
		p := b.post("/console/signin", url.Values{"username": {tc[0]}, "password": {tc[1]}})
		wantStatus(t, "sign-in of "+tc[0], p, http.StatusUnauthorized)
		wantBody(t, "sign-in of "+tc[0], p, "The username or password is incorrect")
		if strings.Contains(p.Header.Get("Set-Cookie"), "gatehouse_console=") {
			t.Fatalf("refused sign-in of %q set a session", tc[0])
		}
	}
	b.get("/console/signin")
	p := b.post("/console/signin", url.Values{"username": {""}, "password": {""}})
	wantStatus(t, "empty sign-in", p, http.StatusUnprocessableEntity)
	wantBody(t, "empty sign-in", p, "username field is required", "password field is required")
}

// TestSignInCSRF: the sign-in form needs its cookie's token, and every
// signed-in form the session's; a form posted from another origin is
// refused whatever it carries.
func TestSignInCSRF(t *testing.T) {
	srv := testserver.New(t)
	newAdmin(t, srv, "root", false)
	b := newBrowser(t, srv)
	p := b.post("/console/signin", url.Values{"username": {"root"}, "password": {adminPassword}, "csrf": {"forged"}})
	wantStatus(t, "sign-in without the form's cookie", p, http.StatusForbidden)
	b.get("/console/signin")
	p = b.post("/console/signin", url.Values{"username": {"root"}, "password": {adminPassword}, "csrf": {"forged"}})
	wantStatus(t, "sign-in with a forged token", p, http.StatusForbidden)
	p = b.post("/console/signin", url.Values{"username": {"root"}, "password": {adminPassword}},
		"Origin", "https://evil.example")
	wantStatus(t, "sign-in from another origin", p, http.StatusForbidden)
	p = b.post("/console/signin", url.Values{"username": {"root"}, "password": {adminPassword}},
		"Sec-Fetch-Site", "cross-site")
	wantStatus(t, "sign-in from another site", p, http.StatusForbidden)

	b.signIn("root", adminPassword)
	b.get("/console/users/new")
	for name, tc := range map[string]struct {
		form   url.Values
		header []string
	}{
		"no token":      {url.Values{"username": {"x1"}, "csrf": {""}}, nil},
		"wrong token":   {url.Values{"username": {"x2"}, "csrf": {"AAAA"}}, nil},
		"other origin":  {url.Values{"username": {"x3"}}, []string{"Origin", "http://evil.example"}},
		"cross-site":    {url.Values{"username": {"x4"}}, []string{"Sec-Fetch-Site", "cross-site"}},
		"bad origin":    {url.Values{"username": {"x5"}}, []string{"Origin", "::"}},
		"null origin":   {url.Values{"username": {"x6"}}, []string{"Origin", "null"}},
		"sign-out form": {url.Values{"csrf": {"AAAA"}}, nil},
	} {
		path := "/console/users"
		if name == "sign-out form" {
			path = "/console/signout"
		}
		p := b.post(path, tc.form, tc.header...)
		wantStatus(t, name, p, http.StatusForbidden)
		wantBody(t, name, p, "did not come from this console")
	}
	if _, err := srv.Service().UserByName(context.Background(), "x1"); err == nil {
		t.Fatal("a forged form created a user")
	}
	// Still signed in: the refusals ended nothing.
	wantStatus(t, "overview", b.get("/console/"), http.StatusOK)
	p = b.post("/console/users", url.Values{"username": {"same-origin"}}, "Origin", srv.URL, "Sec-Fetch-Site", "same-origin")
	wantStatus(t, "same-origin form", p, http.StatusSeeOther)
	b.get("/console/users/new")
	p = b.post("/console/users", url.Values{"username": {"no-referrer"}}, "Origin", "null", "Sec-Fetch-Site", "same-origin")
	wantStatus(t, "same-origin form under no-referrer", p, http.StatusSeeOther)
}

// TestSessionExpiry: a session ends after 30 idle minutes, and after 12
// hours however busy; requests in between keep it.
func TestSessionExpiry(t *testing.T) {
	clk := newClock()
	srv := testserver.New(t, testserver.WithClock(clk.Now))
	newAdmin(t, srv, "root", false)
	b := newBrowser(t, srv)
	b.signIn("root", adminPassword)
	clk.advance(29 * time.Minute)
	wantStatus(t, "after 29 idle minutes", b.get("/console/"), http.StatusOK)
	clk.advance(30*time.Minute + time.Second)
	p := b.get("/console/users")
	wantStatus(t, "after 30 idle minutes", p, http.StatusSeeOther)
	if p.location() != "/console/signin?next=%2Fconsole%2Fusers" {
		t.Fatalf("expired session redirects to %q", p.location())
	}
	wantStatus(t, "expired again", b.get("/console/"), http.StatusSeeOther)

	b.signIn("root", adminPassword)
	for range 24 {
		clk.advance(29 * time.Minute)
		wantStatus(t, "busy session", b.get("/console/"), http.StatusOK)
	}
	clk.advance(29 * time.Minute) // 12h05 since sign-in
	wantStatus(t, "after 12 hours", b.get("/console/"), http.StatusSeeOther)

	// A form posted after expiry says so rather than redirecting.
	b.signIn("root", adminPassword)
	b.get("/console/users/new")
	clk.advance(31 * time.Minute)
	p = b.post("/console/users", url.Values{"username": {"late"}})
	wantStatus(t, "form after expiry", p, http.StatusUnauthorized)
	wantBody(t, "form after expiry", p, "Your session has ended")
}

// TestSessionEndsWithTheAdministrator: a password change, a disabled or
// deleted user, or losing perm_admin ends the session at its next request.
func TestSessionEndsWithTheAdministrator(t *testing.T) {
	srv := testserver.New(t)
	ctx := directory.WithActor(context.Background(), directory.Actor{Kind: directory.ActorCLI})
	for name, change := range map[string]func(u directory.User) error{
		"password": func(u directory.User) error {
			_, err := srv.Service().UpdateUser(ctx, u.ID, directory.UserChange{Password: directory.To("another long password")}, 0)
			return err
		},
		"disabled": func(u directory.User) error {
			_, err := srv.Service().UpdateUser(ctx, u.ID, directory.UserChange{Enabled: directory.To(false)}, 0)
			return err
		},
		"deleted": func(u directory.User) error { return srv.Service().DeleteUser(ctx, u.ID) },
	} {
		u := newAdmin(t, srv, "admin-"+name, false)
		b := newBrowser(t, srv)
		b.signIn(u.Username, adminPassword)
		wantStatus(t, name+" before", b.get("/console/"), http.StatusOK)
		if err := change(u); err != nil {
			t.Fatal(err)
		}
		wantStatus(t, name+" after", b.get("/console/"), http.StatusSeeOther)
	}
}

// TestSignInLockout: five wrong passwords from one address lock that
// address out, even with the right password after; the lock is the token
// endpoint's, for LockoutDuration.
func TestSignInLockout(t *testing.T) {
	clk := newClock()
	var logs syncBuffer
	srv := testserver.New(t, testserver.WithClock(clk.Now), testserver.WithLogger(slog.New(slog.NewTextHandler(&logs, nil))))
	newAdmin(t, srv, "root", false)
	b := newBrowser(t, srv)
	for i := range 5 {
		b.get("/console/signin")
		p := b.post("/console/signin", url.Values{"username": {"root"}, "password": {fmt.Sprint("wrong ", i)}})
		wantStatus(t, "wrong password", p, http.StatusUnauthorized)
	}
	b.get("/console/signin")
	p := b.post("/console/signin", url.Values{"username": {"root"}, "password": {adminPassword}})
	wantStatus(t, "right password while locked out", p, http.StatusUnauthorized)
	wantBody(t, "locked out", p, "sign-in is locked for a while")
	clk.advance(16 * time.Minute)
	b.signIn("root", adminPassword)
	out := logs.String()
	if !strings.Contains(out, "user's console sign-ins locked out for a source") || !strings.Contains(out, "console: sign-in refused") {
		t.Fatalf("the lock-out is not logged:\n%s", out)
	}
	for _, secret := range []string{adminPassword, "wrong 0"} {
		if strings.Contains(out, secret) {
			t.Fatalf("the log holds the password %q:\n%s", secret, out)
		}
	}
}

// TestNextIsLocal: sign-in goes back to the console page asked for, and
// never to another site.
func TestNextIsLocal(t *testing.T) {
	srv := testserver.New(t)
	newAdmin(t, srv, "root", false)
	for next, want := range map[string]string{
		"/console/users?page=2": "/console/users?page=2",
		"https://evil.example/": "/console/",
		"//evil.example/":       "/console/",
		"/console//evil":        "/console/evil", // cleaned by http.Redirect
		"/elsewhere":            "/console/",
		"/console/\\evil":       "/console/",
	} {
		b := newBrowser(t, srv)
		b.get("/console/signin")
		p := b.post("/console/signin", url.Values{"username": {"root"}, "password": {adminPassword}, "next": {next}})
		if p.location() != want {
			t.Fatalf("next %q: redirect to %q, want %q", next, p.location(), want)
		}
	}
}

// TestStaticAssets: the assets are served with a content-versioned URL
// for a year, and nothing outside them.
func TestStaticAssets(t *testing.T) {
	srv := testserver.New(t)
	newAdmin(t, srv, "root", false)
	b := newBrowser(t, srv)
	page := b.get("/console/signin")
	css := cssLink.FindStringSubmatch(page.Body)
	if css == nil {
		t.Fatalf("no stylesheet link in %s", page.Body)
	}
	p := b.get(css[1])
	wantStatus(t, "stylesheet", p, http.StatusOK)
	if cc := p.Header.Get("Cache-Control"); cc != "public, max-age=31536000, immutable" {
		t.Fatalf("stylesheet Cache-Control %q", cc)
	}
	if ct := p.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/css") {
		t.Fatalf("stylesheet Content-Type %q", ct)
	}
	p = b.get("/console/static/old/console.css")
	wantStatus(t, "stylesheet of another version", p, http.StatusOK)
	if cc := p.Header.Get("Cache-Control"); cc != "no-cache" {
		t.Fatalf("old version Cache-Control %q", cc)
	}
	for _, path := range []string{"/console/static/x/nothing.css", "/console/static/x", "/console/static/x/a/b.css"} {
		if p := b.get(path); p.Status != http.StatusNotFound {
			t.Fatalf("%s: %d", path, p.Status)
		}
	}
}
