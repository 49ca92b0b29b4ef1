package auth

import (
	"maps"
	"sync"
	"sync/atomic"
	"time"
)

// limiter decides whether one more request of an account fits its rate
// limits. It is an interface because limits that hold across several
// instances sharing a database (a counter table synced periodically) will
// replace the in-process one without Authenticate changing.
type limiter interface {
	// take counts one request of the account at now, unless it is over a
	// limit, and reports the status to show the client.
	take(account int64, now time.Time) (RateStatus, bool)
}

// noLimit is the limiter when rate limiting is off.
type noLimit struct{}

func (noLimit) take(int64, time.Time) (RateStatus, bool) { return RateStatus{}, true }

// windowLimiter is the in-process limiter. It counts requests in fixed
// windows aligned to the clock: the current second and the current hour
// (UTC). Fixed windows are what a shared counter table can hold as one row
// per account and window, and what X-RateLimit-Remaining can state simply;
// the price is that a burst straddling a boundary may reach twice the
// per-second limit within one second, which PRA's published limits tolerate.
// A refused request is not counted, so a client that backs off for
// RetryAfter always gets through.
type windowLimiter struct {
	perSecond, perHour int // perHour 0: no hourly limit

	accounts atomic.Pointer[map[int64]*window] // copy-on-insert: reads take no lock
	mu       sync.Mutex                        // serialises inserts
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
	l := &windowLimiter{perSecond: perSecond, perHour: perHour}
	l.accounts.Store(&map[int64]*window{})
	return l
}

func (l *windowLimiter) take(account int64, now time.Time) (RateStatus, bool) {
	w := l.window(account)
	sec := now.Unix()
	hour := sec / 3600
	w.mu.Lock()
	if w.second != sec {
		w.second, w.secondCount = sec, 0
	}
	if w.hour != hour {
		w.hour, w.hourCount = hour, 0
	}
	var st RateStatus
	ok := true
	switch {
	case l.perHour > 0 && w.hourCount >= l.perHour:
		ok = false
		st.RetryAfter = time.Unix((hour+1)*3600, 0).Sub(now)
	case w.secondCount >= l.perSecond:
		ok = false
		st.RetryAfter = time.Unix(sec+1, 0).Sub(now)
	default:
		w.secondCount++
		w.hourCount++
	}
	if l.perHour > 0 {
		st.Limit, st.Remaining = l.perHour, l.perHour-w.hourCount
	} else {
		// No hourly limit: the per-second one is the only figure to show.
		st.Limit, st.Remaining = l.perSecond, l.perSecond-w.secondCount
	}
	w.mu.Unlock()
	return st, ok
}

func (l *windowLimiter) window(account int64) *window {
	if w := (*l.accounts.Load())[account]; w != nil {
		return w
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	old := *l.accounts.Load()
	if w := old[account]; w != nil {
		return w
	}
	m := maps.Clone(old)
	w := &window{}
	m[account] = w
	l.accounts.Store(&m)
	return w
}
