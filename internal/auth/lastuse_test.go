package auth_test

import (
	"context"
	"testing"
	"time"

	"github.com/gatehouse/gatehouse/internal/auth"
	"github.com/gatehouse/gatehouse/internal/directory"
)

// A token grant records the account's last use, in the write that advances
// its serial; a refused request records nothing.
func TestTokenRecordsLastUse(t *testing.T) {
	e := newEnv(t, auth.Config{})
	a, secret := e.account(t, directory.NewAPIAccount{})
	lastUse := func() *time.Time {
		t.Helper()
		got, err := e.store.APIAccount(context.Background(), a.ID)
		if err != nil {
			t.Fatal(err)
		}
		return got.LastTokenAt
	}
	if at := lastUse(); at != nil {
		t.Fatalf("a new account was last used at %v", at)
	}
	e.issue(t, a.ClientID, secret)
	first := e.clock.Now()
	if at := lastUse(); at == nil || !at.Equal(first) {
		t.Fatalf("last use %v, want %v", at, first)
	}
	e.clock.Advance(time.Minute)
	e.wantToken(t, client, a.ClientID, "wrong", 401)
	if at := lastUse(); at == nil || !at.Equal(first) {
		t.Fatalf("a refusal moved the last use to %v", at)
	}
	e.issue(t, a.ClientID, secret)
	if at := lastUse(); at == nil || !at.Equal(first.Add(time.Minute)) {
		t.Fatalf("last use %v, want %v", at, first.Add(time.Minute))
	}
}
