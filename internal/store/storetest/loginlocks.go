package storetest

import (
	"errors"
	"testing"
	"time"

	"github.com/gatehouse/gatehouse/internal/directory"
)

var loginLockCases = []testCase{
	{"LoginLocks", testLoginLocks},
	{"LoginLocksClearedInTx", testLoginLocksClearedInTx},
}

func lock(account int64, source, until string) directory.LoginLock {
	return directory.LoginLock{AccountID: account, Source: source, Until: at(until)}
}

// testLoginLocks checks that locks read back in force by account and
// source, that a lock put again replaces the one before (even later in the
// same batch), that ended locks are not read and are deleted, and that
// locks are in the database, not in the store value.
func testLoginLocks(t *testing.T, open Opener) {
	s := openStore(t, open)
	now := at("2026-03-01T12:00:00Z")
	got, err := s.LoginLocks(ctx, now)
	must(t, err)
	equal(t, "no locks", got, []directory.LoginLock{})
	must(t, s.PutLoginLocks(ctx, nil))

	must(t, s.PutLoginLocks(ctx, []directory.LoginLock{
		lock(2, "198.51.100.7/32", "2026-03-01T12:15:00.000001Z"),
		lock(1, "2001:db8:1:2::/64", "2026-03-01T12:10:00Z"),
		lock(1, "198.51.100.7/32", "2026-03-01T11:59:00Z"), // ended already
		lock(1, "203.0.113.9/32", "2026-03-01T12:01:00Z"),
		lock(1, "203.0.113.9/32", "2026-03-01T12:05:00Z"), // the same source again: the later wins
	}))
	want := []directory.LoginLock{
		lock(1, "2001:db8:1:2::/64", "2026-03-01T12:10:00Z"),
		lock(1, "203.0.113.9/32", "2026-03-01T12:05:00Z"),
		lock(2, "198.51.100.7/32", "2026-03-01T12:15:00.000001Z"),
	}
	got, err = s.LoginLocks(ctx, now)
	must(t, err)
	equal(t, "locks in force", got, want)

	// A lock ending exactly at the time asked about is not in force.
	got, err = s.LoginLocks(ctx, at("2026-03-01T12:10:00Z"))
	must(t, err)
	equal(t, "locks in force at 12:10", got, want[2:])

	must(t, s.Close())
	s = openStore(t, open)
	must(t, s.DeleteLoginLocks(ctx, at("2026-03-01T12:05:00Z")))
	got, err = s.LoginLocks(ctx, time.Time{})
	must(t, err)
	equal(t, "locks after deleting those ended by 12:05", got, []directory.LoginLock{want[0], want[2]})
}

// testLoginLocksClearedInTx checks that clearing an account's locks takes
// every source of that account and no other account's, and only when the
// transaction commits.
func testLoginLocksClearedInTx(t *testing.T, open Opener) {
	s := openStore(t, open)
	all := []directory.LoginLock{
		lock(1, "198.51.100.7/32", "2030-01-01T00:00:00Z"),
		lock(1, "2001:db8::/64", "2030-01-01T00:00:00Z"),
		lock(2, "198.51.100.7/32", "2030-01-01T00:00:00Z"),
	}
	must(t, s.PutLoginLocks(ctx, all))
	abort := errors.New("abort")
	err := s.Write(ctx, func(tx directory.Tx) error {
		if err := tx.ClearLoginLocks(ctx, 1); err != nil {
			return err
		}
		return abort
	})
	if !errors.Is(err, abort) {
		t.Fatalf("Write: %v", err)
	}
	got, err := s.LoginLocks(ctx, at("2026-01-01T00:00:00Z"))
	must(t, err)
	equal(t, "locks after a rolled-back clear", got, all)

	write(t, s, func(tx directory.Tx) error { return tx.ClearLoginLocks(ctx, 1) })
	got, err = s.LoginLocks(ctx, at("2026-01-01T00:00:00Z"))
	must(t, err)
	equal(t, "locks after clearing account 1", got, all[2:])
}
