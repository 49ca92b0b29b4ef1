package auth

import (
	"context"
	"crypto/subtle"
	"errors"
	"fmt"
	"log/slog"
	"net/netip"
	"strings"
	"time"

	"github.com/gatehouse/gatehouse/internal/directory"
)

// Reasons a token request failed. They go to the log only: the client is
// told invalid_client whatever the reason, so that it learns nothing about
// which client ids exist or what state their accounts are in.
const (
	reasonUnknownClient = "unknown client id"
	reasonBadSecret     = "wrong secret"
	reasonDisabled      = "account disabled"
	reasonLocked        = "account locked out"
	reasonIPDenied      = "source address not allowed"
)

// errLocked aborts the state transaction of a request for a locked
// account: there is nothing to write, and no failure to count.
var errLocked = errors.New("auth: account locked")

// IssueToken checks a client's credentials and returns a new access token.
// It is the OAuth2 client-credentials grant without HTTP, for the token
// endpoint and for BeyondInsight's Auth/connect/token. scope may be empty
// (full_access) or a space-separated list of scopes; the token gets the
// broadest one listed. Errors: ErrInvalidScope, ErrInvalidClient, or an
// internal failure.
//
// Each success advances the account's token serial and each failure for an
// existing client id its failed-login count and lock-out, in one write
// shared by the requests for that account that arrive together.
func (s *Service) IssueToken(ctx context.Context, clientID, secret string, scope Scope, remote netip.Addr) (string, time.Duration, error) {
	sc, ok := parseScope(string(scope))
	if !ok {
		return "", 0, ErrInvalidScope
	}
	// Hash before looking anything up, so that an unknown client id costs
	// the same hashing as a wrong secret.
	hash := directory.HashSecret(secret)
	st, err := s.cache.byClientID(ctx, clientID)
	if err != nil {
		return "", 0, fmt.Errorf("auth: look up client: %w", err)
	}
	if st == nil {
		subtle.ConstantTimeCompare(hash, s.dummyHash)
		s.refuse(ctx, reasonUnknownClient, redactClientID(clientID), 0, remote)
		return "", 0, ErrInvalidClient
	}
	now := s.cfg.Now()
	if lockedAt(&st.acct, now) {
		// Refused from the cache without a write: a client hammering a
		// locked account costs no database work.
		subtle.ConstantTimeCompare(hash, s.dummyHash)
		s.refuse(ctx, reasonLocked, clientID, st.acct.ID, remote)
		return "", 0, ErrInvalidClient
	}

	// The cache only short-cuts; the decision is made on the row as the
	// transaction reads it, so that concurrent requests and other
	// instances cannot race a lock-out or a rotation. Concurrent requests
	// for one account share a transaction (see decide).
	r := issueReq{hash: hash, remote: remote, now: now}
	s.decide(ctx, st.acct.ID, &r)
	if r.err != nil {
		return "", 0, fmt.Errorf("auth: update API account %d: %w", st.acct.ID, r.err)
	}
	if r.reason != "" {
		s.refuse(ctx, r.reason, clientID, st.acct.ID, remote)
		return "", 0, ErrInvalidClient
	}
	a := &r.acct
	exp := now.Add(s.cfg.TokenTTL)
	tok := s.tokens.mint(claims{account: a.ID, generation: a.TokenGeneration, serial: r.serial, scope: sc, expiry: exp.Unix()})
	s.log.LogAttrs(ctx, slog.LevelDebug, "auth: token issued", slog.Int64("account_id", a.ID),
		slog.String("client_id", clientID), slog.String("scope", string(sc)), slog.String("remote", remote.String()))
	return tok, s.cfg.TokenTTL, nil
}

// check returns why a's credentials do not admit this request, or "".
func (s *Service) check(a *directory.APIAccount, hash []byte, remote netip.Addr, now time.Time) string {
	// The secret is compared first and always, in constant time, so that
	// timing does not tell a disabled or IP-restricted account apart.
	secretOK := subtle.ConstantTimeCompare(hash, a.SecretHash) == 1
	switch {
	case lockedAt(a, now):
		return reasonLocked
	case !secretOK:
		return reasonBadSecret
	case !a.Enabled:
		return reasonDisabled
	case !allowed(parseAllow(a.IPAllow), remote):
		return reasonIPDenied
	}
	return ""
}

// countFailure records one more consecutive failure and locks the account
// when they reach the limit. A lock-out that has expired starts the count
// afresh, so one failure after it does not lock the account again.
func (s *Service) countFailure(a *directory.APIAccount, now time.Time) {
	if a.LockedUntil != nil {
		a.LockedUntil, a.FailedLogins = nil, 0
	}
	a.FailedLogins++
	if a.FailedLogins >= s.cfg.LockoutAttempts {
		until := now.Add(s.cfg.LockoutDuration).UTC()
		a.LockedUntil = &until
	}
}

func lockedAt(a *directory.APIAccount, now time.Time) bool {
	return a.LockedUntil != nil && now.Before(*a.LockedUntil)
}

// refuse logs a refused token request at info level: an operator needs to
// see brute force and misconfigured clients. Never the secret or its hash.
func (s *Service) refuse(ctx context.Context, reason, clientID string, account int64, remote netip.Addr) {
	attrs := []slog.Attr{slog.String("reason", reason), slog.String("client_id", clientID), slog.String("remote", remote.String())}
	if account != 0 {
		attrs = append(attrs, slog.Int64("account_id", account))
	}
	s.log.LogAttrs(ctx, slog.LevelInfo, "auth: token request refused", attrs...)
}

// redactClientID shortens an unknown client id for the log: a client that
// put its secret in the client id field must not have it logged.
func redactClientID(id string) string {
	const keep = 6
	if len(id) <= keep {
		return id
	}
	return id[:keep] + "…"
}

// parseScope reads a space-separated scope list (RFC 6749 §3.3). Granted
// scopes are a union, so the broadest one listed wins; an empty list means
// the account's full permissions.
func parseScope(s string) (Scope, bool) {
	fields := strings.Fields(s)
	if len(fields) == 0 {
		return ScopeFullAccess, true
	}
	out := ScopeReadOnly
	for _, f := range fields {
		switch Scope(f) {
		case ScopeFullAccess:
			out = ScopeFullAccess
		case ScopeReadOnly:
		default:
			return "", false
		}
	}
	return out, true
}
