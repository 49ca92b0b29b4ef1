package console_test

import (
	"context"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gatehouse/gatehouse/internal/directory"
	"github.com/gatehouse/gatehouse/internal/testserver"
)

// clock is a test server's time, moved by the test.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *clock) advance(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
}

func newClock() *clock { return &clock{now: time.Now()} }

// adminPassword is every test administrator's password.
const adminPassword = "correct horse battery staple"

// newAdmin creates an administrator as `gatehouse user create --admin`
// does.
func newAdmin(t testing.TB, srv *testserver.Server, name string, twoFactor bool) directory.User {
	t.Helper()
	ctx := directory.WithActor(context.Background(), directory.Actor{Kind: directory.ActorCLI})
	u, err := srv.Service().CreateUser(ctx, directory.NewUser{Admin: true, UserChange: directory.UserChange{
		Username: directory.To(name), Password: directory.To(adminPassword), TwoFactorRequired: directory.To(twoFactor)}})
	if err != nil {
		t.Fatalf("create administrator %s: %v", name, err)
	}
	return u
}

// browser is one browser's cookies against the console. It does not
// follow redirects, so that tests see them.
type browser struct {
	t    testing.TB
	srv  *testserver.Server
	c    *http.Client
	csrf string // the token of the last page that had a form
}

func newBrowser(t testing.TB, srv *testserver.Server) *browser {
	jar, _ := cookiejar.New(nil)
	return &browser{t: t, srv: srv, c: &http.Client{Jar: jar,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

// page is a response with its body as text.
type page struct {
	Status int
	Header http.Header
	Body   string
}

func (p *page) location() string { return p.Header.Get("Location") }

var csrfField = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

func (b *browser) do(req *http.Request) *page {
	b.t.Helper()
	resp, err := b.c.Do(req)
	if err != nil {
		b.t.Fatalf("%s %s: %v", req.Method, req.URL, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		b.t.Fatal(err)
	}
	p := &page{Status: resp.StatusCode, Header: resp.Header, Body: string(body)}
	if m := csrfField.FindStringSubmatch(p.Body); m != nil {
		b.csrf = m[1]
	}
	return p
}

func (b *browser) get(path string) *page {
	b.t.Helper()
	req, err := http.NewRequest(http.MethodGet, b.srv.URL+path, nil)
	if err != nil {
		b.t.Fatal(err)
	}
	return b.do(req)
}

// post sends a form with the last page's CSRF token unless form has one;
// header holds name, value pairs.
func (b *browser) post(path string, form url.Values, header ...string) *page {
	b.t.Helper()
	if _, ok := form["csrf"]; !ok && b.csrf != "" {
		form.Set("csrf", b.csrf)
	}
	req, err := http.NewRequest(http.MethodPost, b.srv.URL+path, strings.NewReader(form.Encode()))
	if err != nil {
		b.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	return b.do(req)
}

// signIn signs in with a password, failing the test unless it is taken.
func (b *browser) signIn(name, password string) *page {
	b.t.Helper()
	b.get("/console/signin")
	p := b.post("/console/signin", url.Values{"username": {name}, "password": {password}})
	if p.Status != http.StatusSeeOther {
		b.t.Fatalf("sign-in of %s: %d %s", name, p.Status, p.Body)
	}
	return p
}

// wantStatus fails the test unless p has the status.
func wantStatus(t testing.TB, what string, p *page, status int) {
	t.Helper()
	if p.Status != status {
		t.Fatalf("%s: status %d, want %d; body:\n%s", what, p.Status, status, p.Body)
	}
}

func wantBody(t testing.TB, what string, p *page, parts ...string) {
	t.Helper()
	for _, s := range parts {
		if !strings.Contains(p.Body, s) {
			t.Fatalf("%s: body lacks %q:\n%s", what, s, p.Body)
		}
	}
}

var cssLink = regexp.MustCompile(`<link rel="stylesheet" href="([^"]+)">`)

// syncBuffer is a log destination the server's goroutines may share.
type syncBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}
