package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"math/rand/v2"
	"sync/atomic"
	"time"

	"github.com/gatehouse/gatehouse/internal/directory"
)

// Store implements directory.Store over a DB, except Close: the adapter
// that opened the database closes it.
type Store struct {
	reader
	db        DB
	d         Dialect
	committer committer // see groupcommit.go
	retries   atomic.Pointer[RetryObserver]
}

// New returns a Store over db, which must hold the current schema.
func New(db DB, d Dialect) *Store {
	return &Store{reader: reader{q: db, numbered: d.Numbered, rowCounts: d.RowCounts}, db: db, d: d}
}

// Statements returns every static statement in the store's placeholder
// style, for adapters that keep them prepared.
func (s *Store) Statements() []string {
	out := make([]string, len(statements), len(statements)+1)
	for i, st := range statements {
		out[i] = s.sql(st)
	}
	if s.d.RowCounts {
		out = append(out, s.sql(stRowCount))
	}
	return out
}

// reader runs the queries of directory.Reader on a pool or a transaction.
type reader struct {
	q         Querier
	numbered  bool
	rowCounts bool // see Dialect.RowCounts
}

func (r reader) sql(s *stmt) string {
	if r.numbered {
		return s.numbered
	}
	return s.plain
}

// get runs a point query and scans its row, or reports NotFound.
func get[T any](ctx context.Context, r reader, s *stmt, resource string, scan func(scanner) (T, error), args ...any) (T, error) {
	v, err := scan(r.q.QueryRow(ctx, r.sql(s), args...))
	if errors.Is(err, sql.ErrNoRows) {
		return v, directory.NotFound(resource)
	}
	return v, err
}

// exists reports whether a query returns a row.
func (r reader) exists(ctx context.Context, s *stmt, args ...any) (bool, error) {
	var one int64
	err := r.q.QueryRow(ctx, r.sql(s), args...).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	return err == nil, err
}

// maxAttempts bounds how often Write runs fn when transactions keep
// conflicting; CockroachDB in particular expects clients to retry. On
// PostgreSQL, writes that touch the same rows (a membership bumps both the
// user's and the group's versions) conflict under SERIALIZABLE; with ten
// attempts and a 100 ms cap (about half a second in all), a soak of
// concurrent SCIM group creates sharing members ran out of attempts on a
// busy machine. Twenty-five attempts with a 250 ms cap wait up to about
// five seconds before a write is reported as failed.
const maxAttempts = 25

// Write runs fn in one transaction, retrying it on transient conflicts.
func (s *Store) Write(ctx context.Context, fn func(directory.Tx) error) error {
	return s.write(ctx, func(t *tx) error { return fn(t) })
}

func (s *Store) write(ctx context.Context, fn func(*tx) error) error {
	if s.d.GroupCommit {
		return s.retry(ctx, func() error { return s.grouped(ctx, fn) })
	}
	return s.retry(ctx, func() error { return s.attempt(ctx, fn) })
}

// retry runs fn, and again while it fails with a transient error: fn must
// have had no effect when it failed (a transaction rolled back, or a
// single statement that did not commit).
func (s *Store) retry(ctx context.Context, fn func() error) error {
	for attempt := 1; ; attempt++ {
		err := fn()
		if err == nil || !s.d.Transient(err) && !errors.Is(err, errGroupLost) {
			return err
		}
		s.retried(attempt == maxAttempts)
		if attempt == maxAttempts {
			return err
		}
		if err := sleep(ctx, backoff(attempt)); err != nil {
			return err
		}
	}
}

func (s *Store) attempt(ctx context.Context, fn func(*tx) error) error {
	c, err := s.db.Begin(ctx)
	if err != nil {
		return err
	}
	finished := false
	defer func() {
		// Also reached when fn panics, so the connection is not left
		// inside a transaction.
		if !finished {
			_ = c.Rollback(context.WithoutCancel(ctx))
		}
	}()
	t := &tx{reader: reader{q: c, numbered: s.d.Numbered, rowCounts: s.d.RowCounts}, d: s.d, now: time.Now().UTC().Truncate(time.Microsecond)}
	if err := fn(t); err != nil {
		return err
	}
	finished = true
	return c.Commit(ctx)
}

// backoff is the pause before the given retry: exponential, capped, and
// jittered so that the transactions that collided do not collide again.
func backoff(attempt int) time.Duration {
	d := min(time.Millisecond<<min(attempt, 20), 250*time.Millisecond)
	return d/2 + rand.N(d/2)
}

func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// tx implements directory.Tx.
type tx struct {
	reader
	d   Dialect
	now time.Time
}

func (t *tx) Now() time.Time { return t.now }
