package storetest

import (
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gatehouse/gatehouse/internal/directory"
)

var txCases = []testCase{
	{"Rollback", testRollback},
	{"RollbackOnPanic", testRollbackOnPanic},
	{"TxNow", testTxNow},
	{"TxIsolation", testTxIsolation},
	{"ConcurrentCreates", testConcurrentCreates},
	{"NoLostUpdates", testNoLostUpdates},
}

var errRollback = errors.New("roll back")

// testRollback checks that nothing a failed transaction wrote remains,
// including its audit events.
func testRollback(t *testing.T, open Opener) {
	s := openStore(t, open)
	existing := createUsers(t, s, "existing")[0]
	err := s.Write(ctx, func(tx directory.Tx) error {
		u, g := user("new"), group("new")
		if err := tx.CreateUser(ctx, &u); err != nil {
			return err
		}
		if err := tx.CreateGroup(ctx, &g); err != nil {
			return err
		}
		m := directory.Member{GroupID: g.ID, SecurityProviderID: u.SecurityProviderID, UserID: existing.ID}
		if err := tx.AddMember(ctx, &m); err != nil {
			return err
		}
		e := directory.Event{Actor: "cli", Action: "user.create", TargetType: "user", TargetID: u.ID}
		if err := tx.AppendEvent(ctx, &e); err != nil {
			return err
		}
		changed := existing
		changed.Email = "changed@example.com"
		if err := tx.UpdateUser(ctx, &changed); err != nil {
			return err
		}
		return fmt.Errorf("giving up: %w", errRollback)
	})
	if !errors.Is(err, errRollback) {
		t.Fatalf("Write returned %v, want fn's error", err)
	}
	assertOnly(t, s, existing)
}

// assertOnly checks that the store holds the one user u as it was, and no
// group or event.
func assertOnly(t *testing.T, s directory.Store, u directory.User) {
	t.Helper()
	users, err := s.Users(ctx, directory.Query{Limit: 10})
	must(t, err)
	equal(t, "users", users.Items, []directory.User{u})
	groups, err := s.Groups(ctx, directory.Query{})
	must(t, err)
	events, err := s.Events(ctx, directory.Query{})
	must(t, err)
	if groups.Total != 0 || events.Total != 0 {
		t.Fatalf("%d groups and %d events remain", groups.Total, events.Total)
	}
}

func testRollbackOnPanic(t *testing.T, open Opener) {
	s := openStore(t, open)
	existing := createUsers(t, s, "existing")[0]
	func() {
		defer func() {
			if recover() == nil {
				t.Fatal("the panic did not reach Write's caller")
			}
		}()
		_ = s.Write(ctx, func(tx directory.Tx) error {
			u := user("new")
			if err := tx.CreateUser(ctx, &u); err != nil {
				return err
			}
			panic("fn failed")
		})
	}()
	assertOnly(t, s, existing)
	// The store still writes: the transaction did not stay open.
	createUsers(t, s, "after")
}

func testTxNow(t *testing.T, open Opener) {
	s := openStore(t, open)
	before := time.Now()
	var first, second directory.User
	write(t, s, func(tx directory.Tx) error {
		now := tx.Now()
		if now.Location() != time.UTC || !now.Equal(now.Truncate(time.Microsecond)) {
			t.Errorf("Now() = %v, want UTC in whole microseconds", now)
		}
		if now.Before(before.Truncate(time.Microsecond)) || now.After(time.Now()) {
			t.Errorf("Now() = %v, outside the transaction's lifetime", now)
		}
		first, second = user("first"), user("second")
		if err := tx.CreateUser(ctx, &first); err != nil {
			return err
		}
		time.Sleep(2 * time.Millisecond)
		if !tx.Now().Equal(now) {
			t.Errorf("Now() moved from %v to %v within one transaction", now, tx.Now())
		}
		return tx.CreateUser(ctx, &second)
	})
	if !first.CreatedAt.Equal(second.CreatedAt) {
		t.Fatalf("rows of one transaction have times %v and %v", first.CreatedAt, second.CreatedAt)
	}
}

// testTxIsolation checks that reads outside a transaction do not see its
// uncommitted writes, and do see them once it commits.
func testTxIsolation(t *testing.T, open Opener) {
	s := openStore(t, open)
	var u directory.User
	write(t, s, func(tx directory.Tx) error {
		u = user("pending")
		if err := tx.CreateUser(ctx, &u); err != nil {
			return err
		}
		_, err := s.User(ctx, u.ID)
		wantKind(t, err, directory.KindNotFound)
		inside, err := tx.Users(ctx, directory.Query{Filter: directory.Eq(directory.UserUsername, "pending"), Limit: 1})
		if err != nil || inside.Total != 1 {
			t.Errorf("the transaction lists %+v (%v), want its own user", inside, err)
		}
		return nil
	})
	_, err := s.User(ctx, u.ID)
	must(t, err)
}

// testConcurrentCreates races writers creating users, some with the same
// names: each name is created exactly once, the others get a Conflict.
func testConcurrentCreates(t *testing.T, open Opener) {
	s := openStore(t, open)
	const writers, shared = 8, 5
	var created, conflicts atomic.Int64
	var wg sync.WaitGroup
	for w := range writers {
		wg.Go(func() {
			for i := range shared {
				for _, name := range []string{fmt.Sprintf("shared-%d", i), fmt.Sprintf("Own-%d-%d", w, i)} {
					u := user(name)
					err := s.Write(ctx, func(tx directory.Tx) error { return tx.CreateUser(ctx, &u) })
					switch {
					case err == nil:
						created.Add(1)
					case directory.IsKind(err, directory.KindConflict):
						conflicts.Add(1)
					default:
						t.Errorf("creating %s: %v", name, err)
					}
				}
			}
		})
	}
	wg.Wait()
	if created.Load() != writers*shared+shared || conflicts.Load() != (writers-1)*shared {
		t.Fatalf("%d created and %d conflicts, want %d and %d", created.Load(), conflicts.Load(),
			writers*shared+shared, (writers-1)*shared)
	}
	page, err := s.Users(ctx, directory.Query{})
	must(t, err)
	if page.Total != writers*shared+shared {
		t.Fatalf("%d users stored", page.Total)
	}
}

// testNoLostUpdates races read-modify-write transactions on one row. The
// store must serialize them, retrying those that conflict, so that every
// increment counts.
func testNoLostUpdates(t *testing.T, open Opener) {
	s := openStore(t, open)
	u := createUsers(t, s, "counter")[0]
	const writers, increments = 8, 5
	var attempts atomic.Int64
	var wg sync.WaitGroup
	for range writers {
		wg.Go(func() {
			for range increments {
				err := s.Write(ctx, func(tx directory.Tx) error {
					attempts.Add(1)
					v, err := tx.User(ctx, u.ID)
					if err != nil {
						return err
					}
					v.FailedLogins++
					return tx.UpdateUser(ctx, &v)
				})
				if err != nil {
					t.Errorf("increment: %v", err)
				}
			}
		})
	}
	wg.Wait()
	got, err := s.User(ctx, u.ID)
	must(t, err)
	if got.FailedLogins != writers*increments || got.Version != 1+writers*increments {
		t.Fatalf("counter %d at version %d, want %d at %d", got.FailedLogins, got.Version,
			writers*increments, 1+writers*increments)
	}
	t.Logf("%d increments took %d attempts", writers*increments, attempts.Load())
}
