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
// instances sharing a database share the signing key and see each other's
// account changes through the poller.
type Service struct {
	cfg    Config
	log    *slog.Logger
	store  directory.Store
	dir    *directory.Service
	tokens *signer
	cache  *accountCache
	limit  limiter
	// dummyHash is what a secret is compared with when there is no account
	// to compare it with, so that an unknown client costs the same work.
	dummyHash []byte

	stop     context.CancelFunc
	done     chan struct{}
	stopOnce sync.Once
}

// New loads the signing key and every API account, and starts the poller
// that keeps the account cache in step with the database. Close stops it.
func New(ctx context.Context, store directory.Store, svc *directory.Service, cfg Config) (*Service, error) {
	if store == nil || svc == nil {
		return nil, errors.New("auth: New needs a store and a directory service")
	}
	cfg = cfg.withDefaults()
	key, err := store.ServerKey(ctx)
	if err != nil {
		return nil, fmt.Errorf("auth: server key: %w", err)
	}
	if len(key) < 16 {
		return nil, errors.New("auth: server key is shorter than 16 bytes")
	}
	s := &Service{
		cfg:       cfg,
		log:       cfg.Logger,
		store:     store,
		dir:       svc,
		tokens:    newSigner(key),
		cache:     newAccountCache(store),
		limit:     newLimiter(cfg.RatePerSecond, cfg.RatePerHour),
		dummyHash: directory.HashSecret("gatehouse: no such client"),
		done:      make(chan struct{}),
	}
	p := &poller{cache: s.cache, store: store, log: s.log, interval: cfg.PollInterval}
	if err := p.loadAll(ctx); err != nil {
		return nil, fmt.Errorf("auth: load API accounts: %w", err)
	}
	pollCtx, stop := context.WithCancel(context.Background())
	s.stop = stop
	go func() {
		defer close(s.done)
		p.run(pollCtx)
	}()
	return s, nil
}

// Close stops the poller. It is safe to call more than once.
func (s *Service) Close() {
	s.stopOnce.Do(func() {
		s.stop()
		<-s.done
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
	a, secret, err := s.dir.RotateSecret(ctx, id)
	if err == nil {
		s.cache.apply(a)
	}
	return a, secret, err
}

// SetAPIAccountEnabled enables or disables the account through the
// directory; disabling revokes its tokens on this instance at once.
func (s *Service) SetAPIAccountEnabled(ctx context.Context, id int64, enabled bool) (directory.APIAccount, error) {
	a, err := s.dir.SetAPIAccountEnabled(ctx, id, enabled)
	if err == nil {
		s.cache.apply(a)
	}
	return a, err
}
