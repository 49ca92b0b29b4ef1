package server_test

import (
	"net/http"
	"testing"

	"github.com/gatehouse/gatehouse/internal/testserver"
)

func TestHealthAndReadiness(t *testing.T) {
	s := testserver.New(t)
	for _, path := range []string{"/healthz", "/readyz"} {
		r := s.Do(t, http.MethodGet, path, "", "")
		if r.Status != http.StatusOK || r.Object(t)["status"] != "ok" {
			t.Errorf("GET %s: %d %s", path, r.Status, r.Body)
		}
		if r := s.Do(t, http.MethodPost, path, "", ""); r.Status != http.StatusMethodNotAllowed {
			t.Errorf("POST %s: %d, want 405", path, r.Status)
		}
	}
	// Without its database an instance must leave the load balancer's pool.
	if err := s.Store().Close(); err != nil {
		t.Fatal(err)
	}
	if r := s.Do(t, http.MethodGet, "/readyz", "", ""); r.Status != http.StatusServiceUnavailable {
		t.Errorf("GET /readyz with the database closed: %d %s, want 503", r.Status, r.Body)
	}
	if r := s.Do(t, http.MethodGet, "/healthz", "", ""); r.Status != http.StatusOK {
		t.Errorf("GET /healthz with the database closed: %d, want 200", r.Status)
	}
}
