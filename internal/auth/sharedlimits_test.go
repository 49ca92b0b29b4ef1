package auth_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/gatehouse/gatehouse/internal/auth"
	"github.com/gatehouse/gatehouse/internal/directory"
)

// TestSharedRateLimits runs two instances on one database with shared
// limits (forced, so that SQLite runs them too): what one counted holds on
// the other once both have synced. Close syncs one last time, which makes
// "synced" a point the test can stand on rather than a moment to wait for.
func TestSharedRateLimits(t *testing.T) {
	const perHour = 20
	e := newEnv(t, auth.Config{RatePerSecond: 1000, RatePerHour: perHour, SharedRateLimits: true, TokenTTL: 3 * time.Hour})
	a, secret := e.account(t, directory.NewAPIAccount{})
	tok := e.issue(t, a.ClientID, secret)
	req := func(s *auth.Service) (auth.RateStatus, error) {
		r := httptest.NewRequest(http.MethodGet, "/x", nil)
		r.Header.Set("Authorization", "Bearer "+tok)
		_, rs, err := s.Authenticate(r)
		return rs, err
	}
	first := e.auth
	for i := range perHour {
		if rs, err := req(first); err != nil || rs.Remaining != perHour-(i+1) {
			t.Fatalf("request %d: %+v %v", i+1, rs, err)
		}
	}
	if _, err := req(first); !errors.Is(err, auth.ErrRateLimited) {
		t.Fatalf("request %d: %v", perHour+1, err)
	}
	first.Close()

	second := e.newInstance().auth
	// second has not synced yet: it admits on its own count (the slack).
	if _, err := req(second); err != nil {
		t.Fatalf("first request on the second instance: %v", err)
	}
	second.Close()
	rs, err := req(second)
	if !errors.Is(err, auth.ErrRateLimited) || rs.Remaining != 0 || rs.RetryAfter <= time.Second {
		t.Fatalf("second instance after syncing: %+v %v", rs, err)
	}

	// The store holds every admitted request of both.
	hour := e.clock.Now().Unix()
	hour -= hour % 3600
	totals, err := e.store.AddRateCounts(context.Background(), []directory.RateCount{{AccountID: a.ID, Window: directory.RateHour, Start: hour}})
	if err != nil || totals[0].Count != perHour+1 {
		t.Fatalf("stored hour count %+v (%v), want %d", totals, err, perHour+1)
	}
}
