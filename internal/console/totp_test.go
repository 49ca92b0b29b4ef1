package console_test

import (
	"bytes"
	"context"
	"image/png"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"

	"github.com/gatehouse/gatehouse/internal/directory"
	"github.com/gatehouse/gatehouse/internal/testserver"
)

var totpKey = regexp.MustCompile(`<code class="secret">([A-Z2-7]+)</code>`)

func code(t *testing.T, secret string, at time.Time) string {
	t.Helper()
	c, err := totp.GenerateCodeCustom(secret, at, totp.ValidateOpts{Period: 30, Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// TestTOTPEnrolAndVerify: an administrator whose two_factor_required is
// set enrols at the first sign-in (QR code and key, confirmed by a code)
// and gives a code at every later one. Until then the session reaches
// nothing but the code page. A code is accepted once.
func TestTOTPEnrolAndVerify(t *testing.T) {
	clk := newClock()
	srv := testserver.New(t, testserver.WithClock(clk.Now))
	newAdmin(t, srv, "root", true)
	b := newBrowser(t, srv)
	p := b.signIn("root", adminPassword)
	if p.location() != "/console/totp?next=%2Fconsole%2F" {
		t.Fatalf("sign-in redirects to %q", p.location())
	}
	for _, path := range []string{"/console/", "/console/users"} {
		p := b.get(path)
		if p.Status != http.StatusSeeOther || p.location() != "/console/totp" {
			t.Fatalf("%s before the code: %d to %q", path, p.Status, p.location())
		}
	}
	p = b.get("/console/totp")
	wantStatus(t, "enrolment", p, http.StatusOK)
	wantBody(t, "enrolment", p, "Set up two-factor sign-in", `src="/console/totp/qr.png"`, `alt="QR code`)
	secret := totpKey.FindStringSubmatch(p.Body)[1]
	if again := totpKey.FindStringSubmatch(b.get("/console/totp").Body)[1]; again != secret {
		t.Fatal("reloading the enrolment page made another key")
	}

	qr := b.get("/console/totp/qr.png")
	wantStatus(t, "QR code", qr, http.StatusOK)
	if qr.Header.Get("Content-Type") != "image/png" || qr.Header.Get("Cache-Control") != "no-store" {
		t.Fatalf("QR code headers %v", qr.Header)
	}
	if _, err := png.Decode(bytes.NewReader([]byte(qr.Body))); err != nil {
		t.Fatalf("QR code is not a PNG: %v", err)
	}
	other := newBrowser(t, srv)
	if p := other.get("/console/totp/qr.png"); p.Status != http.StatusSeeOther {
		t.Fatalf("QR code without a session: %d", p.Status)
	}

	for _, bad := range []string{"", "12345", "abcdef", strings.Repeat("9", 100)} {
		p := b.post("/console/totp", url.Values{"code": {bad}})
		wantStatus(t, "code "+bad, p, http.StatusUnprocessableEntity)
		wantBody(t, "code "+bad, p, "The code is incorrect or was used already", `aria-invalid="true"`)
	}
	// Four wrong codes so far count towards the lock-out; a right one
	// ends the count.
	c := code(t, secret, clk.Now())
	p = b.post("/console/totp", url.Values{"code": {c[:3] + " " + c[3:]}, "next": {"/console/users"}})
	wantStatus(t, "right code", p, http.StatusSeeOther)
	if p.location() != "/console/users" {
		t.Fatalf("code redirects to %q", p.location())
	}
	wantStatus(t, "users after the code", b.get("/console/users"), http.StatusOK)
	if p := b.get("/console/totp/qr.png"); p.Status != http.StatusNotFound {
		t.Fatalf("QR code after enrolment: %d", p.Status)
	}

	// The next sign-in asks for a code, and no more QR code; the code
	// just used is refused.
	b2 := newBrowser(t, srv)
	b2.signIn("root", adminPassword)
	p = b2.get("/console/totp")
	wantBody(t, "verification", p, "Enter your code")
	if totpKey.MatchString(p.Body) {
		t.Fatal("the key is shown after enrolment")
	}
	if p := b2.get("/console/totp/qr.png"); p.Status != http.StatusNotFound {
		t.Fatalf("QR code after enrolment: %d", p.Status)
	}
	wantStatus(t, "replayed code", b2.post("/console/totp", url.Values{"code": {c}}), http.StatusUnprocessableEntity)
	clk.advance(30 * time.Second)
	wantStatus(t, "next code", b2.post("/console/totp", url.Values{"code": {code(t, secret, clk.Now())}}), http.StatusSeeOther)
	wantStatus(t, "signed in", b2.get("/console/"), http.StatusOK)
}

// wrongCode is a six-digit code other than c.
func wrongCode(c string) string {
	if c == "000000" {
		return "111111"
	}
	return "000000"
}

// TestTOTPPendingSession: a session waiting for its code ends after five
// minutes, and its forms need the CSRF token too.
func TestTOTPPendingSession(t *testing.T) {
	clk := newClock()
	srv := testserver.New(t, testserver.WithClock(clk.Now))
	newAdmin(t, srv, "root", true)
	b := newBrowser(t, srv)
	b.signIn("root", adminPassword)
	p := b.get("/console/totp")
	secret := totpKey.FindStringSubmatch(p.Body)[1]
	wantStatus(t, "forged code form", b.post("/console/totp", url.Values{"code": {code(t, secret, clk.Now())}, "csrf": {"x"}}),
		http.StatusForbidden)
	clk.advance(5 * time.Minute)
	p = b.post("/console/totp", url.Values{"code": {code(t, secret, clk.Now())}})
	wantStatus(t, "code after five minutes", p, http.StatusUnauthorized)
	if p := b.get("/console/totp"); p.Status != http.StatusSeeOther || !strings.HasPrefix(p.location(), "/console/signin") {
		t.Fatalf("code page after expiry: %d %q", p.Status, p.location())
	}
}

// TestTOTPLockout: wrong codes lock the address out as wrong passwords
// do; then even the right code is refused.
func TestTOTPLockout(t *testing.T) {
	clk := newClock()
	srv := testserver.New(t, testserver.WithClock(clk.Now))
	newAdmin(t, srv, "root", true)
	b := newBrowser(t, srv)
	b.signIn("root", adminPassword)
	secret := totpKey.FindStringSubmatch(b.get("/console/totp").Body)[1]
	for range 5 {
		b.post("/console/totp", url.Values{"code": {wrongCode(code(t, secret, clk.Now()))}})
	}
	p := b.post("/console/totp", url.Values{"code": {code(t, secret, clk.Now())}})
	wantStatus(t, "right code while locked out", p, http.StatusUnprocessableEntity)
}

// TestTOTPReset: after `gatehouse user reset-second-factor` the next
// sign-in enrols a new key; no one but the command line may reset an
// administrator's.
func TestTOTPReset(t *testing.T) {
	clk := newClock()
	srv := testserver.New(t, testserver.WithClock(clk.Now))
	root := newAdmin(t, srv, "root", true)
	b := newBrowser(t, srv)
	b.signIn("root", adminPassword)
	first := totpKey.FindStringSubmatch(b.get("/console/totp").Body)[1]
	wantStatus(t, "enrol", b.post("/console/totp", url.Values{"code": {code(t, first, clk.Now())}}), http.StatusSeeOther)

	asUser := directory.WithActor(context.Background(), directory.Actor{Kind: directory.ActorUser, ID: root.ID, Name: "root"})
	if err := srv.Service().ResetSecondFactor(asUser, root.ID); !directory.IsKind(err, directory.KindForbidden) {
		t.Fatalf("reset by a user: %v, want forbidden", err)
	}
	asCLI := directory.WithActor(context.Background(), directory.Actor{Kind: directory.ActorCLI})
	if err := srv.Service().ResetSecondFactor(asCLI, root.ID); err != nil {
		t.Fatal(err)
	}
	b2 := newBrowser(t, srv)
	b2.signIn("root", adminPassword)
	p := b2.get("/console/totp")
	wantBody(t, "enrolment after the reset", p, "Set up two-factor sign-in")
	if second := totpKey.FindStringSubmatch(p.Body)[1]; second == first {
		t.Fatal("the reset kept the old key")
	}
	events, err := srv.Service().Audit(asCLI, directory.AuditFilter{Action: "user.second_factor.reset", Limit: 10})
	if err != nil || len(events.Items) != 1 || events.Items[0].TargetID != root.ID || strings.Contains(string(events.Items[0].After), first) {
		t.Fatalf("audit of the reset: %+v, %v", events.Items, err)
	}
}
