package auth_test

import (
	"context"
	"net/http"
	"net/netip"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gatehouse/gatehouse/internal/auth"
	"github.com/gatehouse/gatehouse/internal/directory"
)

// Sources the lock-out tests send from, through the trusted test proxy.
const (
	attacker = "198.51.100.7"
	client   = "203.0.113.9"
)

// wantToken fails t unless a token request from source is answered with
// the status want (200 or 401 invalid_client).
func (i *instance) wantToken(t *testing.T, source, clientID, secret string, want int) {
	t.Helper()
	res := i.requestTokenFrom(t, source, clientID, secret)
	if res.status != want || (want == http.StatusUnauthorized && res.errCode() != "invalid_client") {
		t.Fatalf("token request from %s: %d %v, want %d", source, res.status, res.body, want)
	}
}

// The security review's finding: wrong secrets from one address must not
// lock the account's real client out at another, and a locked source is
// refused even its right secret until the lock-out ends.
func TestLockoutIsPerSource(t *testing.T) {
	e := newEnv(t, auth.Config{LockoutAttempts: 3, LockoutDuration: 10 * time.Minute})
	a, secret := e.account(t, directory.NewAPIAccount{})
	// Failures short of the limit are forgiven by a success from there.
	for range 2 {
		e.wantToken(t, attacker, a.ClientID, "wrong", 401)
	}
	e.wantToken(t, attacker, a.ClientID, secret, 200)
	for range 2 {
		e.wantToken(t, attacker, a.ClientID, "wrong", 401)
	}
	e.wantToken(t, client, a.ClientID, "wrong", 401) // another source's failure counts apart
	e.wantToken(t, attacker, a.ClientID, "wrong", 401)
	e.wantToken(t, attacker, a.ClientID, secret, 401)
	for range 10 {
		e.wantToken(t, client, a.ClientID, secret, 200)
	}
	// An IPv6 host counts as its /64.
	e.wantToken(t, "2001:db8:1:2::1", a.ClientID, "wrong", 401)
	e.wantToken(t, "2001:db8:1:2::2", a.ClientID, "wrong", 401)
	e.wantToken(t, "2001:db8:1:2::3", a.ClientID, "wrong", 401)
	e.wantToken(t, "2001:db8:1:2:ffff::9", a.ClientID, secret, 401)
	e.wantToken(t, "2001:db8:1:3::1", a.ClientID, secret, 200)

	e.clock.Advance(10*time.Minute - time.Second)
	e.wantToken(t, attacker, a.ClientID, secret, 401)
	e.clock.Advance(time.Second)
	e.wantToken(t, attacker, a.ClientID, secret, 200)
}

// After a lock-out ends the count starts afresh, and failures further
// apart than the lock-out duration are not consecutive.
func TestLockoutCountRestarts(t *testing.T) {
	e := newEnv(t, auth.Config{LockoutAttempts: 2, LockoutDuration: time.Minute})
	a, secret := e.account(t, directory.NewAPIAccount{})
	e.wantToken(t, attacker, a.ClientID, "wrong", 401)
	e.wantToken(t, attacker, a.ClientID, "wrong", 401)
	e.clock.Advance(time.Minute)
	e.wantToken(t, attacker, a.ClientID, "wrong", 401)
	e.wantToken(t, attacker, a.ClientID, secret, 200)

	e.wantToken(t, attacker, a.ClientID, "wrong", 401)
	e.clock.Advance(time.Minute)
	e.wantToken(t, attacker, a.ClientID, "wrong", 401)
	e.wantToken(t, attacker, a.ClientID, secret, 200)
}

// Unknown client ids lock nothing, whatever they are sent with.
func TestUnknownClientLocksNothing(t *testing.T) {
	e := newEnv(t, auth.Config{LockoutAttempts: 2})
	a, secret := e.account(t, directory.NewAPIAccount{})
	for range 5 {
		e.wantToken(t, attacker, "not-"+a.ClientID, secret, 401)
	}
	e.wantToken(t, attacker, a.ClientID, secret, 200)
}

// A lock-out set on one instance holds on another within a poll, for that
// source only; one set before an instance starts holds there from its first
// request; and an instance shutting down leaves the locks it set.
func TestLockoutAcrossInstances(t *testing.T) {
	e := newEnv(t, auth.Config{LockoutAttempts: 3, LockoutDuration: 10 * time.Minute})
	other := e.newInstance()
	a, secret := e.account(t, directory.NewAPIAccount{})
	for range 3 {
		e.wantToken(t, attacker, a.ClientID, "wrong", 401)
	}
	eventually(t, 2*time.Second, "the lock-out on the second instance", func() bool {
		return other.requestTokenFrom(t, attacker, a.ClientID, secret).status == 401
	})
	other.wantToken(t, client, a.ClientID, secret, 200)
	third := e.newInstance()
	third.wantToken(t, attacker, a.ClientID, secret, 401)
	third.wantToken(t, client, a.ClientID, secret, 200)
}

// Rotating the secret, enabling the account and unlocking it lift its
// lock-outs from every source: at once on the instance that made the
// change, and on the others within a poll (as for `gatehouse api-account
// unlock`, which changes the database from another process).
func TestLockoutLifted(t *testing.T) {
	e := newEnv(t, auth.Config{LockoutAttempts: 2, LockoutDuration: time.Hour})
	cli := e.newInstance() // the command line: another process on the database
	ctx := directory.WithActor(context.Background(), directory.Actor{Kind: directory.ActorCLI})
	a, secret := e.account(t, directory.NewAPIAccount{})
	// lockOut locks both sources out and waits until the locks are
	// written: an unlock lifts the lock-outs written by then.
	lockOut := func() {
		t.Helper()
		for _, src := range []string{attacker, client} {
			e.wantToken(t, src, a.ClientID, "wrong", 401)
			e.wantToken(t, src, a.ClientID, "wrong", 401)
			e.wantToken(t, src, a.ClientID, secret, 401)
		}
		eventually(t, 2*time.Second, "the lock-outs written", func() bool {
			got, err := e.store.LoginLocks(context.Background(), e.clock.Now())
			return err == nil && len(got) == 2
		})
	}

	lockOut()
	if _, err := cli.dir.UnlockAPIAccount(ctx, a.ID); err != nil {
		t.Fatal(err)
	}
	eventually(t, 2*time.Second, "the unlock", func() bool {
		return e.requestTokenFrom(t, attacker, a.ClientID, secret).status == 200
	})
	e.wantToken(t, client, a.ClientID, secret, 200)

	lockOut()
	if _, err := e.auth.SetAPIAccountEnabled(ctx, a.ID, true); err != nil {
		t.Fatal(err)
	}
	e.wantToken(t, attacker, a.ClientID, secret, 200)
	e.wantToken(t, client, a.ClientID, secret, 200)

	lockOut()
	_, secret, err := e.auth.RotateSecret(ctx, a.ID)
	if err != nil {
		t.Fatal(err)
	}
	e.logs.secret(secret)
	e.wantToken(t, attacker, a.ClientID, secret, 200)
	e.wantToken(t, client, a.ClientID, secret, 200)

	// Each change is audited; unlocking an unknown account is NotFound.
	events, err := e.store.Events(context.Background(), directory.Query{Limit: 50})
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, ev := range events.Items {
		seen[ev.Action] = true
	}
	for _, action := range []string{"api_account.unlock", "api_account.enable", "api_account.rotate_secret"} {
		if !seen[action] {
			t.Errorf("no %s event in the audit log", action)
		}
	}
	if _, err := cli.dir.UnlockAPIAccount(ctx, a.ID+100); !directory.IsKind(err, directory.KindNotFound) {
		t.Errorf("unlocking an unknown account: %v", err)
	}
}

// Wrong secrets arriving together count one by one: exactly one lock-out
// is written, however many requests raced to it.
func TestConcurrentFailuresLockOnce(t *testing.T) {
	e := newEnv(t, auth.Config{LockoutAttempts: 5, LockoutDuration: 10 * time.Minute})
	a, secret := e.account(t, directory.NewAPIAccount{})
	src := netip.MustParseAddr(attacker)
	var wg sync.WaitGroup
	for range 40 {
		wg.Go(func() {
			if _, _, err := e.auth.IssueToken(context.Background(), a.ClientID, "wrong", "", src); err != auth.ErrInvalidClient {
				t.Errorf("wrong secret: %v", err)
			}
		})
	}
	wg.Wait()
	e.wantToken(t, attacker, a.ClientID, secret, 401)
	want := []directory.LoginLock{{AccountID: a.ID, Source: attacker + "/32", Until: e.clock.Now().Add(10 * time.Minute)}}
	eventually(t, 2*time.Second, "the lock-out written", func() bool {
		got, err := e.store.LoginLocks(context.Background(), e.clock.Now())
		return err == nil && len(got) == 1 && got[0].AccountID == want[0].AccountID && got[0].Source == want[0].Source &&
			got[0].Until.Equal(want[0].Until)
	})
}

// countingStore is the real store, counting the calls a token request may
// make on the request path.
type countingStore struct {
	directory.Store
	reads, writes atomic.Int64
}

func (s *countingStore) APIAccountByClientID(ctx context.Context, id string) (directory.APIAccount, error) {
	s.reads.Add(1)
	return s.Store.APIAccountByClientID(ctx, id)
}

func (s *countingStore) APIAccount(ctx context.Context, id int64) (directory.APIAccount, error) {
	s.reads.Add(1)
	return s.Store.APIAccount(ctx, id)
}

func (s *countingStore) Write(ctx context.Context, fn func(directory.Tx) error) error {
	s.writes.Add(1)
	return s.Store.Write(ctx, fn)
}

func (s *countingStore) PutLoginLocks(ctx context.Context, locks []directory.LoginLock) error {
	if len(locks) > 0 {
		s.writes.Add(1)
	}
	return s.Store.PutLoginLocks(ctx, locks)
}

// Every refusal costs the same store work, one read and no write, so that
// neither timing nor load tells an unknown client id from a known one
// with a wrong secret, a locked-out source or a disabled account.
func TestRefusalsCostTheSame(t *testing.T) {
	e := newEnv(t, auth.Config{LockoutAttempts: 3, LockoutDuration: time.Hour})
	cs := &countingStore{}
	i := e.newInstanceWrapping(func(s directory.Store) directory.Store { cs.Store = s; return cs })
	a, secret := e.account(t, directory.NewAPIAccount{})
	off, offSecret := e.account(t, directory.NewAPIAccount{})
	ctx := directory.WithActor(context.Background(), directory.Actor{Kind: directory.ActorCLI})
	if _, err := e.dir.SetAPIAccountEnabled(ctx, off.ID, false); err != nil {
		t.Fatal(err)
	}
	// The instance has seen both accounts as they are now.
	i.wantToken(t, client, a.ClientID, secret, 200)
	i.wantToken(t, client, off.ClientID, offSecret, 401)
	for range 3 {
		i.wantToken(t, attacker, a.ClientID, "wrong", 401)
	}
	// The lock is written in the background; its write is not a refusal's cost.
	eventually(t, 2*time.Second, "the lock-out written", func() bool {
		got, err := e.store.LoginLocks(context.Background(), e.clock.Now())
		return err == nil && len(got) == 1
	})
	cost := func(what string, req func()) {
		t.Helper()
		r0, w0 := cs.reads.Load(), cs.writes.Load()
		req()
		if r, w := cs.reads.Load()-r0, cs.writes.Load()-w0; r != 1 || w != 0 {
			t.Errorf("%s: %d reads and %d writes, want 1 and 0", what, r, w)
		}
	}
	cost("unknown client id", func() { i.wantToken(t, client, "no-such-client", secret, 401) })
	cost("wrong secret", func() { i.wantToken(t, client, a.ClientID, "wrong", 401) })
	cost("locked-out source", func() { i.wantToken(t, attacker, a.ClientID, secret, 401) })
	cost("disabled account", func() { i.wantToken(t, client, off.ClientID, offSecret, 401) })
}

// An unlock holds however the background sync runs beside it: a lock the
// sync had taken to write, or had read, before the unlock is not put back
// after it. Polling every millisecond makes them overlap.
func TestUnlockHoldsAgainstTheSync(t *testing.T) {
	e := newEnv(t, auth.Config{LockoutAttempts: 3, LockoutDuration: time.Hour, PollInterval: time.Millisecond})
	a, secret := e.account(t, directory.NewAPIAccount{})
	ctx := directory.WithActor(context.Background(), directory.Actor{Kind: directory.ActorCLI})
	for round := range 30 {
		for range 3 {
			e.wantToken(t, attacker, a.ClientID, "wrong", 401)
		}
		// Let a sync take the new lock, then unlock while it may be writing.
		time.Sleep(time.Duration(round%3) * time.Millisecond)
		if _, err := e.auth.UnlockAPIAccount(ctx, a.ID); err != nil {
			t.Fatal(err)
		}
		time.Sleep(5 * time.Millisecond) // a few syncs after the unlock
		if _, until := e.auth.LockoutStatus(a.ID); until != nil {
			t.Fatalf("round %d: locked until %v after the unlock", round, until)
		}
		e.wantToken(t, attacker, a.ClientID, secret, 200)
	}
}
