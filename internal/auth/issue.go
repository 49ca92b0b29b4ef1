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
	reasonLocked        = "source locked out of the account"
	reasonIPDenied      = "source address not allowed"
)

// errRefused aborts the transaction of a group whose every request was
// refused: there is nothing to write.
var errRefused = errors.New("auth: every token request of the group was refused")

// IssueToken checks a client's credentials and returns a new access token.
// It is the OAuth2 client-credentials grant without HTTP, for the token
// endpoint and for BeyondInsight's Auth/connect/token. scope may be empty
// (full_access) or a space-separated list of scopes; the token gets the
// broadest one listed. remote is the client's address (httpx.ClientAddr),
// which allow lists and lock-outs judge. Errors: ErrInvalidScope,
// ErrInvalidClient, or an internal failure.
//
// A request the cached account admits advances the account's token serial,
// in one write shared by the requests for that account that arrive
// together (batch.go). Any other request is decided by refusal.
func (s *Service) IssueToken(ctx context.Context, clientID, secret string, scope Scope, remote netip.Addr) (string, time.Duration, error) {
	sc, ok := parseScope(string(scope))
	if !ok {
		return "", 0, ErrInvalidScope
	}
	hash := directory.HashSecret(secret)
	now := s.cfg.Now()
	st := s.cache.cached(clientID)
	id := int64(0)
	if st != nil && s.check(&st.acct, st.allow, hash, remote) == "" && !s.locks.isLocked(st.acct.ID, remote, now) {
		id = st.acct.ID
	} else {
		var reason string
		var err error
		if id, reason, err = s.refusal(ctx, clientID, hash, remote, now); err != nil {
			return "", 0, err
		}
		if reason != "" {
			logged := clientID
			if id == 0 {
				logged = redactClientID(clientID)
			}
			s.refuse(ctx, reason, logged, id, remote)
			return "", 0, ErrInvalidClient
		}
	}

	// The cache only short-cuts; the decision is made on the row as the
	// transaction reads it, so that concurrent requests and other
	// instances cannot race a rotation. Concurrent requests for one
	// account share a transaction (see decide).
	r := issueReq{hash: hash, remote: remote, now: now}
	s.decide(ctx, id, &r)
	if r.err != nil {
		return "", 0, fmt.Errorf("auth: update API account %d: %w", id, r.err)
	}
	if r.reason != "" {
		if r.reason == reasonBadSecret {
			s.locks.fail(id, remote, now)
		}
		s.refuse(ctx, r.reason, clientID, id, remote)
		return "", 0, ErrInvalidClient
	}
	s.locks.succeed(id, remote)
	s.cfg.Observer.TokenIssued()
	a := &r.acct
	exp := now.Add(s.cfg.TokenTTL)
	tok := s.tokens.mint(claims{account: a.ID, generation: a.TokenGeneration, serial: r.serial, scope: sc, expiry: exp.Unix()})
	s.log.LogAttrs(ctx, slog.LevelDebug, "auth: token issued", slog.Int64("account_id", a.ID),
		slog.String("client_id", clientID), slog.String("scope", string(sc)), slog.String("remote", remote.String()))
	return tok, s.cfg.TokenTTL, nil
}

// LockoutStatus reports the account's lock-out state for administrators:
// the most consecutive wrong secrets from any one source (as counted on
// this instance) and when the latest lock-out of a source ends, nil when
// no source is locked out.
func (s *Service) LockoutStatus(accountID int64) (int, *time.Time) {
	return s.locks.status(accountID, s.cfg.Now())
}

// refusal decides a token request that the cached account does not admit,
// on the account's row as the store has it now: the cache may be behind
// (a secret rotated, or an account created, on another instance). It
// returns the account's id (0 for an unknown client id) and why the
// request is refused, or "" when the row admits it after all.
//
// This is the one place that decides what a refusal costs, and every
// refusal costs the same: one read of the row by client id, and no write.
// An unknown client id, a wrong secret, a locked-out source, a disabled
// account and an address not allowed are thus alike in timing and in
// database load, so neither tells an attacker which client ids exist or
// what state their accounts are in. A wrong secret is counted in memory
// (lockouts); the lock-out it may end in is written later, in the
// background, for all accounts at once.
func (s *Service) refusal(ctx context.Context, clientID string, hash []byte, remote netip.Addr, now time.Time) (int64, string, error) {
	a, err := s.store.APIAccountByClientID(ctx, clientID)
	switch {
	case directory.IsKind(err, directory.KindNotFound):
		subtle.ConstantTimeCompare(hash, s.dummyHash)
		return 0, reasonUnknownClient, nil
	case err != nil:
		return 0, "", fmt.Errorf("auth: look up client: %w", err)
	}
	s.cache.apply(a)
	reason := s.check(&a, parseAllow(a.IPAllow), hash, remote)
	switch {
	case s.locks.isLocked(a.ID, remote, now):
		// Refused whatever the secret, and not counted: a locked-out
		// source gains nothing by trying on.
		reason = reasonLocked
	case reason == reasonBadSecret:
		s.locks.fail(a.ID, remote, now)
	}
	return a.ID, reason, nil
}

// check returns why a's credentials do not admit this request, or "".
// allow is a.IPAllow parsed.
func (s *Service) check(a *directory.APIAccount, allow []netip.Prefix, hash []byte, remote netip.Addr) string {
	// The secret is compared first and always, in constant time, so that
	// timing does not tell a disabled or IP-restricted account apart.
	secretOK := subtle.ConstantTimeCompare(hash, a.SecretHash) == 1
	switch {
	case !secretOK:
		return reasonBadSecret
	case !a.Enabled:
		return reasonDisabled
	case !allowed(allow, remote):
		return reasonIPDenied
	}
	return ""
}

// refuse logs a refused token request at info level: an operator needs to
// see brute force and misconfigured clients. Never the secret or its hash.
func (s *Service) refuse(ctx context.Context, reason, clientID string, account int64, remote netip.Addr) {
	s.cfg.Observer.TokenRefused(refusal(reason))
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
