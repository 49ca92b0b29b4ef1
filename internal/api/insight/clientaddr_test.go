package insight_test

import (
	"net/http"
	"net/netip"
	"net/url"
	"strconv"
	"testing"

	"github.com/gatehouse/gatehouse/internal/server"
	"github.com/gatehouse/gatehouse/internal/testserver"
)

const notSignedIn = "User not authenticated: sign in with POST Auth/SignAppIn, or send an Authorization header."

// behindProxy makes the test client a trusted proxy, so that a request's
// X-Forwarded-For names its client.
func behindProxy(c *server.Config) {
	c.TrustedProxies = []netip.Prefix{netip.MustParsePrefix("127.0.0.1/32")}
}

// An application registration's IP rule judges the client behind a trusted
// proxy, and a forged X-Forwarded-For from an untrusted peer is ignored.
func TestRegistrationIPRuleSeesTheClient(t *testing.T) {
	for _, trusted := range []bool{true, false} {
		t.Run("trusted="+strconv.FormatBool(trusted), func(t *testing.T) {
			var opts []testserver.Option
			if trusted {
				opts = append(opts, behindProxy)
			}
			e := newEnv(t, opts...)
			reg, key := e.registration("office", false, "198.51.100.0/24")
			e.localUser("operator", "a long enough password", e.group("ops", 1, 0, reg))
			from := func(xff string) *testserver.Response {
				return e.as(psAuth(key, "operator"), http.MethodGet, "/Users", "", "X-Forwarded-For", xff)
			}
			if trusted {
				want(t, from("198.51.100.7"), http.StatusOK)
				wantError(t, from("203.0.113.9"), http.StatusUnauthorized, notSignedIn)
				wantError(t, from("198.51.100.7, 203.0.113.9"), http.StatusUnauthorized, notSignedIn)
			} else {
				// The peer, 127.0.0.1, is outside the rule whatever the header says.
				wantError(t, from("198.51.100.7"), http.StatusUnauthorized, notSignedIn)
			}
		})
	}
}

// Auth/connect/token is limited per client address in the token
// endpoint's shape, and an API account over its rate limit gets 429 with
// Retry-After on the face's other routes too.
func TestInsightLimitsSayWhenToRetry(t *testing.T) {
	e := newEnv(t, behindProxy, testserver.WithRateLimit(1), func(c *server.Config) { c.Auth.TokenRatePerSecond = 1 })
	form := url.Values{"grant_type": {"client_credentials"}, "client_id": {"nobody"}, "client_secret": {"x"}}.Encode()
	post := func() *testserver.Response {
		return e.Do(t, http.MethodPost, base+"/Auth/connect/token", "", form,
			"Content-Type", "application/x-www-form-urlencoded", "X-Forwarded-For", "198.51.100.7")
	}
	want(t, post(), http.StatusUnauthorized)
	want(t, post(), http.StatusUnauthorized)
	resp := want(t, post(), http.StatusTooManyRequests)
	if resp.Object(t)["error"] != "invalid_request" || resp.Header.Get("Retry-After") == "" {
		t.Errorf("token request over the limit: %v %s", resp.Header, resp.Body)
	}

	// The administrator's token (newEnv) was the one request this second
	// may have had; the next two cannot both pass.
	var limited *testserver.Response
	for range 3 {
		if r := e.do(http.MethodGet, "/Users", ""); r.Status == http.StatusTooManyRequests {
			limited = r
			break
		}
	}
	if limited == nil {
		t.Fatal("no 429 at one request per second")
	}
	if ra, err := strconv.Atoi(limited.Header.Get("Retry-After")); err != nil || ra < 1 {
		t.Errorf("Retry-After %q", limited.Header.Get("Retry-After"))
	}
	if limited.Header.Get("X-RateLimit-Limit") == "" {
		t.Errorf("no X-RateLimit-Limit on the 429: %v", limited.Header)
	}
}
