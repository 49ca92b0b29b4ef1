package scim_test

import (
	"fmt"
	"net/http"
	"sync"
	"testing"
)

// The first SCIM users and groups, created at once, make one SCIM security
// provider between them. On PostgreSQL all but one of the transactions
// that create it fail to serialize and run again; a retried attempt must
// not reuse the provider id of its undone one (it did: a 500 for a
// foreign key to a provider that was never committed).
func TestConcurrentFirstSCIMWrites(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Go(func() {
			body := fmt.Sprintf(`{"schemas":[%q],"displayName":"first-%d"}`, groupURN, i)
			path := "/Groups"
			if i%2 == 0 {
				body = fmt.Sprintf(`{"schemas":[%q],"userName":"first-%d"}`, userURN, i)
				path = "/Users"
			}
			if r := e.do("POST", path, body); r.Status != http.StatusCreated {
				t.Errorf("POST %s %d: %d %s", path, i, r.Status, r.Body)
			}
		})
	}
	wg.Wait()
	providers := e.Do(t, "GET", "/api/config/v1/security-provider", e.tok, "")
	scim := 0
	for _, p := range providers.Array(t) {
		if p["type"] == "scim" {
			scim++
		}
	}
	if scim != 1 {
		t.Errorf("%d SCIM security providers, want 1: %s", scim, providers.Body)
	}
}
