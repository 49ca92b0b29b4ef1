package auth

import (
	"fmt"
	"log/slog"
	"net/http"

	"github.com/gatehouse/gatehouse/internal/httpx"
)

// Authenticate verifies the request's bearer token and counts the request
// against its account's rate limits. It returns ErrUnauthenticated for any
// token that is missing, malformed, forged, expired or revoked, or whose
// account does not allow the request's source address; ErrRateLimited
// (with the Principal and a RetryAfter) when the account is over a limit;
// any other error is an internal failure (the store could not be read for
// an account this instance has never seen).
//
// The hot path reads only memory: the MAC, the cached account and the
// limiter's counters. It allocates nothing.
func (s *Service) Authenticate(r *http.Request) (Principal, RateStatus, error) {
	tok, ok := bearer(r.Header)
	if !ok {
		return Principal{}, RateStatus{}, s.reject(r, "missing or malformed Authorization header")
	}
	c, ok := s.tokens.verify(tok)
	if !ok {
		return Principal{}, RateStatus{}, s.reject(r, "malformed or forged token")
	}
	if c.user {
		// Application users' tokens open BeyondInsight sessions only.
		return Principal{}, RateStatus{}, s.reject(r, "application user token")
	}
	now := s.cfg.Now()
	if now.Unix() >= c.expiry {
		return Principal{}, RateStatus{}, s.reject(r, "expired token")
	}
	st, err := s.cache.byID(r.Context(), c.account)
	if err != nil {
		return Principal{}, RateStatus{}, fmt.Errorf("auth: load API account %d: %w", c.account, err)
	}
	if !st.acct.TokenValid(c.generation, c.serial) {
		if newerThanCache(c, st) {
			// Issued by another instance after our last poll: the cache is
			// behind, not the token. Read the account once and decide on
			// what the database says.
			if st, err = s.cache.reload(r.Context(), c.account, func(st *accountState) bool { return !newerThanCache(c, st) }); err != nil {
				return Principal{}, RateStatus{}, fmt.Errorf("auth: reload API account %d: %w", c.account, err)
			}
		}
		if !st.acct.TokenValid(c.generation, c.serial) {
			return Principal{}, RateStatus{}, s.reject(r, "revoked token")
		}
	}
	if len(st.allow) > 0 && !allowed(st.allow, httpx.ClientAddr(r)) {
		return Principal{}, RateStatus{}, s.reject(r, "source address not allowed")
	}
	p := Principal{AccountID: st.acct.ID, Name: st.acct.Name, Perms: narrow(st.acct.Perms, c.scope), Scope: c.scope}
	rs, ok := s.limit.take(p.AccountID, now)
	if !ok {
		s.cfg.Observer.RateLimited(LimitAccount)
		return p, rs, ErrRateLimited
	}
	return p, rs, nil
}

// newerThanCache reports whether the token was issued after the cached
// state of its account was written: a later generation, or a later serial
// of the same one. A token's MAC proves some instance issued it, so such a
// token means the cache is stale.
func newerThanCache(c claims, st *accountState) bool {
	g := st.acct.TokenGeneration
	return !st.missing && (c.generation > g || (c.generation == g && c.serial > st.acct.TokenSerial))
}

// reject logs why a request was refused (at debug level: a client retrying
// with a stale token must not flood the log) and returns ErrUnauthenticated.
func (s *Service) reject(r *http.Request, why string) error {
	if s.log.Enabled(r.Context(), slog.LevelDebug) {
		s.log.LogAttrs(r.Context(), slog.LevelDebug, "auth: bearer token refused",
			slog.String("reason", why), slog.String("remote", httpx.ClientAddr(r).String()))
	}
	return ErrUnauthenticated
}

// bearer returns the token of an "Authorization: Bearer <token>" header.
// The scheme is case-insensitive (RFC 9110 §11.1); more than one
// Authorization header is refused rather than guessed between.
func bearer(h http.Header) (string, bool) {
	v := h["Authorization"]
	if len(v) != 1 {
		return "", false
	}
	const scheme = "bearer "
	a := v[0]
	if len(a) <= len(scheme) || !asciiEqualFold(a[:len(scheme)], scheme) {
		return "", false
	}
	tok := a[len(scheme):]
	for len(tok) > 0 && tok[0] == ' ' {
		tok = tok[1:]
	}
	return tok, tok != ""
}

// asciiEqualFold compares s with a lower-case ASCII word, ignoring case.
func asciiEqualFold(s, lower string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c != lower[i] {
			return false
		}
	}
	return true
}
