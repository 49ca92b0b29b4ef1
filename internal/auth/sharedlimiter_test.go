package auth

import (
	"context"
	"errors"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/gatehouse/gatehouse/internal/directory"
)

// memRates is a store's rate counters in memory, for driving sharedLimiter
// step by step; every other Store method is left nil.
type memRates struct {
	directory.Store
	mu      sync.Mutex
	counts  map[directory.RateCount]int64 // keyed with Count 0
	fail    error
	deleted map[directory.RateWindow]int64
}

func newMemRates() *memRates {
	return &memRates{counts: map[directory.RateCount]int64{}, deleted: map[directory.RateWindow]int64{}}
}

func (m *memRates) AddRateCounts(_ context.Context, deltas []directory.RateCount) ([]directory.RateCount, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.fail != nil {
		return nil, m.fail
	}
	for _, d := range deltas {
		k := d
		k.Count = 0
		m.counts[k] += d.Count
	}
	out := make([]directory.RateCount, len(deltas))
	for i, d := range deltas {
		k := d
		k.Count = 0
		out[i], out[i].Count = d, m.counts[k]
	}
	return out, nil
}

func (m *memRates) DeleteRateCounts(_ context.Context, w directory.RateWindow, before int64) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.deleted[w] = before
	return nil
}

func (m *memRates) total(account int64, w directory.RateWindow, start int64) int64 {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.counts[directory.RateCount{AccountID: account, Window: w, Start: start}]
}

func newTestShared(db *memRates, perSecond, perHour int) *sharedLimiter {
	cfg := Config{Now: func() time.Time { return t0 }, Logger: slog.New(slog.DiscardHandler)}.withDefaults()
	return newSharedLimiter(limits{perSecond: perSecond, perHour: perHour}, db, cfg)
}

// t0 is half a second into 10:00 UTC.
var t0 = time.Date(2026, 1, 1, 10, 0, 0, 500_000_000, time.UTC)

func wantTake(t *testing.T, l limiter, now time.Time, ok bool, remaining int) RateStatus {
	t.Helper()
	st, got := l.take(1, now)
	if got != ok || st.Remaining != remaining {
		t.Fatalf("take at %v: %+v %v, want ok=%v remaining %d", now.Format("15:04:05.000"), st, got, ok, remaining)
	}
	return st
}

// TestSharedLimiterAcrossInstances walks two instances through the
// admission rule: what the store said at the last sync plus what was
// counted here since. Each over-admits only what the other counted since
// it last synced.
func TestSharedLimiterAcrossInstances(t *testing.T) {
	db := newMemRates()
	a, b := newTestShared(db, 3, 5), newTestShared(db, 3, 5)
	wantTake(t, a, t0, true, 4)
	wantTake(t, a, t0, true, 3)
	a.sync(t.Context())
	// b has not synced: it knows only its own count.
	wantTake(t, b, t0, true, 4)
	b.sync(t.Context())
	// b now knows the total, 3: the second is full.
	if st := wantTake(t, b, t0, false, 2); st.RetryAfter != 500*time.Millisecond {
		t.Fatalf("RetryAfter %v", st.RetryAfter)
	}
	// a does not know of b's request yet: the slack.
	wantTake(t, a, t0, true, 2)
	a.sync(t.Context())
	wantTake(t, a, t0, false, 1)
	if got := db.total(1, directory.RateSecond, t0.Unix()); got != 4 {
		t.Fatalf("second total %d, want 4", got)
	}

	// The next second starts afresh; the hour goes on: 4 of 5 used.
	t1 := t0.Add(time.Second)
	wantTake(t, b, t1, true, 1) // b last saw 3 in the hour, counts a 4th here
	b.sync(t.Context())
	if st := wantTake(t, b, t1, false, 0); st.RetryAfter != 59*time.Minute+58*time.Second+500*time.Millisecond {
		t.Fatalf("hourly RetryAfter %v", st.RetryAfter)
	}
	a.sync(t.Context()) // nothing to add: a learns nothing until it counts
	wantTake(t, a, t1, true, 0)
	a.sync(t.Context())
	if got := db.total(1, directory.RateHour, t0.Unix()-t0.Unix()%3600); got != 6 {
		t.Fatalf("hour total %d, want 6 (5 + one request of slack)", got)
	}
	wantTake(t, a, t1, false, 0)
}

// TestSharedLimiterSyncFailure checks that counts a failed sync could not
// add are added by the next one, once.
func TestSharedLimiterSyncFailure(t *testing.T) {
	db := newMemRates()
	l := newTestShared(db, 3, 0)
	wantTake(t, l, t0, true, 2)
	wantTake(t, l, t0, true, 1)
	db.fail = errors.New("database down")
	l.sync(t.Context())
	if !l.failing {
		t.Fatal("failure not noted")
	}
	wantTake(t, l, t0, true, 0)
	wantTake(t, l, t0, false, 0)
	db.fail = nil
	l.sync(t.Context())
	if got := db.total(1, directory.RateSecond, t0.Unix()); got != 3 || l.failing {
		t.Fatalf("total %d after recovery, want 3", got)
	}
	if got := db.total(1, directory.RateHour, t0.Unix()-t0.Unix()%3600); got != 0 {
		t.Fatalf("hour windows synced without an hourly limit: %d", got)
	}
}

// TestSharedLimiterDuringSync checks that requests counted while a sync is
// in flight count, and that a sync finishing after its window ended leaves
// the next window alone.
func TestSharedLimiterDuringSync(t *testing.T) {
	db := newMemRates()
	l := newTestShared(db, 3, 100)
	wantTake(t, l, t0, true, 99)
	wantTake(t, l, t0, true, 98)
	l.collect()
	totals, err := db.AddRateCounts(t.Context(), l.deltas)
	if err != nil {
		t.Fatal(err)
	}
	wantTake(t, l, t0, true, 97) // in flight 2, pending 1
	wantTake(t, l, t0, false, 97)
	t1 := t0.Add(time.Second)
	wantTake(t, l, t1, true, 96) // a new second while the sync is out
	l.settle(totals, nil)
	wantTake(t, l, t1, true, 95)
	wantTake(t, l, t1, true, 94)
	wantTake(t, l, t1, false, 94)
}

// TestSharedLimiterStop checks that run syncs once more when stopped, and
// deletes ended windows by the request path's clock.
func TestSharedLimiterStop(t *testing.T) {
	db := newMemRates()
	l := newTestShared(db, 10, 100)
	l.interval = time.Millisecond
	wantTake(t, l, t0, true, 99)
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan struct{})
	go func() { l.run(ctx); close(done) }()
	for {
		db.mu.Lock()
		cleaned := len(db.deleted) == 2
		db.mu.Unlock()
		if cleaned {
			break
		}
		time.Sleep(time.Millisecond)
	}
	wantTake(t, l, t0, true, 98)
	cancel()
	<-done
	if got := db.total(1, directory.RateHour, t0.Unix()-t0.Unix()%3600); got != 2 {
		t.Fatalf("hour total %d after stopping, want 2", got)
	}
	if s, h := db.deleted[directory.RateSecond], db.deleted[directory.RateHour]; s != t0.Unix()-rateKeepSeconds || h != t0.Unix()-t0.Unix()%3600-3600 {
		t.Fatalf("deleted seconds before %d and hours before %d", s, h)
	}
}
