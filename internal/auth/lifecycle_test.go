package auth_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"testing"
	"time"

	"github.com/gatehouse/gatehouse/internal/auth"
	"github.com/gatehouse/gatehouse/internal/directory"
)

func errorsAs(err error, target any) bool { return errors.As(err, target) }

var cli = directory.WithActor(context.Background(), directory.Actor{Kind: directory.ActorCLI})

func TestBearerParsing(t *testing.T) {
	e := newEnv(t, auth.Config{})
	a, secret := e.account(t, directory.NewAPIAccount{})
	tok := e.issue(t, a.ClientID, secret)
	for _, tc := range []struct {
		header string
		ok     bool
	}{
		{"Bearer " + tok, true},
		{"bearer " + tok, true},
		{"BEARER  " + tok, true},
		{"", false},
		{"Bearer", false},
		{"Bearer ", false},
		{"Basic " + tok, false},
		{"Bearer " + tok[:len(tok)-1], false},
		{"Bearer " + tok + "A", false},
		{"Bearer " + tok[:10] + "!" + tok[11:], false},
		{"Bearer " + flip(tok), false},
	} {
		r := httptest.NewRequest(http.MethodGet, "/x", nil)
		if tc.header != "" {
			r.Header.Set("Authorization", tc.header)
		}
		_, _, err := e.auth.Authenticate(r)
		if (err == nil) != tc.ok {
			t.Errorf("%.20q: err %v", tc.header, err)
		}
		if err != nil && !errors.Is(err, auth.ErrUnauthenticated) {
			t.Errorf("%.20q: err %v, want ErrUnauthenticated", tc.header, err)
		}
	}
	r := httptest.NewRequest(http.MethodGet, "/x", nil)
	r.Header.Add("Authorization", "Bearer "+tok)
	r.Header.Add("Authorization", "Bearer "+tok)
	if _, _, err := e.auth.Authenticate(r); !errors.Is(err, auth.ErrUnauthenticated) {
		t.Errorf("two Authorization headers: %v", err)
	}
}

// flip changes one character of the token's payload, as a forger would.
func flip(tok string) string {
	b := []byte(tok)
	if b[20] == 'A' {
		b[20] = 'B'
	} else {
		b[20] = 'A'
	}
	return string(b)
}

func TestTokenExpiry(t *testing.T) {
	e := newEnv(t, auth.Config{TokenTTL: 10 * time.Minute})
	a, secret := e.account(t, directory.NewAPIAccount{})
	res := e.requestToken(t, a.ClientID, secret, "")
	if res.body["expires_in"] != float64(600) {
		t.Errorf("expires_in %v", res.body["expires_in"])
	}
	tok := res.token()
	e.clock.Advance(10*time.Minute - time.Second)
	if s := e.status(t, tok); s != 200 {
		t.Fatalf("before expiry: %d", s)
	}
	e.clock.Advance(time.Second)
	if s := e.status(t, tok); s != 401 {
		t.Fatalf("at expiry: %d", s)
	}
}

func TestOldestTokenInvalidated(t *testing.T) {
	e := newEnv(t, auth.Config{})
	a, secret := e.account(t, directory.NewAPIAccount{})
	var toks []string
	for range directory.MaxTokens + 1 {
		toks = append(toks, e.issue(t, a.ClientID, secret))
	}
	if s := e.status(t, toks[0]); s != 401 {
		t.Errorf("1st token after 31 issued: %d", s)
	}
	for i, tok := range toks[1:] {
		if s := e.status(t, tok); s != 200 {
			t.Errorf("token %d: %d", i+2, s)
		}
	}
}

func TestRotationInvalidatesAll(t *testing.T) {
	e := newEnv(t, auth.Config{PollInterval: time.Hour}) // only local knowledge counts here
	a, secret := e.account(t, directory.NewAPIAccount{})
	t1, t2 := e.issue(t, a.ClientID, secret), e.issue(t, a.ClientID, secret)
	_, secret2, err := e.auth.RotateSecret(cli, a.ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, tok := range []string{t1, t2} {
		if s := e.status(t, tok); s != 401 {
			t.Errorf("token after rotation: %d", s)
		}
	}
	if res := e.requestToken(t, a.ClientID, secret, ""); res.status != 401 {
		t.Errorf("old secret after rotation: %d", res.status)
	}
	if s := e.status(t, e.issue(t, a.ClientID, secret2)); s != 200 {
		t.Errorf("token for new secret: %d", s)
	}
}

func TestDisablingInvalidatesAll(t *testing.T) {
	e := newEnv(t, auth.Config{PollInterval: time.Hour})
	a, secret := e.account(t, directory.NewAPIAccount{})
	t1, t2 := e.issue(t, a.ClientID, secret), e.issue(t, a.ClientID, secret)
	if _, err := e.auth.SetAPIAccountEnabled(cli, a.ID, false); err != nil {
		t.Fatal(err)
	}
	for _, tok := range []string{t1, t2} {
		if s := e.status(t, tok); s != 401 {
			t.Errorf("token after disabling: %d", s)
		}
	}
	if res := e.requestToken(t, a.ClientID, secret, ""); res.status != 401 {
		t.Errorf("token request while disabled: %d", res.status)
	}
	if _, err := e.auth.SetAPIAccountEnabled(cli, a.ID, true); err != nil {
		t.Fatal(err)
	}
	if s := e.status(t, t1); s != 401 {
		t.Errorf("re-enabling revived an old token: %d", s)
	}
	if s := e.status(t, e.issue(t, a.ClientID, secret)); s != 200 {
		t.Errorf("new token after re-enabling: %d", s)
	}
}

// A revocation written straight through the directory (as the PRA face or
// the CLI does) reaches this instance through the poller.
func TestRevocationThroughDirectoryIsPolled(t *testing.T) {
	e := newEnv(t, auth.Config{})
	a, secret := e.account(t, directory.NewAPIAccount{})
	tok := e.issue(t, a.ClientID, secret)
	if _, _, err := e.dir.RotateSecret(cli, a.ID); err != nil {
		t.Fatal(err)
	}
	eventually(t, time.Second, "revocation", func() bool { return e.status(t, tok) == 401 })
}

func TestSecondInstance(t *testing.T) {
	e := newEnv(t, auth.Config{PollInterval: 250 * time.Millisecond})
	a, secret := e.account(t, directory.NewAPIAccount{})
	tok := e.issue(t, a.ClientID, secret)
	other := e.newInstance()
	if s := other.status(t, tok); s != 200 {
		t.Fatalf("second instance refused a token of the first: %d", s)
	}
	// An account created by the first after the second started, used at
	// once (before any poll), is loaded on the cache miss.
	b, bsecret := e.account(t, directory.NewAPIAccount{})
	if s := other.status(t, other.issue(t, b.ClientID, bsecret)); s != 200 {
		t.Fatalf("token for a new account on the second instance: %d", s)
	}
	btok := other.issue(t, b.ClientID, bsecret)
	if s := e.status(t, btok); s != 200 {
		t.Fatalf("first instance refused a token of the second: %d", s)
	}

	// A token issued by one instance works on another at once, before any
	// poll could have told it about the new serial.
	for range 5 {
		if s := other.status(t, e.issue(t, a.ClientID, secret)); s != 200 {
			t.Fatalf("second instance refused a fresh token of the first: %d", s)
		}
	}

	start := time.Now()
	if _, _, err := e.auth.RotateSecret(cli, a.ID); err != nil {
		t.Fatal(err)
	}
	eventually(t, time.Second, "rotation seen by the second instance", func() bool { return other.status(t, tok) == 401 })
	t.Logf("second instance saw the rotation after %v", time.Since(start))
}

func TestRateLimit(t *testing.T) {
	e := newEnv(t, auth.Config{RatePerSecond: 3, RatePerHour: 5, TokenTTL: 3 * time.Hour})
	a, secret := e.account(t, directory.NewAPIAccount{})
	b, bsecret := e.account(t, directory.NewAPIAccount{})
	tok, btok := e.issue(t, a.ClientID, secret), e.issue(t, b.ClientID, bsecret)
	req := func(tok string) (auth.RateStatus, error) {
		r := httptest.NewRequest(http.MethodGet, "/x", nil)
		r.Header.Set("Authorization", "Bearer "+tok)
		_, rs, err := e.auth.Authenticate(r)
		return rs, err
	}
	for i := range 3 {
		rs, err := req(tok)
		if err != nil || rs.Limit != 5 || rs.Remaining != 5-(i+1) {
			t.Fatalf("request %d: %+v %v", i+1, rs, err)
		}
	}
	rs, err := req(tok)
	if !errors.Is(err, auth.ErrRateLimited) || rs.RetryAfter <= 0 || rs.RetryAfter > time.Second {
		t.Fatalf("4th request in a second: %+v %v", rs, err)
	}
	if _, err := req(btok); err != nil {
		t.Fatalf("another account is limited separately: %v", err)
	}
	// Through HTTP the face renders it as 429.
	if s := e.status(t, tok); s != http.StatusTooManyRequests {
		t.Fatalf("status %d", s)
	}
	e.clock.Advance(time.Second)
	if _, err := req(tok); err != nil {
		t.Fatalf("next second: %v", err)
	}
	if _, err := req(tok); err != nil {
		t.Fatalf("next second: %v", err)
	}
	e.clock.Advance(time.Second)
	rs, err = req(tok)
	if !errors.Is(err, auth.ErrRateLimited) || rs.Remaining != 0 || rs.RetryAfter <= time.Second {
		t.Fatalf("6th request in an hour: %+v %v", rs, err)
	}
	e.clock.Advance(rs.RetryAfter)
	if _, err := req(tok); err != nil {
		t.Fatalf("after RetryAfter: %v", err)
	}
}

func TestRateLimitDisabled(t *testing.T) {
	e := newEnv(t, auth.Config{RatePerSecond: 0, RatePerHour: 1})
	a, secret := e.account(t, directory.NewAPIAccount{})
	tok := e.issue(t, a.ClientID, secret)
	for range 50 {
		resp := e.get(t, tok)
		if resp.StatusCode != 200 || resp.Header.Get("X-RateLimit-Limit") != "" {
			t.Fatalf("status %d, limit header %q", resp.StatusCode, resp.Header.Get("X-RateLimit-Limit"))
		}
	}
}

func TestRateHeaders(t *testing.T) {
	e := newEnv(t, auth.DefaultConfig())
	a, secret := e.account(t, directory.NewAPIAccount{})
	tok := e.issue(t, a.ClientID, secret)
	resp := e.get(t, tok)
	if resp.Header.Get("X-RateLimit-Limit") != "15000" || resp.Header.Get("X-RateLimit-Remaining") != "14999" {
		t.Errorf("headers %v", resp.Header)
	}
}

func TestScopeNarrowsPermissions(t *testing.T) {
	e := newEnv(t, auth.Config{})
	a, secret := e.account(t, directory.NewAPIAccount{})
	principal := func(scope string) auth.Principal {
		t.Helper()
		res := e.requestToken(t, a.ClientID, secret, scope)
		r := httptest.NewRequest(http.MethodGet, "/x", nil)
		r.Header.Set("Authorization", "Bearer "+res.token())
		p, _, err := e.auth.Authenticate(r)
		if err != nil {
			t.Fatalf("scope %q: %v", scope, err)
		}
		return p
	}
	full, ro := principal(""), principal("read_only")
	if full.Scope != auth.ScopeFullAccess || ro.Scope != auth.ScopeReadOnly {
		t.Fatalf("scopes %q %q", full.Scope, ro.Scope)
	}
	for _, api := range []auth.API{auth.Configuration, auth.UserManagement, auth.SCIM, auth.Quarantine} {
		if !full.Can(api, true) || !full.Can(api, false) {
			t.Errorf("full_access: api %d", api)
		}
		if ro.Can(api, true) || !ro.Can(api, false) {
			t.Errorf("read_only: api %d write %v read %v", api, ro.Can(api, true), ro.Can(api, false))
		}
	}
	if ro.Perms.Configuration != directory.AccessReadOnly || ro.Perms.UserManagement != directory.AccessReadOnly {
		t.Errorf("read_only perms %+v", ro.Perms)
	}
	if act := full.Actor(); act.Kind != directory.ActorAPIAccount || act.ID != a.ID || act.Name != a.Name {
		t.Errorf("actor %+v", act)
	}
}

func TestCan(t *testing.T) {
	p := auth.Principal{Scope: auth.ScopeFullAccess, Perms: directory.Permissions{
		Configuration: directory.AccessReadOnly, UserManagement: directory.AccessNone}}
	for _, tc := range []struct {
		api          auth.API
		write, allow bool
	}{
		{auth.Configuration, false, true},
		{auth.Configuration, true, false},
		{auth.UserManagement, false, false},
		{auth.SCIM, false, false},
		{auth.Quarantine, true, false},
		{auth.API(99), false, false},
	} {
		if got := p.Can(tc.api, tc.write); got != tc.allow {
			t.Errorf("Can(%d, %v) = %v", tc.api, tc.write, got)
		}
	}
}

// Permissions changed after a token was issued apply to it at once.
func TestPermissionChangeAppliesToIssuedTokens(t *testing.T) {
	e := newEnv(t, auth.Config{})
	a, secret := e.account(t, directory.NewAPIAccount{})
	tok := e.issue(t, a.ClientID, secret)
	a2, err := e.dir.UpdateAPIAccountState(cli, a.ID, func(a *directory.APIAccount) error {
		a.Perms = directory.Permissions{Configuration: directory.AccessReadOnly, UserManagement: directory.AccessNone}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	e.auth.AccountChanged(a2)
	r := httptest.NewRequest(http.MethodGet, "/x", nil)
	r.Header.Set("Authorization", "Bearer "+tok)
	p, _, err := e.auth.Authenticate(r)
	if err != nil || p.Can(auth.Configuration, true) || !p.Can(auth.Configuration, false) || p.Can(auth.SCIM, false) {
		t.Fatalf("%+v %v", p, err)
	}
}

func TestIPAllowList(t *testing.T) {
	e := newEnv(t, auth.Config{})
	a, secret := e.account(t, directory.NewAPIAccount{IPAllow: []string{"10.0.0.0/8", "2001:db8::1"}})
	// The test server is reached from 127.0.0.1, which the list leaves out.
	if res := e.requestToken(t, a.ClientID, secret, ""); res.status != 401 {
		t.Fatalf("token from a disallowed address: %d", res.status)
	}
	tok, _, err := e.auth.IssueToken(context.Background(), a.ClientID, secret, "", netip.MustParseAddr("10.1.2.3"))
	if err != nil {
		t.Fatalf("IssueToken from an allowed address: %v", err)
	}
	for addr, ok := range map[string]bool{
		"10.1.2.3:5000":          true,
		"[::ffff:10.9.9.9]:5000": true,
		"[2001:db8::1]:443":      true,
		"127.0.0.1:5000":         false,
		"[2001:db8::2]:443":      false,
		"not an address":         false,
	} {
		r := httptest.NewRequest(http.MethodGet, "/x", nil)
		r.RemoteAddr = addr
		r.Header.Set("Authorization", "Bearer "+tok)
		if _, _, err := e.auth.Authenticate(r); (err == nil) != ok {
			t.Errorf("%s: %v", addr, err)
		}
	}
}

func TestIssueTokenScope(t *testing.T) {
	e := newEnv(t, auth.Config{})
	a, secret := e.account(t, directory.NewAPIAccount{})
	if _, _, err := e.auth.IssueToken(context.Background(), a.ClientID, secret, "admin", netip.Addr{}); !errors.Is(err, auth.ErrInvalidScope) {
		t.Errorf("err %v", err)
	}
	if _, _, err := e.auth.IssueToken(context.Background(), "nobody", secret, "", netip.Addr{}); !errors.Is(err, auth.ErrInvalidClient) {
		t.Errorf("err %v", err)
	}
}
