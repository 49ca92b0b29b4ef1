package storetest

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"

	"github.com/gatehouse/gatehouse/internal/directory"
)

var concurrentCases = []testCase{
	{"ConcurrentWritesFailAlone", testConcurrentWritesFailAlone},
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
