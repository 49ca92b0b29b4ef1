package auth

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"

	"github.com/gatehouse/gatehouse/internal/directory"
)

// Service issues and verifies tokens. One Service runs per server instance;
// instances sharing a database share the signing keys, see each other's
// account changes through the poller, and count rate limits together
// (sharedLimiter).
type Service struct {
	cfg    Config
	log    *slog.Logger
	store  directory.Store
	dir    *directory.Service
	tokens *keyring
	cache  *accountCache
	limit  limiter
	// tokenLimit limits token requests per source; locks holds lock-outs
	// per account and source.
	tokenLimit *sourceLimiter
	locks      *lockouts
	// dummyHash is what a secret is compared with when there is no account
	// to compare it with, so that an unknown client costs the same work.
	dummyHash []byte
	// groups batches concurrent token requests per account into one
	// write transaction (batch.go).
	groups issueGroups

	stop     context.CancelFunc
	bg       sync.WaitGroup // the poller, and the shared limiter's syncing
	stopOnce sync.Once
}

// New loads the signing keys and every API account, and starts the pollers
// that keep the keys and the account cache in step with their sources
// (and, for shared rate limits, the syncing of counts). Close stops them.
func New(ctx context.Context, store directory.Store, svc *directory.Service, cfg Config) (*Service, error) {
	if store == nil || svc == nil {
		return nil, errors.New("auth: New needs a store and a directory service")
	}
	cfg = cfg.withDefaults()
	keySrc := cfg.Keys
	if keySrc == nil {
		keySrc = DatabaseKeys(store)
	}
	keys, err := newKeyring(ctx, keySrc, cfg.Now(), cfg.TokenTTL)
	if err != nil {
		return nil, fmt.Errorf("auth: signing keys: %w", err)
	}
	// The one place that chooses how rate limits are counted: in memory
	// when this process owns the database, in the store when instances
	// share it.
	limit := newLimiter(cfg.RatePerSecond, cfg.RatePerHour)
	var shared *sharedLimiter
	if cfg.RatePerSecond > 0 && (cfg.SharedRateLimits || store.SharedByInstances()) {
		shared = newSharedLimiter(limits{perSecond: cfg.RatePerSecond, perHour: cfg.RatePerHour}, store, cfg)
		limit = shared
	}
	s := &Service{
		cfg:        cfg,
		log:        cfg.Logger,
		store:      store,
		dir:        svc,
		tokens:     keys,
		cache:      newAccountCache(store),
		limit:      limit,
		tokenLimit: newSourceLimiter(cfg.TokenRatePerSecond),
		locks:      newLockouts(store, cfg),
		dummyHash:  directory.HashSecret("gatehouse: no such client"),
	}
	p := &poller{cache: s.cache, store: store, log: s.log, interval: cfg.PollInterval}
	if err := p.loadAll(ctx); err != nil {
		return nil, fmt.Errorf("auth: load API accounts: %w", err)
	}
	if err := s.locks.load(ctx); err != nil {
		return nil, fmt.Errorf("auth: load lock-outs: %w", err)
	}
	bgCtx, stop := context.WithCancel(context.Background())
	s.stop = stop
	s.bg.Go(func() { p.run(bgCtx) })
	s.bg.Go(func() { s.sweepSessions(bgCtx) })
	s.bg.Go(func() { s.locks.run(bgCtx) })
	s.bg.Go(func() { s.refreshKeys(bgCtx, keySrc) })
	if shared != nil {
		s.bg.Go(func() { shared.run(bgCtx) })
	}
	return s, nil
}

// Close stops the poller and, for shared rate limits, syncs this
// instance's last counts. It is safe to call more than once.
func (s *Service) Close() {
	s.stopOnce.Do(func() {
		s.stop()
		s.bg.Wait()
	})
}

// AccountChanged tells the cache about an account written outside this
// Service (a face calling directory.Service directly), so that this
// instance need not wait for the poller. Stale versions are ignored.
func (s *Service) AccountChanged(a directory.APIAccount) { s.cache.apply(a) }

// RotateSecret rotates the account's secret through the directory and
// revokes its tokens on this instance at once (other instances within a
// poll).
func (s *Service) RotateSecret(ctx context.Context, id int64) (directory.APIAccount, string, error) {
	type rotated struct {
		a      directory.APIAccount
		secret string
	}
	r, err := lifting(s.locks, id, true, func() (rotated, error) {
		a, secret, err := s.dir.RotateSecret(ctx, id)
		return rotated{a, secret}, err
	})
	if err == nil {
		s.cache.apply(r.a)
	}
	return r.a, r.secret, err
}

// UnlockAPIAccount lifts the account's lock-outs through the directory,
// and on this instance at once (other instances within a poll).
func (s *Service) UnlockAPIAccount(ctx context.Context, id int64) (directory.APIAccount, error) {
	return lifting(s.locks, id, true, func() (directory.APIAccount, error) { return s.dir.UnlockAPIAccount(ctx, id) })
}

// SetAPIAccountEnabled enables or disables the account through the
// directory; disabling revokes its tokens on this instance at once.
func (s *Service) SetAPIAccountEnabled(ctx context.Context, id int64, enabled bool) (directory.APIAccount, error) {
	a, err := lifting(s.locks, id, enabled, func() (directory.APIAccount, error) { return s.dir.SetAPIAccountEnabled(ctx, id, enabled) })
	if err == nil {
		s.cache.apply(a)
	}
	return a, err
}
