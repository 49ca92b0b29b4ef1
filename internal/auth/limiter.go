package auth

import (
	"maps"
	"sync"
	"sync/atomic"
	"time"
)

// limiter decides whether one more request of an account fits its rate
// limits. The in-process windowLimiter serves a server that owns its
// database; sharedLimiter holds the limits across instances sharing one
// (sharedlimiter.go). New chooses between them.
type limiter interface {
	// take counts one request of the account at now, unless it is over a
	// limit, and reports the status to show the client.
	take(account int64, now time.Time) (RateStatus, bool)
}

// noLimit is the limiter when rate limiting is off.
type noLimit struct{}

func (noLimit) take(int64, time.Time) (RateStatus, bool) { return RateStatus{}, true }

// limits are the limits per account, counted in fixed windows aligned to
// the clock: the current second and the current hour (UTC). Fixed windows
// are what a shared counter table can hold as one row per account and
// window, and what X-RateLimit-Remaining can state simply; the price is
// that a burst straddling a boundary may reach twice the per-second limit
// within one second, which PRA's published limits tolerate. A refused
// request is not counted, so a client that backs off for RetryAfter always
// gets through.
type limits struct {
	perSecond, perHour int // perHour 0: no hourly limit
}

// decide applies the limits to an account's counts in the current second
// and hour (sec is now's Unix second). When it admits the request, the
// caller counts it; the status already does.
func (l limits) decide(secCount, hourCount int, sec int64, now time.Time) (RateStatus, bool) {
	var st RateStatus
	ok := true
	switch {
	case l.perHour > 0 && hourCount >= l.perHour:
		ok = false
		st.RetryAfter = time.Unix((sec/3600+1)*3600, 0).Sub(now)
	case secCount >= l.perSecond:
		ok = false
		st.RetryAfter = time.Unix(sec+1, 0).Sub(now)
	default:
		secCount++
		hourCount++
	}
	if l.perHour > 0 {
		st.Limit, st.Remaining = l.perHour, max(0, l.perHour-hourCount)
	} else {
		// No hourly limit: the per-second one is the only figure to show.
		st.Limit, st.Remaining = l.perSecond, max(0, l.perSecond-secCount)
	}
	return st, ok
}

// windowLimiter is the in-process limiter: exact, and as cheap as a
// per-account mutex.
type windowLimiter struct {
	limits
	accounts accountMap[window]
}

// window is one account's counters.
type window struct {
	mu          sync.Mutex
	second      int64 // Unix second the count belongs to
	secondCount int
	hour        int64 // Unix hour the count belongs to
	hourCount   int
}

func newLimiter(perSecond, perHour int) limiter {
	if perSecond <= 0 {
		return noLimit{}
	}
	return &windowLimiter{limits: limits{perSecond: perSecond, perHour: perHour}}
}

func (l *windowLimiter) take(account int64, now time.Time) (RateStatus, bool) {
	w := l.accounts.get(account)
	sec := now.Unix()
	hour := sec / 3600
	w.mu.Lock()
	if w.second != sec {
		w.second, w.secondCount = sec, 0
	}
	if w.hour != hour {
		w.hour, w.hourCount = hour, 0
	}
	st, ok := l.decide(w.secondCount, w.hourCount, sec, now)
	if ok {
		w.secondCount++
		w.hourCount++
	}
	w.mu.Unlock()
	return st, ok
}

// accountMap holds a value per account for the request path. Lookups take
// no lock: the map is immutable and replaced whole (copy-on-insert, under
// mu) when an account is first seen, which is rare.
type accountMap[T any] struct {
	m  atomic.Pointer[map[int64]*T]
	mu sync.Mutex
}

func (a *accountMap[T]) get(id int64) *T {
	if m := a.m.Load(); m != nil {
		if v := (*m)[id]; v != nil {
			return v
		}
	}
	return a.insert(id)
}

func (a *accountMap[T]) insert(id int64) *T {
	a.mu.Lock()
	defer a.mu.Unlock()
	var m map[int64]*T
	if old := a.m.Load(); old != nil {
		if v := (*old)[id]; v != nil {
			return v
		}
		m = maps.Clone(*old)
	} else {
		m = map[int64]*T{}
	}
	v := new(T)
	m[id] = v
	a.m.Store(&m)
	return v
}

// each calls fn for every account seen so far.
func (a *accountMap[T]) each(fn func(id int64, v *T)) {
	if m := a.m.Load(); m != nil {
		for id, v := range *m {
			fn(id, v)
		}
	}
}
