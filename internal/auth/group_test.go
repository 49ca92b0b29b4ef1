package auth_test

import (
	"context"
	"net/netip"
	"sync"
	"testing"
	"time"

	"github.com/gatehouse/gatehouse/internal/auth"
	"github.com/gatehouse/gatehouse/internal/directory"
)

// Concurrent token requests for one account, on two instances sharing the
// database, are committed in groups: every request still gets its own
// serial, and exactly the newest MaxTokens tokens stay valid.
func TestConcurrentIssueKeepsCapExact(t *testing.T) {
	e := newEnv(t, auth.Config{PollInterval: 50 * time.Millisecond})
	other := e.newInstance()
	a, secret := e.account(t, directory.NewAPIAccount{})
	const n = 4 * directory.MaxTokens
	toks := make([]string, n)
	var wg sync.WaitGroup
	for i := range n {
		svc := e.auth
		if i%2 == 1 {
			svc = other.auth
		}
		wg.Go(func() {
			tok, _, err := svc.IssueToken(context.Background(), a.ClientID, secret, "", netip.MustParseAddr("127.0.0.1"))
			if err != nil {
				t.Errorf("request %d: %v", i, err)
			}
			toks[i] = tok
		})
	}
	wg.Wait()
	got, err := e.store.APIAccount(context.Background(), a.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.TokenSerial != a.TokenSerial+n {
		t.Fatalf("serial advanced by %d for %d tokens", got.TokenSerial-a.TokenSerial, n)
	}
	// Once each instance has seen the newest row (at once for its own
	// tokens, within a poll for the other's), exactly the newest
	// MaxTokens are valid on both.
	for _, in := range []*instance{e.instance, other} {
		eventually(t, 2*time.Second, "the cap on each instance", func() bool {
			valid := 0
			for _, tok := range toks {
				if in.status(t, tok) == 200 {
					valid++
				}
			}
			return valid == directory.MaxTokens
		})
	}
}
