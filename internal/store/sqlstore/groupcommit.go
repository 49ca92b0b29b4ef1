package sqlstore

import (
	"context"
	"errors"
	"runtime"
	"sync"
	"time"
)

// Group commit, for dialects with a single writer (Dialect.GroupCommit).
//
// SQLite runs one write transaction at a time, and a commit costs more than
// the statements of a typical write (it appends every page the transaction
// touched to the WAL). So the transactions that queue while one commits are
// run together: one BEGIN, each transaction's work inside a SAVEPOINT of its
// own, one COMMIT. Each is still atomic and isolated from the others'
// failures: one that fails is rolled back to its savepoint and reports its
// own error, and the rest commit. Nobody is answered before the COMMIT has
// returned, so an acknowledged write is as durable as it was alone, and
// since the group runs in order on one connection, each member sees the
// members before it, as if they had committed one after another.

// maxGroup bounds how many transactions share a commit, so that the first
// of a long queue is not kept waiting for the last.
const maxGroup = 64

// errGroupLost is what the members of a group hear when the group's
// transaction ended before its COMMIT (SQLite rolls the whole transaction
// back when a statement is interrupted by its caller's cancelled context).
// Their work was undone, so Write runs them again.
var errGroupLost = errors.New("sqlstore: the shared transaction was rolled back; retrying")

// groupWrite is one transaction waiting for a group.
type groupWrite struct {
	ctx  context.Context
	fn   func(*tx) error
	done chan groupResult
}

type groupResult struct {
	err      error
	panicked any // re-raised in the caller's goroutine, where its handler recovers
}

// committer queues transactions and runs them in groups, on a goroutine that
// exists only while there is work.
type committer struct {
	mu      sync.Mutex
	queue   []*groupWrite
	running bool
}

// grouped runs fn in the next group and waits for that group's commit.
// It waits even when ctx ends: by then fn may be committed, and the caller
// must not hear otherwise.
func (s *Store) grouped(ctx context.Context, fn func(*tx) error) error {
	w := &groupWrite{ctx: ctx, fn: fn, done: make(chan groupResult, 1)}
	c := &s.committer
	c.mu.Lock()
	c.queue = append(c.queue, w)
	if !c.running {
		c.running = true
		go s.commitLoop()
	}
	c.mu.Unlock()
	res := <-w.done
	if res.panicked != nil {
		panic(res.panicked)
	}
	return res.err
}

func (s *Store) commitLoop() {
	c := &s.committer
	for {
		// Let the callers that are ready to queue do so first: on a
		// single CPU they cannot run while this goroutine does, and the
		// group would be a group of one.
		runtime.Gosched()
		c.mu.Lock()
		n := min(len(c.queue), maxGroup)
		if n == 0 {
			c.running = false
			c.mu.Unlock()
			return
		}
		group := c.queue[:n:n]
		c.queue = c.queue[n:]
		if len(c.queue) == 0 {
			c.queue = nil // let the backing array go
		}
		c.mu.Unlock()
		s.commitGroup(group)
	}
}

// commitGroup runs one group's transactions in one database transaction.
func (s *Store) commitGroup(group []*groupWrite) {
	results := make([]groupResult, len(group))
	defer func() {
		for i, w := range group {
			w.done <- results[i]
		}
	}()
	// The shared transaction outlives any one caller's context; a
	// member's statements still run under its own.
	ctx := context.Background()
	conn, err := s.db.Begin(ctx)
	if err != nil {
		for i := range results {
			results[i].err = err
		}
		return
	}
	live, committed := 0, false
	defer func() {
		if !committed {
			_ = conn.Rollback(ctx)
		}
	}()
	for i, w := range group {
		if err := w.ctx.Err(); err != nil {
			results[i].err = err
			continue
		}
		var lost bool
		results[i], lost = s.member(conn, w, len(group) > 1)
		if lost {
			// The transaction is gone, and with it the work of every
			// member before this one: they, and the ones after, run
			// again in a later group.
			for j := range group {
				if j > i || j < i && results[j].err == nil && results[j].panicked == nil {
					results[j].err = errGroupLost
				}
			}
			return
		}
		if results[i].err == nil && results[i].panicked == nil {
			live++
		}
	}
	if live == 0 {
		return
	}
	err = conn.Commit(ctx)
	committed = true
	if err != nil {
		for i := range results {
			if results[i].err == nil && results[i].panicked == nil {
				results[i].err = err
			}
		}
	}
}

// member runs one transaction of a group, inside a savepoint when it shares
// the group with others, and undoes its work when it fails or panics. lost
// reports that the shared transaction itself is gone.
func (s *Store) member(conn TxConn, w *groupWrite, shared bool) (res groupResult, lost bool) {
	ctx := context.Background()
	if shared {
		if _, err := conn.Exec(ctx, "SAVEPOINT member"); err != nil {
			return groupResult{err: errGroupLost}, true
		}
	}
	// end closes the savepoint; alone in the group, a member needs none:
	// the group's rollback undoes a failure and its commit keeps a success.
	end := func(keep bool) bool {
		if !shared {
			return true
		}
		if !keep {
			// ROLLBACK TO fails only when the transaction itself is gone.
			if _, err := conn.Exec(ctx, "ROLLBACK TO member"); err != nil {
				return false
			}
		}
		_, err := conn.Exec(ctx, "RELEASE member")
		return err == nil
	}
	defer func() {
		if p := recover(); p != nil {
			res, lost = groupResult{panicked: p}, !end(false)
		}
	}()
	t := &tx{reader: reader{q: conn, numbered: s.d.Numbered, rowCounts: s.d.RowCounts}, d: s.d,
		now: time.Now().UTC().Truncate(time.Microsecond)}
	if err := w.fn(t); err != nil {
		if !end(false) {
			return groupResult{err: errGroupLost}, true
		}
		return groupResult{err: err}, false
	}
	if !end(true) {
		return groupResult{err: errGroupLost}, true
	}
	return groupResult{}, false
}
