package server_test

import (
	"context"
	"net/http"
	"sync"
	"testing"

	"github.com/gatehouse/gatehouse/internal/auth"
	"github.com/gatehouse/gatehouse/internal/directory"
	"github.com/gatehouse/gatehouse/internal/testserver"
)

// TestConcurrentFirstStartsBootstrapOnce starts several instances at once on
// one empty database, as a deployment scaled out before its first start
// does: every one starts, exactly one bootstrap account exists, and its
// credentials work on every instance.
func TestConcurrentFirstStartsBootstrapOnce(t *testing.T) {
	const starts = 6
	for _, c := range []struct {
		name             string
		clientID, secret string
	}{
		{"generated secret", "", ""},
		{"fixed credentials", testserver.AdminClientID, testserver.AdminSecret},
	} {
		t.Run(c.name, func(t *testing.T) {
			dsn := testserver.DSN(t)
			var (
				wg        sync.WaitGroup
				mu        sync.Mutex
				instances []*instance
				secrets   []string
				accounts  = map[int64]directory.APIAccount{}
			)
			for range starts {
				wg.Go(func() {
					inst := startInstance(t, dsn, auth.Config{}, "racer")
					if inst == nil {
						return
					}
					a, secret, err := inst.srv.Directory().Bootstrap(context.Background(), c.clientID, c.secret)
					mu.Lock()
					defer mu.Unlock()
					if err != nil {
						t.Errorf("bootstrap: %v", err)
						return
					}
					instances = append(instances, inst)
					if secret != "" {
						secrets = append(secrets, secret)
						accounts[a.ID] = a
					}
				})
			}
			wg.Wait()
			if t.Failed() {
				t.FailNow()
			}
			all, err := instances[0].srv.Directory().APIAccounts(context.Background(), directory.Query{Limit: 10})
			if err != nil {
				t.Fatal(err)
			}
			if all.Total != 1 {
				t.Fatalf("%d API accounts after %d concurrent first starts, want 1: %+v", all.Total, starts, all.Items)
			}
			clientID, secret := c.clientID, c.secret
			if clientID == "" {
				if len(secrets) != 1 {
					t.Fatalf("%d starts showed a new secret, want exactly 1", len(secrets))
				}
				clientID, secret = all.Items[0].ClientID, secrets[0]
				if _, ok := accounts[all.Items[0].ID]; !ok || all.Items[0].Name != directory.BootstrapName {
					t.Fatalf("the one account is %+v, not the one whose secret was shown", all.Items[0])
				}
			}
			for _, inst := range instances {
				inst.wantStatus(t, inst.token(t, clientID, secret), http.StatusOK)
			}
		})
	}
}
