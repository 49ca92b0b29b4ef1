package storetest

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gatehouse/gatehouse/internal/directory"
)

var concurrentCases = []testCase{
	{"ConcurrentWritesFailAlone", testConcurrentWritesFailAlone},
	{"ConcurrentCreatesRarelyRetry", testConcurrentCreatesRarelyRetry},
}

// testConcurrentCreatesRarelyRetry checks that concurrent creates of
// different users do not conflict with each other: Write runs a
// transaction again after a serialization failure, so counting how often
// fn runs counts the conflicts. A shared row that every create updates (a
// counter read and written in the transaction) makes most of them retry.
func testConcurrentCreatesRarelyRetry(t *testing.T, open Opener) {
	s := openStore(t, open)
	const writers, each = 8, 40
	var runs atomic.Int64
	var wg sync.WaitGroup
	for w := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range each {
				err := s.Write(ctx, func(tx directory.Tx) error {
					runs.Add(1)
					u := user(fmt.Sprintf("creator%d-%d", w, i))
					if err := tx.CreateUser(ctx, &u); err != nil {
						return err
					}
					// Long enough for the others' transactions to overlap.
					time.Sleep(time.Millisecond)
					return nil
				})
				if err != nil {
					t.Error(err)
					return
				}
			}
		}()
	}
	wg.Wait()
	t.Logf("%d creates ran %d times", writers*each, runs.Load())
	if n, max := runs.Load(), int64(writers*each*11/10); n > max {
		t.Errorf("%d creates ran %d times: more than 10%% were retried after conflicts", writers*each, n)
	}
	page, err := s.Users(ctx, directory.Query{})
	must(t, err)
	equal(t, "users total", page.Total, writers*each)
}

// testConcurrentWritesFailAlone starts many transactions at once, so that a
// store which commits queued transactions together (SQLite's group commit)
// runs them in shared commits, and checks that each is still its own:
// one that fails, panics, or whose caller gave up leaves no trace and takes
// nobody else's work with it, and each caller hears its own outcome.
func testConcurrentWritesFailAlone(t *testing.T, open Opener) {
	s := openStore(t, open)
	const n = 96
	type outcome struct {
		err      error
		panicked any
	}
	outcomes := make([]outcome, n)
	start := make(chan struct{})
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() { outcomes[i].panicked = recover() }()
			wctx := ctx
			if i%11 == 5 {
				cancelled, cancel := context.WithCancel(ctx)
				cancel()
				wctx = cancelled
			}
			<-start
			outcomes[i].err = s.Write(wctx, func(tx directory.Tx) error {
				u := user(fmt.Sprintf("writer%02d", i))
				if err := tx.CreateUser(wctx, &u); err != nil {
					return err
				}
				switch {
				case i%7 == 3:
					panic(fmt.Sprintf("writer %d panics", i))
				case i%3 == 1:
					return fmt.Errorf("writer %d: %w", i, errRollback)
				}
				return nil
			})
		}()
	}
	close(start)
	wg.Wait()

	want := map[string]bool{}
	for i, o := range outcomes {
		cancelled := i%11 == 5
		switch {
		case cancelled:
			if !errors.Is(o.err, context.Canceled) || o.panicked != nil {
				t.Errorf("writer %d (cancelled): err %v, panic %v; want context.Canceled", i, o.err, o.panicked)
			}
		case i%7 == 3:
			if o.panicked != fmt.Sprintf("writer %d panics", i) {
				t.Errorf("writer %d: panic %v (err %v); want its own panic", i, o.panicked, o.err)
			}
		case i%3 == 1:
			if !errors.Is(o.err, errRollback) || o.err.Error() != fmt.Sprintf("writer %d: roll back", i) {
				t.Errorf("writer %d: err %v; want its own error", i, o.err)
			}
		default:
			if o.err != nil || o.panicked != nil {
				t.Errorf("writer %d: err %v, panic %v; want success", i, o.err, o.panicked)
			}
			want[fmt.Sprintf("writer%02d", i)] = true
		}
	}
	page, err := s.Users(ctx, directory.Query{Limit: 2 * n})
	must(t, err)
	got := map[string]bool{}
	for _, u := range page.Items {
		got[u.Username] = true
	}
	if len(got) != len(want) || page.Total != len(want) {
		t.Errorf("%d users stored (total %d), want %d", len(got), page.Total, len(want))
	}
	for name := range want {
		if !got[name] {
			t.Errorf("%s succeeded but is not stored", name)
		}
	}
}
