package storetest

import (
	"errors"
	"testing"

	"github.com/gatehouse/gatehouse/internal/directory"
)

var snapshotCases = []testCase{
	{"SnapshotIgnoresLaterCommits", testSnapshotIgnoresLaterCommits},
	{"SnapshotDoesNotBlockWriters", testSnapshotDoesNotBlockWriters},
	{"SnapshotReturnsFnError", testSnapshotReturnsFnError},
	{"SnapshotReadsIDMarks", testSnapshotReadsIDMarks},
}

// A write that commits while a snapshot is open is invisible to it, in
// lists, totals, point reads and memberships alike, and visible after.
func testSnapshotIgnoresLaterCommits(t *testing.T, open Opener) {
	s := openStore(t, open)
	before := createUsers(t, s, "ann", "bob")
	g := createGroup(t, s, "ops")
	addUsers(t, s, g, before[0])
	var late directory.User
	must(t, s.Snapshot(ctx, func(r directory.Reader) error {
		// The snapshot's moment is when Snapshot began, even before fn's
		// first read.
		late = createUsers(t, s, "carol")[0]
		addUsers(t, s, g, late)
		write(t, s, func(tx directory.Tx) error { return tx.DeleteUser(ctx, before[1].ID) })

		page, err := r.Users(ctx, directory.Query{Limit: 10})
		must(t, err)
		equal(t, "users in the snapshot", ids(page.Items), ids(before))
		equal(t, "users total in the snapshot", page.Total, 2)
		if _, err := r.User(ctx, late.ID); !directory.IsKind(err, directory.KindNotFound) {
			t.Errorf("a user created after the snapshot began: %v, want not found", err)
		}
		if _, err := r.User(ctx, before[1].ID); err != nil {
			t.Errorf("a user deleted after the snapshot began: %v", err)
		}
		members, err := r.Members(ctx, g.ID, directory.Query{Limit: 10})
		must(t, err)
		equal(t, "members total in the snapshot", members.Total, 1)
		return nil
	}))
	page, err := s.Users(ctx, directory.Query{Limit: 10})
	must(t, err)
	equal(t, "users after the snapshot", ids(page.Items), []int64{before[0].ID, late.ID})
}

// Writers commit while a snapshot is open (nothing waits for it to end).
func testSnapshotDoesNotBlockWriters(t *testing.T, open Opener) {
	s := openStore(t, open)
	createUsers(t, s, "ann")
	must(t, s.Snapshot(ctx, func(r directory.Reader) error {
		if _, err := r.Users(ctx, directory.Query{Limit: 1}); err != nil {
			return err
		}
		done := make(chan error, 1)
		go func() {
			done <- s.Write(ctx, func(tx directory.Tx) error { u := user("bob"); return tx.CreateUser(ctx, &u) })
		}()
		return <-done
	}))
}

func testSnapshotReturnsFnError(t *testing.T, open Opener) {
	s := openStore(t, open)
	failure := errors.New("fn failed")
	if err := s.Snapshot(ctx, func(directory.Reader) error { return failure }); !errors.Is(err, failure) {
		t.Fatalf("Snapshot returned %v, want fn's error", err)
	}
	// The snapshot's connection went back to the pool out of its
	// transaction: later snapshots and reads work.
	for range 3 {
		must(t, s.Snapshot(ctx, func(r directory.Reader) error { _, err := r.Users(ctx, directory.Query{}); return err }))
	}
}

// The snapshot's Reader reads the id generators too, at least as far as
// the ids of the rows it sees, so that an export's marks cover its rows.
func testSnapshotReadsIDMarks(t *testing.T, open Opener) {
	s := openStore(t, open)
	users := createUsers(t, s, "ann", "bob")
	must(t, s.Snapshot(ctx, func(r directory.Reader) error {
		m, ok := r.(directory.IDMarker)
		if !ok {
			t.Fatal("the snapshot's Reader has no IDMarks")
		}
		marks, err := m.IDMarks(ctx)
		must(t, err)
		if marks.User < users[1].ID {
			t.Errorf("user mark %d below the id %d the snapshot holds", marks.User, users[1].ID)
		}
		return nil
	}))
}
