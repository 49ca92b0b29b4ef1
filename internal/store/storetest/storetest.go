// Package storetest is the conformance suite every directory.Store must
// pass. Both stores run the same cases, so a behaviour difference between
// them is a failing test.
package storetest

import (
	"context"
	"sync"
	"testing"

	"github.com/gatehouse/gatehouse/internal/directory"
)

// Opener opens a Store on the database that belongs to t: the first call
// for a test creates an empty database, and later calls for the same test
// open that database again (the suite closes a store before re-opening it,
// and closes every store it opens).
type Opener func(t *testing.T) directory.Store

// PerTest returns fn memoized per test, for Openers: the first call for a
// test calls fn, and later calls for the same test return its result.
func PerTest[T any](fn func(t *testing.T) T) func(t *testing.T) T {
	var m sync.Map
	return func(t *testing.T) T {
		if v, ok := m.Load(t); ok {
			return v.(T)
		}
		v := fn(t)
		m.Store(t, v)
		t.Cleanup(func() { m.Delete(t) })
		return v
	}
}

type testCase struct {
	name string
	fn   func(t *testing.T, open Opener)
}

// Run runs every case, each on its own database and in parallel with the
// others.
func Run(t *testing.T, open Opener) {
	var cases []testCase
	for _, group := range [][]testCase{
		userCases, filterCases, listCases, groupCases, memberCases, teamCases,
		providerCases, accountCases, eventCases, txCases, raceCases, persistenceCases,
		rateCountCases, loginLockCases, transferCases, registrationCases, secretCases, sessionCases,
		profileCases, membershipCases, concurrentCases, snapshotCases, consoleCases,
	} {
		cases = append(cases, group...)
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			c.fn(t, open)
		})
	}
}

var ctx = context.Background()

// openStore opens t's database and closes it when t ends.
func openStore(t *testing.T, open Opener) directory.Store {
	t.Helper()
	s := open(t)
	t.Cleanup(func() {
		if err := s.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	return s
}

// write runs fn in a transaction that must succeed.
func write(t *testing.T, s directory.Store, fn func(tx directory.Tx) error) {
	t.Helper()
	if err := s.Write(ctx, fn); err != nil {
		t.Fatalf("Write: %v", err)
	}
}

// must fails t unless err is nil.
func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// wantKind fails t unless err is a domain error of kind k.
func wantKind(t *testing.T, err error, k directory.Kind) {
	t.Helper()
	if !directory.IsKind(err, k) {
		t.Fatalf("got error %v, want kind %d", err, k)
	}
}

// wantConflict fails t unless err is a Conflict on field.
func wantConflict(t *testing.T, err error, field string) {
	t.Helper()
	de, ok := directory.AsError(err)
	if !ok || de.Kind != directory.KindConflict {
		t.Fatalf("got error %v, want a conflict on %s", err, field)
	}
	if msgs := de.Fields[field]; len(msgs) != 1 || msgs[0] != directory.MsgTaken {
		t.Fatalf("conflict fields %v, want %s: %q", de.Fields, field, directory.MsgTaken)
	}
}
