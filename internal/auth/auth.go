// Package auth is Gatehouse's authentication and authorisation: the OAuth2
// client-credentials token endpoint, bearer-token verification, per-account
// rate limits, lock-out after failed token requests, and the permission
// model that every API face asks through Principal.Can.
//
// Tokens are verified without touching the database: they are HMAC-signed
// and checked against an in-memory cache of API accounts that a poller keeps
// in step with the database, so revocations made by another instance (or by
// the CLI) take effect within about PollInterval.
package auth

import (
	"errors"
	"math"
	"net/http"
	"strconv"
	"time"

	"github.com/gatehouse/gatehouse/internal/directory"
	"github.com/gatehouse/gatehouse/internal/httpx"
)

// Scope narrows what a token may do below what its account may do.
type Scope string

const (
	ScopeFullAccess Scope = "full_access"
	ScopeReadOnly   Scope = "read_only"
)

// API names one of the APIs an account may be permitted to use.
type API int

const (
	Configuration  API = iota + 1 // PRA /api/config/v1
	UserManagement                // public v3 /api/public/v3
	SCIM                          // /scim/v2
	Quarantine                    // BeyondInsight quarantine
	// Audit is reading the audit log (/api/admin/v1). It has no
	// permission of its own: the log records every change to every
	// resource, by whom, so it is for the accounts trusted to make any
	// configuration change, those with full Configuration access, through
	// a token that may too (not a read_only one).
	Audit
)

// Principal is the API account a request was authenticated as.
type Principal struct {
	AccountID int64
	Name      string
	Perms     directory.Permissions // already narrowed by the token's scope
	Scope     Scope
}

// Can reports whether the principal may use api, for writing when write is
// set. It is the one place that decides; faces ask it and never read Perms.
func (p Principal) Can(api API, write bool) bool {
	// SCIM and Quarantine are booleans that cannot say "read only", so a
	// read-only token's write refusal is enforced here for every API alike.
	if write && p.Scope != ScopeFullAccess {
		return false
	}
	switch api {
	case Configuration:
		return can(p.Perms.Configuration, write)
	case UserManagement:
		return can(p.Perms.UserManagement, write)
	case SCIM:
		return p.Perms.SCIM
	case Quarantine:
		return p.Perms.Quarantine
	case Audit:
		return !write && p.Perms.Configuration == directory.AccessFullAccess
	}
	return false
}

func can(a directory.Access, write bool) bool {
	if write {
		return a.CanWrite()
	}
	return a.CanRead()
}

// Actor is the principal as the audit log names it.
func (p Principal) Actor() directory.Actor {
	return directory.Actor{Kind: directory.ActorAPIAccount, ID: p.AccountID, Name: p.Name}
}

// narrow returns perms limited to what scope allows.
func narrow(perms directory.Permissions, scope Scope) directory.Permissions {
	if scope == ScopeReadOnly {
		perms.Configuration = capRead(perms.Configuration)
		perms.UserManagement = capRead(perms.UserManagement)
	}
	return perms
}

func capRead(a directory.Access) directory.Access {
	if a == directory.AccessFullAccess {
		return directory.AccessReadOnly
	}
	return a
}

// RateStatus is reported in X-RateLimit-Limit / X-RateLimit-Remaining
// (hourly figures, as PRA's example shows). Limit 0 means the request was not
// rate limited at all, and the headers should be left out.
type RateStatus struct {
	Limit, Remaining int
	RetryAfter       time.Duration // set with ErrRateLimited: when a retry can succeed
}

var (
	// ErrUnauthenticated: missing, malformed, invalid, expired or revoked
	// bearer token, or a source address the account does not allow.
	ErrUnauthenticated = errors.New("auth: invalid or missing bearer token")
	// ErrRateLimited: over the per-second or per-hour limit;
	// RateStatus.RetryAfter says when to retry.
	ErrRateLimited = errors.New("auth: rate limit exceeded")
	// ErrInvalidClient: a token request named an unknown client, gave the
	// wrong secret, came from a source locked out of the account, or its
	// account is disabled or does not allow the source address. Callers
	// must not say which.
	ErrInvalidClient = errors.New("auth: client authentication failed")
	// ErrInvalidScope: a token request asked for a scope that does not exist.
	ErrInvalidScope = errors.New("auth: invalid scope")
)

// RateLimitedError is ErrRateLimited with the status a face must show
// (Retry-After), for calls that return no RateStatus of their own
// (AuthenticateInsight, Session).
type RateLimitedError struct{ Status RateStatus }

func (e *RateLimitedError) Error() string        { return ErrRateLimited.Error() }
func (e *RateLimitedError) Is(target error) bool { return target == ErrRateLimited }

// SetRetryHeaders writes the headers of a refusal for err when it is a
// *RateLimitedError, and reports whether it was one.
func SetRetryHeaders(h http.Header, err error) bool {
	var rl *RateLimitedError
	if !errors.As(err, &rl) {
		return false
	}
	rl.Status.SetHeaders(h, true)
	return true
}

// SetHeaders writes the rate-limit headers every face sends: the hourly
// limit and what is left of it, and, when the request was refused, when to
// retry (whole seconds, at least 1). It returns that Retry-After value, 0
// when there is none.
func (s RateStatus) SetHeaders(h http.Header, limited bool) int64 {
	if s.Limit > 0 {
		httpx.SetHeader(h, "X-RateLimit-Limit", strconv.Itoa(s.Limit))
		httpx.SetHeader(h, "X-RateLimit-Remaining", strconv.Itoa(s.Remaining))
	}
	if !limited {
		return 0
	}
	secs := max(1, int64(math.Ceil(s.RetryAfter.Seconds())))
	h.Set("Retry-After", strconv.FormatInt(secs, 10))
	return secs
}
