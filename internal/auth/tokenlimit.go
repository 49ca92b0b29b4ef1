package auth

import (
	"net/http"
	"net/netip"
	"sync"
	"time"
)

// sourceLimiter limits token requests per source (sourceOf): a token
// bucket that refills at rate per second up to burst. The token endpoints
// are the only unauthenticated routes that do work per request (a secret
// hashed, an account read, a transaction on success), so this is what
// stops one address from flooding them, whichever client ids it names.
// Each instance counts on its own: behind a load balancer spreading
// requests over N instances, one address gets up to N times the rate.
type sourceLimiter struct {
	rate, burst float64
	mu          sync.Mutex
	buckets     map[netip.Prefix]*bucket
	lastSweep   time.Time
}

type bucket struct {
	tokens float64
	last   time.Time
}

// tokenBurst is how many requests above the rate one source may send at
// once: a client starting several workers together is not refused.
const tokenBurst = 2

// sourceSweepEvery is how often buckets that have refilled are dropped,
// so that addresses seen once do not hold memory.
const sourceSweepEvery = time.Minute

func newSourceLimiter(perSecond int) *sourceLimiter {
	if perSecond <= 0 {
		return nil
	}
	return &sourceLimiter{rate: float64(perSecond), burst: float64(perSecond * tokenBurst), buckets: map[netip.Prefix]*bucket{}}
}

// take counts one request from addr at now, or says how long until one
// would be admitted. A nil limiter admits everything.
func (l *sourceLimiter) take(addr netip.Addr, now time.Time) (time.Duration, bool) {
	if l == nil {
		return 0, true
	}
	src := sourceOf(addr)
	l.mu.Lock()
	defer l.mu.Unlock()
	if now.Sub(l.lastSweep) >= sourceSweepEvery {
		l.sweep(now)
	}
	b := l.buckets[src]
	if b == nil {
		b = &bucket{tokens: l.burst, last: now}
		l.buckets[src] = b
	}
	if d := now.Sub(b.last); d > 0 {
		b.tokens = min(l.burst, b.tokens+d.Seconds()*l.rate)
		b.last = now
	}
	if b.tokens < 1 {
		return time.Duration((1 - b.tokens) / l.rate * float64(time.Second)), false
	}
	b.tokens--
	return 0, true
}

func (l *sourceLimiter) sweep(now time.Time) {
	l.lastSweep = now
	full := time.Duration(l.burst / l.rate * float64(time.Second))
	for k, b := range l.buckets {
		if now.Sub(b.last) >= full {
			delete(l.buckets, k)
		}
	}
}

// sourceOf is the unit that token rate limits and lock-out count a source
// address in: an IPv4 address, or the /64 an IPv6 address is in, since one
// IPv6 host commonly holds a whole /64 and could otherwise step round both.
func sourceOf(a netip.Addr) netip.Prefix {
	a = a.Unmap()
	if a.Is6() {
		p, _ := a.Prefix(64)
		return p
	}
	p, _ := a.Prefix(a.BitLen())
	return p
}

// errTooManyTokenRequests is the token endpoints' 429.
var errTooManyTokenRequests = &oauthError{status: http.StatusTooManyRequests, code: "invalid_request",
	message: "Too many token requests from this address; retry later."}

// tokenLimited refuses a token request over its source's limit, answering
// in the token endpoints' shape with a Retry-After, and reports whether it
// did. Both token endpoints (PRA's and BeyondInsight's) ask it first.
func (s *Service) tokenLimited(w http.ResponseWriter, addr netip.Addr) bool {
	wait, ok := s.tokenLimit.take(addr, s.cfg.Now())
	if ok {
		return false
	}
	s.cfg.Observer.RateLimited(LimitTokenSource)
	s.cfg.Observer.TokenRefused(RefusedRateLimited)
	RateStatus{RetryAfter: wait}.SetHeaders(w.Header(), true)
	writeOAuthError(w, errTooManyTokenRequests)
	return true
}
