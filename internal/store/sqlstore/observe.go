package sqlstore

import (
	"context"
	"time"
)

// RetryObserver hears of the retries of Write (and of the statements run
// outside transactions), for metrics. Its methods must be cheap and safe
// for concurrent use.
type RetryObserver interface {
	// TxRetried: an attempt failed transiently and will run again.
	TxRetried()
	// TxGaveUp: the last attempt failed transiently too, and its error is
	// returned.
	TxGaveUp()
}

// ObserveRetries makes o hear of retries from now on. It may be called
// while the store is in use.
func (s *Store) ObserveRetries(o RetryObserver) { s.retries.Store(&o) }

func (s *Store) retried(gaveUp bool) {
	o := s.retries.Load()
	switch {
	case o == nil:
	case gaveUp:
		(*o).TxGaveUp()
	default:
		(*o).TxRetried()
	}
}

// PoolStats is one connection pool's state at one moment, as the adapters
// report it for metrics (their PoolStats methods).
type PoolStats struct {
	Pool         string // the pool's name
	InUse, Idle  int
	Max          int // 0: unlimited
	Waits        int64
	WaitDuration time.Duration // in all, since the pool opened
}

var stActiveSessions = newStmt("SELECT count(*) FROM sessions WHERE last_seen >= ?")

// ActiveSessions counts the sessions seen at or after since (served by the
// index on last_seen), for metrics: idle ones are swept only now and then.
func (s *Store) ActiveSessions(ctx context.Context, since time.Time) (int64, error) {
	var n int64
	err := s.reader.q.QueryRow(ctx, s.sql(stActiveSessions), micros(since)).Scan(&n)
	return n, err
}
