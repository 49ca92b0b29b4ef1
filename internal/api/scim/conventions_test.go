package scim_test

import (
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/gatehouse/gatehouse/internal/testserver"
)

type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// TestRateLimit: an account over its limit gets a SCIM 429 with
// Retry-After; an expired token a 401.
func TestRateLimit(t *testing.T) {
	c := &clock{t: time.Now()}
	e := newEnv(t, testserver.WithRateLimit(1), testserver.WithClock(c.Now))
	first := want(t, e.do("GET", "/Users", ""), http.StatusOK)
	if first.Header.Get("X-RateLimit-Limit") == "" {
		t.Errorf("no X-RateLimit headers: %v", first.Header)
	}
	second := e.do("GET", "/Users", "")
	scimError(t, "over the limit", second, http.StatusTooManyRequests, "")
	if ra := second.Header.Get("Retry-After"); ra == "" || ra == "0" {
		t.Errorf("Retry-After %q", ra)
	}
	c.Advance(2 * time.Second)
	want(t, e.do("GET", "/Users", ""), http.StatusOK)
	c.Advance(2 * time.Hour)
	scimError(t, "expired token", e.do("GET", "/Users", ""), http.StatusUnauthorized, "")
}

// TestMethods: every path answers OPTIONS with its methods, and another
// method with a SCIM 405.
func TestMethods(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	for path, allow := range map[string]string{
		"/Users":                 "GET,HEAD,POST",
		"/Users/1":               "GET,HEAD,PUT,PATCH,DELETE",
		"/Users/.search":         "POST",
		"/Groups":                "GET,HEAD,POST",
		"/Groups/1":              "GET,HEAD,PUT,PATCH,DELETE",
		"/Groups/.search":        "POST",
		"/.search":               "POST",
		"/Bulk":                  "POST",
		"/Me":                    "GET,HEAD,POST,PUT,PATCH,DELETE",
		"/ServiceProviderConfig": "GET,HEAD",
		"/ResourceTypes":         "GET,HEAD",
		"/ResourceTypes/User":    "GET,HEAD",
		"/Schemas":               "GET,HEAD",
		"/Schemas/x":             "GET,HEAD",
		"/openapi.yaml":          "GET,HEAD",
	} {
		resp := e.Do(t, "OPTIONS", base+path, "", "")
		if resp.Status != http.StatusOK || resp.Header.Get("Allow") != allow {
			t.Errorf("OPTIONS %s: %d Allow %q, want %q", path, resp.Status, resp.Header.Get("Allow"), allow)
		}
		if allow == "POST" {
			resp = e.do("GET", path, "")
			scimError(t, "GET "+path, resp, http.StatusMethodNotAllowed, "")
		}
	}
	// HEAD has GET's status and headers.
	u := e.createUser("headed")
	resp := e.do("HEAD", "/Users/"+id(t, u), "")
	if resp.Status != http.StatusOK || resp.Header.Get("ETag") == "" || len(resp.Body) != 0 {
		t.Errorf("HEAD: %d %v", resp.Status, resp.Header)
	}
}
