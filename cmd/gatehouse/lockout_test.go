package main

import (
	"context"
	"net/http"
	"net/url"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/gatehouse/gatehouse/internal/store"
)

// tokenStatusFrom requests a token as the client at source, which the server,
// trusting the test's own address as its proxy, reads from X-Forwarded-For.
func tokenStatusFrom(t *testing.T, base, source, id, secret string) int {
	t.Helper()
	form := url.Values{"grant_type": {"client_credentials"}, "client_id": {id}, "client_secret": {secret}}
	req, _ := http.NewRequest(http.MethodPost, base+"/oauth2/token", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("X-Forwarded-For", source)
	resp, err := client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

// serve's lock-out and trusted-proxy flags, and `api-account unlock`
// lifting a lock-out from the command line while the server runs.
func TestAPIAccountUnlock(t *testing.T) {
	db := dsnFor(t)
	p := start(t, db, "--trusted-proxies", "127.0.0.1/32", "--lockout-attempts", "2", "--lockout-duration", "1h")
	out, err := gatehouse(t, "api-account", "create", "--db", db, "--name", "locked")
	if err != nil {
		t.Fatalf("create: %v\n%s", err, out)
	}
	id, secret := credentials(t, out)
	const attacker, real = "198.51.100.7", "203.0.113.9"
	for range 2 {
		if code := tokenStatusFrom(t, p.url, attacker, id, "wrong"); code != http.StatusUnauthorized {
			t.Fatalf("wrong secret: %d", code)
		}
	}
	if code := tokenStatusFrom(t, p.url, attacker, id, secret); code != http.StatusUnauthorized {
		t.Fatalf("right secret from the locked-out address: %d", code)
	}
	if code := tokenStatusFrom(t, p.url, real, id, secret); code != http.StatusOK {
		t.Fatalf("right secret from another address: %d", code)
	}
	// An unlock lifts the lock-outs the server has written.
	st, err := store.Open(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	eventually(t, "the lock-out written", func() bool {
		locks, err := st.LoginLocks(context.Background(), time.Now())
		return err == nil && len(locks) == 1
	})

	out, err = gatehouse(t, "api-account", "unlock", "--db", db, "--client-id", id)
	if err != nil || !strings.Contains(out, "unlocked") {
		t.Fatalf("unlock: %v\n%s", err, out)
	}
	eventually(t, "the unlock seen by the server", func() bool {
		return tokenStatusFrom(t, p.url, attacker, id, secret) == http.StatusOK
	})
	if out, err := gatehouse(t, "api-account", "unlock", "--db", db, "--id", "999999"); err == nil {
		t.Errorf("unlocking an unknown account succeeded:\n%s", out)
	}
}

// serve --token-rate-limit limits token requests per client address, the
// client behind --trusted-proxies, not the proxy.
func TestServeTokenRateLimit(t *testing.T) {
	db := dsnFor(t)
	p := start(t, db, "--trusted-proxies", "127.0.0.1", "--token-rate-limit", "1")
	for i := range 2 { // the burst: twice the rate
		if code := tokenStatusFrom(t, p.url, "198.51.100.7", "nobody", "x"); code != http.StatusUnauthorized {
			t.Fatalf("request %d: %d", i, code)
		}
	}
	if code := tokenStatusFrom(t, p.url, "198.51.100.7", "nobody", "x"); code != http.StatusTooManyRequests {
		t.Fatalf("over the limit: %d, want 429", code)
	}
	if code := tokenStatusFrom(t, p.url, "203.0.113.9", "nobody", "x"); code != http.StatusUnauthorized {
		t.Fatalf("another client behind the same proxy: %d", code)
	}
}

func TestLockoutFlagMistakes(t *testing.T) {
	db := dsnFor(t)
	for _, args := range [][]string{
		{"serve", "--db", db, "--token-rate-limit", "-1"},
		{"serve", "--db", db, "--lockout-attempts", "0"},
		{"serve", "--db", db, "--lockout-duration", "0s"},
		{"serve", "--db", db, "--lockout-duration", "soon"},
		{"serve", "--db", db, "--trusted-proxies", "10.0.0.0/33"},
		{"serve", "--db", db, "--trusted-proxies", "lb.internal"},
		{"api-account", "unlock", "--db", db},
		{"api-account", "unlock", "--db", db, "--id", "1", "--client-id", "y"},
	} {
		out, err := gatehouse(t, args...)
		var exit *exec.ExitError
		if err == nil || !asExit(err, &exit) || exit.ExitCode() != 2 {
			t.Errorf("gatehouse %q: %v, want exit status 2\n%s", args, err, out)
		}
	}
	env := exec.Command(binary, "serve", "--db", db)
	env.Env = append(env.Environ(), "GATEHOUSE_TRUSTED_PROXIES=not-a-cidr")
	if out, err := env.CombinedOutput(); err == nil || !strings.Contains(string(out), "trusted-proxies") {
		t.Errorf("a bad GATEHOUSE_TRUSTED_PROXIES: %v\n%s", err, out)
	}
}
