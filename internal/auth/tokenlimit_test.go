package auth_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/gatehouse/gatehouse/internal/auth"
	"github.com/gatehouse/gatehouse/internal/directory"
)

// postFrom sends a token request to path as the client at source.
func (i *instance) postFrom(t *testing.T, path, source, clientID, secret string) tokenResult {
	t.Helper()
	form := url.Values{"grant_type": {"client_credentials"}, "client_id": {clientID}, "client_secret": {secret}}
	return i.postTo(t, path, form.Encode(), http.Header{"X-Forwarded-For": {source}})
}

// Token requests are limited per source address on both token endpoints,
// whatever the client id and whether they succeed: the burst is twice the
// rate, a refusal is the endpoint's own 429 with Retry-After, another
// source is not affected, and the bucket refills with time.
func TestTokenRateLimitPerSource(t *testing.T) {
	for _, path := range []string{"/oauth2/token", "/insight/token"} {
		t.Run(strings.TrimPrefix(path, "/"), func(t *testing.T) {
			e := newEnv(t, auth.Config{TokenRatePerSecond: 2})
			a, secret := e.account(t, directory.NewAPIAccount{})
			for i, id := range []string{a.ClientID, "unknown", a.ClientID, a.ClientID} {
				if res := e.postFrom(t, path, attacker, id, secret); res.status == http.StatusTooManyRequests {
					t.Fatalf("request %d within the burst: 429", i)
				}
			}
			res := e.postFrom(t, path, attacker, a.ClientID, secret)
			if res.status != http.StatusTooManyRequests || res.errCode() != "invalid_request" || res.body["message"] == "" {
				t.Fatalf("over the limit: %d %v", res.status, res.body)
			}
			if res.header.Get("Retry-After") != "1" || res.header.Get("Cache-Control") != "no-store" {
				t.Errorf("headers %v", res.header)
			}
			if _, ok := res.body["access_token"]; ok {
				t.Error("a refused request got a token")
			}
			if res := e.postFrom(t, path, client, a.ClientID, secret); res.status != http.StatusOK {
				t.Errorf("another source: %d %v", res.status, res.body)
			}
			// An IPv6 host counts as its /64.
			for range 4 {
				e.postFrom(t, path, "2001:db8:1:2::1", "unknown", secret)
			}
			if res := e.postFrom(t, path, "2001:db8:1:2::99", a.ClientID, secret); res.status != http.StatusTooManyRequests {
				t.Errorf("another address of the same /64: %d", res.status)
			}
			e.clock.Advance(500 * time.Millisecond) // one request's worth at 2/s
			if res := e.postFrom(t, path, attacker, a.ClientID, secret); res.status != http.StatusOK {
				t.Errorf("after the bucket refilled: %d %v", res.status, res.body)
			}
			if res := e.postFrom(t, path, attacker, a.ClientID, secret); res.status != http.StatusTooManyRequests {
				t.Errorf("the refill was one request: %d", res.status)
			}
		})
	}
}

// A rate of 0 turns the limit off, as the bench runs it.
func TestTokenRateLimitOff(t *testing.T) {
	e := newEnv(t, auth.Config{TokenRatePerSecond: 0})
	a, secret := e.account(t, directory.NewAPIAccount{})
	for i := range 50 {
		if res := e.postFrom(t, "/oauth2/token", attacker, a.ClientID, secret); res.status != http.StatusOK {
			t.Fatalf("request %d: %d %v", i, res.status, res.body)
		}
	}
}
