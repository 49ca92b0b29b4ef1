package sqlstore

import (
	"context"
	"time"
)

// Periodic runs fn every interval on a goroutine of its own until stop is
// called; stop cancels fn's context and waits for a run in progress to
// end. The adapters' background upkeep (SQLite's checkpoints, PostgreSQL's
// folding of row counts) runs on it. fn handles its own errors: upkeep
// that fails is left to the next run.
func Periodic(every time.Duration, fn func(ctx context.Context)) (stop func()) {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		tick := time.NewTicker(every)
		defer tick.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-tick.C:
				fn(ctx)
			}
		}
	}()
	return func() {
		cancel()
		<-done
	}
}
