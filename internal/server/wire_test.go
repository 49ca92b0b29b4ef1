package server_test

import (
	"strings"
	"testing"

	"github.com/gatehouse/gatehouse/internal/testserver"
)

// TestHeaderSpellingOnTheWire checks BeyondTrust's spelling of its headers
// in the bytes every face sends: connectors that compare names byte for
// byte miss Go's canonical X-Bt-Pagination-* and X-Ratelimit-*.
func TestHeaderSpellingOnTheWire(t *testing.T) {
	s := testserver.New(t, testserver.WithRateLimit(100))
	tok := s.AdminToken(t)
	for _, tc := range []struct {
		path string
		want []string
	}{
		{"/api/config/v1/user?per_page=5", []string{"X-BT-Pagination-Current-Page: 1", "X-BT-Pagination-Last-Page: 1",
			"X-BT-Pagination-Per-Page: 5", "X-BT-Pagination-Total: 0", "X-RateLimit-Limit: 15000", "X-RateLimit-Remaining: "}},
		{"/api/public/v3/users", []string{"X-RateLimit-Limit: 15000", "X-RateLimit-Remaining: "}},
		{"/scim/v2/Users", []string{"X-RateLimit-Limit: 15000", "X-RateLimit-Remaining: "}},
	} {
		raw := s.Raw(t, "GET "+tc.path+" HTTP/1.1", "Authorization: Bearer "+tok, "Accept: application/json")
		head, _, _ := strings.Cut(raw, "\r\n\r\n")
		if !strings.HasPrefix(head, "HTTP/1.1 200 ") {
			t.Fatalf("GET %s:\n%s", tc.path, raw)
		}
		for _, w := range tc.want {
			if !strings.Contains(head, "\r\n"+w) {
				t.Errorf("GET %s: no %q in\n%s", tc.path, w, head)
			}
		}
		for _, bad := range []string{"X-Bt-", "X-Ratelimit-"} {
			if strings.Contains(head, bad) {
				t.Errorf("GET %s: canonical %q spelling sent:\n%s", tc.path, bad, head)
			}
		}
	}
}

// BeyondInsight sends the rate-limit headers on its 429, spelt the same.
func TestHeaderSpellingOnTheWireBeyondInsight(t *testing.T) {
	s := testserver.New(t, testserver.WithRateLimit(1))
	tok := insightToken(t, s)
	for range 10 {
		raw := s.Raw(t, "GET "+insight+"/Users HTTP/1.1", "Authorization: Bearer "+tok)
		head, _, _ := strings.Cut(raw, "\r\n\r\n")
		if !strings.HasPrefix(head, "HTTP/1.1 429 ") {
			continue
		}
		if !strings.Contains(head, "\r\nX-RateLimit-Limit: ") || strings.Contains(head, "X-Ratelimit-") {
			t.Fatalf("429 without X-RateLimit-Limit as BeyondTrust spells it:\n%s", head)
		}
		return
	}
	t.Fatal("ten requests at once were never refused at 1 per second")
}
