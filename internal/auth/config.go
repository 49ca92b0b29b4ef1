package auth

import (
	"log/slog"
	"time"
)

// Defaults, as PRA documents them: tokens last an hour, and requests are
// limited to 20 per second and 15,000 per hour per API account.
const (
	DefaultTokenTTL        = time.Hour
	DefaultRatePerSecond   = 20
	DefaultRatePerHour     = 15000
	DefaultLockoutAttempts = 5
	DefaultLockoutDuration = 15 * time.Minute
	DefaultPollInterval    = 250 * time.Millisecond
	// DefaultTokenRatePerSecond limits token requests per source address
	// (with a burst of twice as many): far above what a client needs, as
	// a token lasts an hour.
	DefaultTokenRatePerSecond = 10
	// DefaultRateSyncInterval is how often an instance sharing rate limits
	// adds its counts to the store's and reads back the totals.
	DefaultRateSyncInterval = 100 * time.Millisecond
)

// Config tunes the Service. Zero durations, a zero LockoutAttempts, a nil Now
// and a nil Logger take their defaults; the rate limits are taken as given,
// because 0 is how a deployment (or a benchmark) turns them off. Use
// DefaultConfig for PRA's limits.
type Config struct {
	TokenTTL      time.Duration // default 1h
	RatePerSecond int           // PRA: 20; 0 disables rate limiting entirely
	RatePerHour   int           // PRA: 15000; 0 disables the hourly limit
	// TokenRatePerSecond limits token requests per source address on
	// each instance (tokenlimit.go); 0 disables the limit.
	TokenRatePerSecond int
	// LockoutAttempts consecutive wrong secrets for an account from one
	// source lock that source out for LockoutDuration (lockout.go);
	// defaults 5 and 15m.
	LockoutAttempts int
	LockoutDuration time.Duration
	// PollInterval is how often account changes made by other instances are
	// read; default 250ms, so that a revocation anywhere holds everywhere
	// within a second.
	PollInterval time.Duration
	// SharedRateLimits counts rate limits in the store, so that they hold
	// across every instance on it, even when the store does not report
	// itself shared (several processes on one SQLite file). A store that
	// does (PostgreSQL) always gets shared limits.
	SharedRateLimits bool
	// RateSyncInterval is how often shared limits add this instance's
	// counts to the store's; default 100ms. Longer means fewer writes and
	// more slack (see sharedLimiter).
	RateSyncInterval time.Duration
	// Keys are the token signing keys: a KeyFile, StaticKeys from the
	// environment, or nil to keep them in the database (DatabaseKeys).
	Keys   KeySource
	Now    func() time.Time // default time.Now; tests inject a clock to expire tokens
	Logger *slog.Logger     // default slog.Default()
	// Observer hears of tokens, refusals, lock-outs, 429s and sign-ins,
	// for metrics; default none.
	Observer Observer
}

// DefaultConfig is PRA's behaviour.
func DefaultConfig() Config {
	return Config{RatePerSecond: DefaultRatePerSecond, RatePerHour: DefaultRatePerHour, TokenRatePerSecond: DefaultTokenRatePerSecond}
}

func (c Config) withDefaults() Config {
	if c.TokenTTL <= 0 {
		c.TokenTTL = DefaultTokenTTL
	}
	if c.LockoutAttempts <= 0 {
		c.LockoutAttempts = DefaultLockoutAttempts
	}
	if c.LockoutDuration <= 0 {
		c.LockoutDuration = DefaultLockoutDuration
	}
	if c.PollInterval <= 0 {
		c.PollInterval = DefaultPollInterval
	}
	if c.RateSyncInterval <= 0 {
		c.RateSyncInterval = DefaultRateSyncInterval
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	if c.Logger == nil {
		c.Logger = slog.Default()
	}
	if c.Observer == nil {
		c.Observer = noObserver{}
	}
	if c.RatePerSecond < 0 {
		c.RatePerSecond = 0
	}
	if c.RatePerHour < 0 {
		c.RatePerHour = 0
	}
	return c
}
