package auth

import (
	"context"
	"log/slog"
	"time"

	"github.com/gatehouse/gatehouse/internal/directory"
)

// pollOverlap is how far back each poll reaches before the previous poll's
// start. UpdatedAt is the writing transaction's clock, taken before it
// commits, so a row can become visible with a time earlier than a poll that
// already ran; and instances' clocks differ a little. Rows read twice are
// harmless: the cache keeps only newer Versions.
const pollOverlap = 5 * time.Second

// poller reads the accounts that changed since its last read and applies
// them to the cache. It uses the wall clock, never Config.Now: UpdatedAt is
// written by the store's clock, and tests move Config.Now freely.
type poller struct {
	cache    *accountCache
	store    directory.Store
	log      *slog.Logger
	interval time.Duration
	since    time.Time // start of the last successful poll
	failing  bool
}

// loadAll fills the cache with every account; New calls it once.
func (p *poller) loadAll(ctx context.Context) error {
	start := time.Now()
	accts, err := p.store.AccountsChangedSince(ctx, time.Time{})
	if err != nil {
		return err
	}
	for _, a := range accts {
		p.cache.apply(a)
	}
	p.since = start
	return nil
}

func (p *poller) run(ctx context.Context) {
	t := time.NewTicker(p.interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			p.poll(ctx)
		}
	}
}

func (p *poller) poll(ctx context.Context) {
	start := time.Now()
	// A poll must not outlive its turn by much, or revocations queue up
	// behind a stuck query.
	qctx, cancel := context.WithTimeout(ctx, 10*p.interval+time.Second)
	accts, err := p.store.AccountsChangedSince(qctx, p.since.Add(-pollOverlap))
	cancel()
	if err != nil {
		if ctx.Err() != nil {
			return
		}
		// Tokens keep verifying against the last known state: an outage of
		// the database should not take the APIs down with it, but
		// revocations elsewhere are not seen until polling recovers.
		if !p.failing {
			p.log.Warn("auth: polling API accounts failed; revocations by other instances are not seen until it recovers", "err", err)
			p.failing = true
		}
		return
	}
	if p.failing {
		p.log.Info("auth: polling API accounts recovered")
		p.failing = false
	}
	for _, a := range accts {
		p.cache.apply(a)
	}
	p.since = start
}
