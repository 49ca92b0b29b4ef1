package auth

import (
	"context"
	"log/slog"
	"maps"
	"net/netip"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gatehouse/gatehouse/internal/directory"
)

// lockouts locks an API account out for one source (sourceOf) after
// LockoutAttempts consecutive wrong secrets from there, for
// LockoutDuration; other sources are not affected, so an attacker who
// knows a client id (every read-only account can list them) cannot lock
// the real client out from elsewhere.
//
// Failures are counted in this instance's memory: a failure writes
// nothing, and a success from the source starts the count again. Only a
// lock-out is written (directory.LoginLock, by run, within a poll
// interval), and every instance reads the locks in force every poll
// interval, so a lock set anywhere, or lifted (a rotated secret, an
// enabled account, `gatehouse api-account unlock`), holds everywhere
// within about that. (A lift takes the locks written by then: one begun
// on another instance in the same poll interval may survive it.) The price of counting per instance: behind a load
// balancer spreading one source's requests over N instances, the source
// gets up to N × LockoutAttempts failures before the first lock.
type lockouts struct {
	attempts int
	duration time.Duration
	store    directory.Store
	log      *slog.Logger
	obs      Observer
	now      func() time.Time
	interval time.Duration

	// locked is every lock in force as last read, plus this instance's
	// own since; replaced whole, so the request path reads it without a
	// lock.
	locked atomic.Pointer[map[lockKey]time.Time]
	// counting is how many failures entries there are, so that a success
	// needs no lock when nothing is being counted (the usual case).
	counting atomic.Int64

	mu       sync.Mutex
	failures map[lockKey]*failures
	pending  []directory.LoginLock // this instance's locks not written yet

	// syncing is held for a whole sync, and by lifting around the change
	// that lifts an account's locks: a sync that had taken a lock to write,
	// or had read the locks, before the change cannot then put them back.
	syncing sync.Mutex

	// Only run touches these.
	failing   bool
	lastClean time.Time
}

type lockKey struct {
	account int64
	source  netip.Prefix
}

type failures struct {
	n    int
	last time.Time
}

// lockCleanEvery is how often ended locks are deleted from the store, and
// stale failure counts from memory.
const lockCleanEvery = 30 * time.Second

func newLockouts(store directory.Store, cfg Config) *lockouts {
	l := &lockouts{attempts: cfg.LockoutAttempts, duration: cfg.LockoutDuration, store: store, log: cfg.Logger,
		obs: cfg.Observer, now: cfg.Now, interval: cfg.PollInterval, failures: map[lockKey]*failures{}}
	l.locked.Store(&map[lockKey]time.Time{})
	return l
}

// isLocked reports whether the account is locked out for addr's source.
func (l *lockouts) isLocked(account int64, addr netip.Addr, now time.Time) bool {
	until, ok := (*l.locked.Load())[lockKey{account, sourceOf(addr)}]
	return ok && now.Before(until)
}

// fail counts a wrong secret for the account from addr, and locks the
// source out when the failures reach the limit. Failures further apart
// than LockoutDuration are not consecutive: the count starts again.
func (l *lockouts) fail(account int64, addr netip.Addr, now time.Time) {
	k := lockKey{account, sourceOf(addr)}
	l.mu.Lock()
	defer l.mu.Unlock()
	if until, ok := (*l.locked.Load())[k]; ok && now.Before(until) {
		return // a request that raced the one that locked it
	}
	f := l.failures[k]
	if f == nil {
		f = &failures{}
		l.failures[k] = f
		l.counting.Add(1)
	} else if now.Sub(f.last) >= l.duration {
		f.n = 0
	}
	f.n++
	f.last = now
	if f.n < l.attempts {
		return
	}
	delete(l.failures, k)
	l.counting.Add(-1)
	until := now.Add(l.duration).UTC().Truncate(time.Microsecond)
	l.pending = append(l.pending, directory.LoginLock{AccountID: account, Source: k.source.String(), Until: until})
	next := maps.Clone(*l.locked.Load())
	next[k] = until
	l.locked.Store(&next)
	l.obs.LockedOut()
	msg, who := "auth: API account locked out for a source", slog.Int64("account_id", account)
	if account < 0 { // a user's console sign-ins (userlock.go)
		msg, who = "auth: user's console sign-ins locked out for a source", slog.Int64("user_id", -account)
	}
	l.log.LogAttrs(context.Background(), slog.LevelWarn, msg, who, slog.String("source", k.source.String()), slog.Time("until", until))
}

// succeed ends the count of failures for the account from addr.
func (l *lockouts) succeed(account int64, addr netip.Addr) {
	if l.counting.Load() == 0 {
		return
	}
	k := lockKey{account, sourceOf(addr)}
	l.mu.Lock()
	if _, ok := l.failures[k]; ok {
		delete(l.failures, k)
		l.counting.Add(-1)
	}
	l.mu.Unlock()
}

// lifting runs change, a directory write that lifts the account's locks
// in the store (an unlock, a rotated secret, an enabled account), between
// syncs, and when it succeeds forgets the locks here at once; other
// instances drop them at their next poll. lift false runs change alone.
func lifting[T any](l *lockouts, account int64, lift bool, change func() (T, error)) (T, error) {
	if !lift {
		return change()
	}
	l.syncing.Lock()
	defer l.syncing.Unlock()
	v, err := change()
	if err == nil {
		l.clear(account)
	}
	return v, err
}

// clear forgets the account's locks and failures here.
func (l *lockouts) clear(account int64) {
	l.mu.Lock()
	defer l.mu.Unlock()
	for k := range l.failures {
		if k.account == account {
			delete(l.failures, k)
			l.counting.Add(-1)
		}
	}
	kept := l.pending[:0]
	for _, p := range l.pending {
		if p.AccountID != account {
			kept = append(kept, p)
		}
	}
	l.pending = kept
	next := maps.Clone(*l.locked.Load())
	for k := range next {
		if k.account == account {
			delete(next, k)
		}
	}
	l.locked.Store(&next)
}

// status is what an administrator sees of the account's lock-outs: the
// most consecutive wrong secrets any one source has sent to this instance
// (each instance counts its own), and the end of the latest lock-out in
// force from any source on any instance (nil when there is none).
func (l *lockouts) status(account int64, now time.Time) (int, *time.Time) {
	var until *time.Time
	for k, u := range *l.locked.Load() {
		if k.account == account && now.Before(u) && (until == nil || u.After(*until)) {
			until = &u
		}
	}
	most := 0
	l.mu.Lock()
	for k, f := range l.failures {
		if k.account == account && now.Sub(f.last) < l.duration {
			most = max(most, f.n)
		}
	}
	l.mu.Unlock()
	return most, until
}

// load reads the locks in force once, so that a starting instance refuses
// what the others do from its first request.
func (l *lockouts) load(ctx context.Context) error {
	locks, err := l.store.LoginLocks(ctx, l.now())
	if err != nil {
		return err
	}
	l.mu.Lock()
	l.install(locks)
	l.mu.Unlock()
	return nil
}

// run writes this instance's new locks and reads every instance's, every
// poll interval until ctx ends, and once more then, so that a lock set just
// before shutting down is not lost.
func (l *lockouts) run(ctx context.Context) { syncEvery(ctx, l.interval, l.sync, l.clean) }

func (l *lockouts) sync(ctx context.Context) {
	l.syncing.Lock()
	defer l.syncing.Unlock()
	qctx, cancel := context.WithTimeout(ctx, 10*l.interval+time.Second)
	defer cancel()
	l.mu.Lock()
	write := append([]directory.LoginLock(nil), l.pending...)
	l.mu.Unlock()
	err := l.store.PutLoginLocks(qctx, write)
	var locks []directory.LoginLock
	if err == nil {
		l.mu.Lock()
		l.pending = slices.DeleteFunc(l.pending, func(p directory.LoginLock) bool { return slices.Contains(write, p) })
		l.mu.Unlock()
		locks, err = l.store.LoginLocks(qctx, l.now())
	}
	if err != nil {
		if !l.failing && ctx.Err() == nil {
			l.log.Warn("auth: syncing lock-outs failed; this instance keeps its own until it recovers", "err", err)
			l.failing = true
		}
		return
	}
	if l.failing {
		l.log.Info("auth: syncing lock-outs recovered")
		l.failing = false
	}
	l.mu.Lock()
	l.install(locks)
	l.mu.Unlock()
}

// install replaces the locks in force with those read from the store, and
// this instance's not written yet. A lock this instance set and wrote that
// the store no longer has was lifted. The caller holds mu.
func (l *lockouts) install(locks []directory.LoginLock) {
	next := make(map[lockKey]time.Time, len(locks)+len(l.pending))
	for _, lk := range append(locks, l.pending...) {
		p, err := netip.ParsePrefix(lk.Source)
		if err != nil {
			continue // not a source this version writes
		}
		k := lockKey{lk.AccountID, p}
		if until, ok := next[k]; !ok || lk.Until.After(until) {
			next[k] = lk.Until
		}
	}
	l.locked.Store(&next)
}

// clean deletes ended locks from the store and forgets failure counts too
// old to be consecutive with a new one, now and then.
func (l *lockouts) clean(ctx context.Context) {
	if time.Since(l.lastClean) < lockCleanEvery {
		return
	}
	l.lastClean = time.Now()
	now := l.now()
	l.mu.Lock()
	for k, f := range l.failures {
		if now.Sub(f.last) >= l.duration {
			delete(l.failures, k)
			l.counting.Add(-1)
		}
	}
	l.mu.Unlock()
	qctx, cancel := context.WithTimeout(ctx, 10*l.interval+time.Second)
	defer cancel()
	if err := l.store.DeleteLoginLocks(qctx, now); err != nil && ctx.Err() == nil {
		l.log.Debug("auth: deleting ended lock-outs failed", "err", err)
	}
}
