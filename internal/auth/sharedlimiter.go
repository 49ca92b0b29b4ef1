package auth

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"github.com/gatehouse/gatehouse/internal/directory"
)

// sharedLimiter holds the rate limits across every instance on one
// database. Each instance counts its requests in memory, in the same fixed
// windows as windowLimiter, and run adds them to the store's counters every
// sync interval, reading back what all instances counted together. A
// request is admitted when
//
//	total at the last sync + requests counted here since < limit
//
// so the request path reads only memory and never waits on the database.
//
// The price is slack: an instance learns of the others' requests only once
// they have synced and it has synced after them, up to two sync intervals
// (plus a database round trip) later. So in one window N instances together
// admit at most about
//
//	limit + (N−1) × (what one instance admits in two sync intervals)
//
// and never more than N × limit, as each still applies the limit to what it
// counts itself. An instance that has seen no request of an account for a
// while knows its total only from its own last sync, so a burst arriving
// there falls under the same bound. With the default 100 ms interval, and
// no instance admitting more than the per-second limit in a second, the
// hourly limit holds to within about (N−1) × the per-second limit; a burst
// spread over all instances within a second may get up to N × the
// per-second limit. While the database cannot be reached, counts wait in
// memory and each instance limits on what it knows: at worst N × limit,
// until syncing recovers.
type sharedLimiter struct {
	limits
	store    directory.Store
	log      *slog.Logger
	now      func() time.Time // Config.Now: windows are the request path's
	interval time.Duration
	accounts accountMap[sharedCounts]

	// Only run touches these.
	failing   bool
	deltas    []directory.RateCount
	refs      []windowRef
	lastClean time.Time
}

// sharedCounts is one account's current windows.
type sharedCounts struct {
	mu   sync.Mutex
	sec  sharedWindow
	hour sharedWindow // unused without an hourly limit
}

// sharedWindow is one account's count in one window, in three parts.
type sharedWindow struct {
	start    int64 // the window's first Unix second
	synced   int   // every instance's total at the last sync, ours included
	inflight int   // counted here, being added to the store now
	pending  int   // counted here since the current sync began
}

func (w *sharedWindow) at(start int64) {
	if w.start != start {
		*w = sharedWindow{start: start}
	}
}

func (w *sharedWindow) count() int { return w.synced + w.inflight + w.pending }

// windowRef is where a delta being synced came from.
type windowRef struct {
	counts *sharedCounts
	hour   bool
	start  int64
}

func (r windowRef) window() *sharedWindow {
	if r.hour {
		return &r.counts.hour
	}
	return &r.counts.sec
}

// rateCleanEvery is how often old windows are deleted from the store.
// Second windows are kept for about rateKeepSeconds, and hour windows for
// an hour after they end, for instances whose clocks are a little behind.
const (
	rateCleanEvery  = 30 * time.Second
	rateKeepSeconds = 60
)

func newSharedLimiter(l limits, store directory.Store, cfg Config) *sharedLimiter {
	return &sharedLimiter{limits: l, store: store, log: cfg.Logger, now: cfg.Now, interval: cfg.RateSyncInterval}
}

func (l *sharedLimiter) take(account int64, now time.Time) (RateStatus, bool) {
	c := l.accounts.get(account)
	sec := now.Unix()
	c.mu.Lock()
	c.sec.at(sec)
	c.hour.at(sec - sec%3600)
	st, ok := l.decide(c.sec.count(), c.hour.count(), sec, now)
	if ok {
		c.sec.pending++
		c.hour.pending++
	}
	c.mu.Unlock()
	return st, ok
}

// run syncs every interval until ctx ends, and then once more, so that an
// instance shutting down leaves what it counted to the others.
func (l *sharedLimiter) run(ctx context.Context) { syncEvery(ctx, l.interval, l.sync, l.clean) }

// syncEvery runs sync and then clean every interval until ctx ends, and
// sync once more then (within two seconds), so that state shared through
// the store (rate counts, lock-outs) is not lost when an instance stops.
func syncEvery(ctx context.Context, interval time.Duration, sync, clean func(context.Context)) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			fctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
			sync(fctx)
			cancel()
			return
		case <-t.C:
			sync(ctx)
			clean(ctx)
		}
	}
}

// sync adds what was counted here since the last sync to the store and
// takes the totals it returns.
func (l *sharedLimiter) sync(ctx context.Context) {
	l.collect()
	if len(l.deltas) == 0 {
		return
	}
	// A sync must not outlive its turn by much, or counts queue up behind
	// a stuck statement.
	qctx, cancel := context.WithTimeout(ctx, 10*l.interval+time.Second)
	totals, err := l.store.AddRateCounts(qctx, l.deltas)
	cancel()
	l.settle(totals, err)
	switch {
	case err != nil && !l.failing && ctx.Err() == nil:
		l.log.Warn("auth: syncing rate-limit counts failed; each instance limits on its own counts until it recovers", "err", err)
		l.failing = true
	case err == nil && l.failing:
		l.log.Info("auth: syncing rate-limit counts recovered")
		l.failing = false
	}
}

// collect moves every window's pending count in flight and lists it as a
// delta to add.
func (l *sharedLimiter) collect() {
	l.deltas, l.refs = l.deltas[:0], l.refs[:0]
	l.accounts.each(func(id int64, c *sharedCounts) {
		c.mu.Lock()
		l.collectWindow(id, windowRef{counts: c})
		if l.perHour > 0 {
			l.collectWindow(id, windowRef{counts: c, hour: true})
		}
		c.mu.Unlock()
	})
}

func (l *sharedLimiter) collectWindow(id int64, ref windowRef) {
	w := ref.window()
	if w.pending == 0 {
		return
	}
	w.inflight, w.pending = w.pending, 0
	ref.start = w.start
	kind := directory.RateSecond
	if ref.hour {
		kind = directory.RateHour
	}
	l.deltas = append(l.deltas, directory.RateCount{AccountID: id, Window: kind, Start: w.start, Count: int64(w.inflight)})
	l.refs = append(l.refs, ref)
}

// settle takes the totals of a sync, or puts the counts back to pending
// when it failed. A window that has ended meanwhile is left alone: the
// request path has started the next one.
func (l *sharedLimiter) settle(totals []directory.RateCount, err error) {
	for i, ref := range l.refs {
		c := ref.counts
		c.mu.Lock()
		if w := ref.window(); w.start == ref.start {
			if err == nil {
				// The total includes what was in flight. Never go below
				// what is known, should a window have been deleted early.
				w.synced = max(w.synced+w.inflight, int(totals[i].Count))
			} else {
				w.pending += w.inflight
			}
			w.inflight = 0
		}
		c.mu.Unlock()
	}
}

// clean deletes ended windows from the store now and then. It follows
// Config.Now, the clock the windows are counted by.
func (l *sharedLimiter) clean(ctx context.Context) {
	if time.Since(l.lastClean) < rateCleanEvery {
		return
	}
	l.lastClean = time.Now()
	now := l.now().Unix()
	qctx, cancel := context.WithTimeout(ctx, 10*l.interval+time.Second)
	defer cancel()
	err := l.store.DeleteRateCounts(qctx, directory.RateSecond, now-rateKeepSeconds)
	if err == nil {
		err = l.store.DeleteRateCounts(qctx, directory.RateHour, now-now%3600-3600)
	}
	if err != nil && ctx.Err() == nil {
		l.log.Debug("auth: deleting old rate-limit windows failed", "err", err)
	}
}
