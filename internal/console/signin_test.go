package console_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/gatehouse/gatehouse/internal/testserver"
)

// TestSignIn signs an administrator in, shows the overview with its
// security headers and signs out, after which the session is gone.
func TestSignIn(t *testing.T) {
	srv := testserver.New(t)
	newAdmin(t, srv, "root", false)
	b := newBrowser(t, srv)

	p := b.get("/console/")
	wantStatus(t, "overview signed out", p, http.StatusSeeOther)
	if p.location() != "/console/signin?next=%2Fconsole%2F" {
		t.Fatalf("redirect to %q", p.location())
	}
	p = b.get("/console/signin")
	wantStatus(t, "sign-in page", p, http.StatusOK)
	wantBody(t, "sign-in page", p, `<label for="f-username">`, `<main id="main"`, `lang="en"`)

	p = b.post("/console/signin", url.Values{"username": {"root"}, "password": {adminPassword}, "next": {"/console/"}})
	wantStatus(t, "sign-in", p, http.StatusSeeOther)
	if p.location() != "/console/" {
		t.Fatalf("sign-in redirects to %q", p.location())
	}
	ck := p.Header.Get("Set-Cookie")
	for _, attr := range []string{"gatehouse_console=", "Path=/console/", "HttpOnly", "SameSite=Strict"} {
		if !strings.Contains(ck, attr) {
			t.Fatalf("session cookie %q lacks %s", ck, attr)
		}
	}
	if strings.Contains(ck, "Secure") {
		t.Fatalf("session cookie %q is Secure over plain HTTP", ck)
	}

	p = b.get("/console/")
	wantStatus(t, "overview", p, http.StatusOK)
	wantBody(t, "overview", p, "<h1>Overview</h1>", "Signed in as <strong>root</strong>", `aria-current="page"`)
	for name, want := range map[string]string{
		"Content-Security-Policy": "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
		"X-Content-Type-Options":  "nosniff",
		"Referrer-Policy":         "no-referrer",
		"Cache-Control":           "no-store",
	} {
		if got := p.Header.Get(name); got != want {
			t.Fatalf("%s: %q, want %q", name, got, want)
		}
	}

	p = b.post("/console/signout", url.Values{})
	wantStatus(t, "sign-out", p, http.StatusSeeOther)
	p = b.get("/console/")
	wantStatus(t, "overview after sign-out", p, http.StatusSeeOther)
}

// TestSignInTwoTabs: sign-in pages opened one after the other share their
// token, so the first still signs in.
func TestSignInTwoTabs(t *testing.T) {
	srv := testserver.New(t)
	newAdmin(t, srv, "root", false)
	b := newBrowser(t, srv)
	b.get("/console/signin")
	first := b.csrf
	b.get("/console/signin")
	p := b.post("/console/signin", url.Values{"username": {"root"}, "password": {adminPassword}, "csrf": {first}})
	wantStatus(t, "sign-in from the first tab", p, http.StatusSeeOther)
}
