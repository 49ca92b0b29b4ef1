package sqlstore

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/gatehouse/gatehouse/internal/directory"
)

// fakeDB counts transactions and fails the first failCommits commits.
type fakeDB struct {
	Querier
	failCommits        int
	commits, rollbacks int
}

var errTransient = errors.New("serialization failure")

func (d *fakeDB) Begin(context.Context) (TxConn, error)         { return &fakeTx{d}, nil }
func (d *fakeDB) Autocommit() Querier                           { return d.Querier }
func (d *fakeDB) BeginSnapshot(context.Context) (TxConn, error) { return &fakeTx{d}, nil }

type fakeTx struct{ d *fakeDB }

func (t *fakeTx) Exec(context.Context, string, ...any) (int64, error) { return 0, nil }
func (t *fakeTx) Query(context.Context, string, ...any) (Rows, error) { return nil, nil }
func (t *fakeTx) QueryRow(context.Context, string, ...any) Row        { return nil }

func (t *fakeTx) Commit(context.Context) error {
	if t.d.failCommits > 0 {
		t.d.failCommits--
		return errTransient
	}
	t.d.commits++
	return nil
}

func (t *fakeTx) Rollback(context.Context) error {
	t.d.rollbacks++
	return nil
}

func newFake(failCommits int) (*Store, *fakeDB) {
	db := &fakeDB{failCommits: failCommits}
	return New(db, Dialect{Transient: func(err error) bool { return errors.Is(err, errTransient) }}), db
}

func TestWriteRetriesTransientFailures(t *testing.T) {
	s, db := newFake(3)
	calls := 0
	if err := s.Write(context.Background(), func(directory.Tx) error { calls++; return nil }); err != nil {
		t.Fatal(err)
	}
	if calls != 4 || db.commits != 1 {
		t.Fatalf("fn ran %d times, %d commits; want 4 and 1", calls, db.commits)
	}
}

func TestWriteGivesUp(t *testing.T) {
	s, db := newFake(maxAttempts)
	calls := 0
	err := s.Write(context.Background(), func(directory.Tx) error { calls++; return nil })
	if !errors.Is(err, errTransient) || calls != maxAttempts || db.commits != 0 {
		t.Fatalf("got %v after %d calls and %d commits", err, calls, db.commits)
	}
}

func TestWriteDoesNotRetryOtherErrors(t *testing.T) {
	s, db := newFake(0)
	calls := 0
	failure := errors.New("fn failed")
	err := s.Write(context.Background(), func(directory.Tx) error { calls++; return failure })
	if !errors.Is(err, failure) || calls != 1 || db.rollbacks != 1 || db.commits != 0 {
		t.Fatalf("got %v after %d calls, %d rollbacks, %d commits", err, calls, db.rollbacks, db.commits)
	}
}

func TestWriteStopsRetryingWhenCancelled(t *testing.T) {
	s, _ := newFake(maxAttempts)
	ctx, cancel := context.WithCancel(context.Background())
	calls := 0
	err := s.Write(ctx, func(directory.Tx) error {
		calls++
		cancel()
		return nil
	})
	if !errors.Is(err, context.Canceled) || calls != 1 {
		t.Fatalf("got %v after %d calls", err, calls)
	}
}

func TestWriteRollsBackOnPanic(t *testing.T) {
	s, db := newFake(0)
	func() {
		defer func() { _ = recover() }()
		_ = s.Write(context.Background(), func(directory.Tx) error { panic("boom") })
	}()
	if db.rollbacks != 1 {
		t.Fatalf("%d rollbacks after a panic", db.rollbacks)
	}
}

func TestBackoff(t *testing.T) {
	for attempt := 1; attempt < maxAttempts; attempt++ {
		d := backoff(attempt)
		if d <= 0 || d > 250*time.Millisecond {
			t.Errorf("backoff(%d) = %v", attempt, d)
		}
	}
}
