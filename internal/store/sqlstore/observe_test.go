package sqlstore

import (
	"context"
	"sync/atomic"
	"testing"

	"github.com/gatehouse/gatehouse/internal/directory"
)

type retryCounts struct{ retried, gaveUp atomic.Int64 }

func (c *retryCounts) TxRetried() { c.retried.Add(1) }
func (c *retryCounts) TxGaveUp()  { c.gaveUp.Add(1) }

func TestRetriesAreObserved(t *testing.T) {
	for _, c := range []struct {
		failures                int
		wantRetried, wantGaveUp int64
	}{
		{0, 0, 0},
		{3, 3, 0},
		{maxAttempts, maxAttempts - 1, 1},
	} {
		s, _ := newFake(c.failures)
		var got retryCounts
		s.ObserveRetries(&got)
		_ = s.Write(context.Background(), func(directory.Tx) error { return nil })
		if got.retried.Load() != c.wantRetried || got.gaveUp.Load() != c.wantGaveUp {
			t.Errorf("%d transient failures: %d retries and %d give-ups observed, want %d and %d",
				c.failures, got.retried.Load(), got.gaveUp.Load(), c.wantRetried, c.wantGaveUp)
		}
	}
}

func TestRetriesUnobservedByDefault(t *testing.T) {
	s, db := newFake(2)
	if err := s.Write(context.Background(), func(directory.Tx) error { return nil }); err != nil || db.commits != 1 {
		t.Fatalf("Write without an observer: %v, %d commits", err, db.commits)
	}
}
