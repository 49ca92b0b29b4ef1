package auth

import (
	"context"
	"crypto/subtle"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/netip"

	"github.com/gatehouse/gatehouse/internal/directory"
	"github.com/gatehouse/gatehouse/internal/httpx"
)

// Insight is who a BeyondInsight request is signed in as: a user of the
// directory (a person signed in through an API registration's key, or an
// application user through its client credentials), or an API account
// acting as an administrator.
type Insight struct {
	User    directory.User // zero when Account is set
	Account *Principal
	// Grants are the user's permissions from its groups, or those the API
	// account's permissions amount to.
	Grants directory.Grants
	// RegistrationID is the API registration a key sign-in used (0 else).
	RegistrationID int64
}

// Can reports whether the signed-in principal has permission at level.
func (p Insight) Can(permission int64, level directory.AccessLevel) bool {
	return p.Grants.Allows(permission, level)
}

// Actor is the principal as the audit log names it.
func (p Insight) Actor() directory.Actor {
	if p.Account != nil {
		return p.Account.Actor()
	}
	return directory.Actor{Kind: directory.ActorUser, ID: p.User.ID, Name: p.User.Username}
}

// accountGrants is what an API account may do through BeyondInsight: its
// user-management access over user accounts, and quarantine if granted.
// A read-only token has already been narrowed to read access.
func accountGrants(p Principal) directory.Grants {
	g := directory.Grants{}
	switch {
	case p.Can(UserManagement, true):
		g[directory.PermUserAccounts] = directory.LevelReadWrite
	case p.Can(UserManagement, false):
		g[directory.PermUserAccounts] = directory.LevelRead
	}
	if p.Can(Quarantine, true) {
		g[directory.PermQuarantine] = directory.LevelReadWrite
	}
	return g
}

// IssueInsightToken is BeyondInsight's Auth/connect/token: the client
// credentials of an application user, or of an API account (which then
// acts as an administrator). Errors as IssueToken.
//
// Application users are looked up first, for every request: an API
// account's request then costs that one read more, and IssueToken's
// equal cost of every refusal (see refusal) holds here too.
func (s *Service) IssueInsightToken(ctx context.Context, clientID, secret string, remote netip.Addr) (string, error) {
	u, err := s.dir.ApplicationUserByClientID(ctx, clientID)
	switch {
	case directory.IsKind(err, directory.KindNotFound):
		tok, _, err := s.IssueToken(ctx, clientID, secret, ScopeFullAccess, remote)
		return tok, err
	case err != nil:
		return "", fmt.Errorf("auth: look up application user: %w", err)
	}
	hash := directory.HashSecret(secret)
	if subtle.ConstantTimeCompare(hash, u.SecretHash) != 1 {
		s.refuseUser(ctx, reasonBadSecret, u.ID, remote)
		return "", ErrInvalidClient
	}
	if why := userRefusal(&u); why != "" {
		s.refuseUser(ctx, why, u.ID, remote)
		return "", ErrInvalidClient
	}
	s.cfg.Observer.TokenIssued()
	exp := s.cfg.Now().Add(s.cfg.TokenTTL)
	return s.tokens.mint(claims{user: true, account: u.ID, generation: u.SecretGeneration, scope: ScopeFullAccess,
		expiry: exp.Unix()}), nil
}

// TokenTTL is how long issued tokens last.
func (s *Service) TokenTTL() int64 { return int64(s.cfg.TokenTTL.Seconds()) }

// userRefusal says why a user may not sign in, or "".
func userRefusal(u *directory.User) string {
	switch {
	case u.Quarantined:
		return reasonUserQuarantined
	case !u.Enabled:
		return reasonUserDisabled
	}
	return ""
}

const (
	reasonUserQuarantined = "user quarantined"
	reasonUserDisabled    = "user disabled"
)

// AuthenticateInsight signs a request in from its Authorization header: a
// bearer token (an application user's or an API account's) or a PS-Auth
// key with a run-as user. It returns ErrUnauthenticated (or, for an API
// account over its limit, a *RateLimitedError) or an internal failure.
func (s *Service) AuthenticateInsight(r *http.Request) (Insight, error) {
	h := r.Header.Values("Authorization")
	if len(h) == 1 {
		if key, runAs, pwd, ok := parsePSAuth(h[0]); ok {
			return s.signInWithKey(r.Context(), key, runAs, pwd, httpx.ClientAddr(r))
		}
	}
	tok, ok := bearer(r.Header)
	if !ok {
		return Insight{}, s.reject(r, "no credentials")
	}
	c, ok := s.tokens.verify(tok)
	if !ok || s.cfg.Now().Unix() >= c.expiry {
		return Insight{}, s.reject(r, "malformed, forged or expired token")
	}
	if !c.user {
		p, rs, err := s.Authenticate(r)
		if errors.Is(err, ErrRateLimited) {
			return Insight{}, &RateLimitedError{Status: rs}
		}
		if err != nil {
			return Insight{}, err
		}
		return Insight{Account: &p, Grants: accountGrants(p)}, nil
	}
	u, err := s.dir.User(r.Context(), c.account)
	switch {
	case directory.IsKind(err, directory.KindNotFound):
		return Insight{}, s.reject(r, "application user deleted")
	case err != nil:
		return Insight{}, err
	}
	if u.Source != directory.SourceApplication || u.SecretGeneration != c.generation || userRefusal(&u) != "" {
		return Insight{}, s.reject(r, "application token revoked")
	}
	return s.insightUser(r.Context(), u, 0)
}

// insightUser completes a user's sign-in with its permissions.
func (s *Service) insightUser(ctx context.Context, u directory.User, registration int64) (Insight, error) {
	g, err := s.dir.UserGrants(ctx, u.ID)
	if err != nil {
		return Insight{}, err
	}
	return Insight{User: u, Grants: g, RegistrationID: registration}, nil
}

// signInWithKey checks a PS-Auth header: the key must belong to an API
// registration that allows the source address; the run-as user must exist,
// be neither an application user nor quarantined nor disabled, belong to
// an active group that has the registration, and give its password when
// the registration requires one.
func (s *Service) signInWithKey(ctx context.Context, key, runAs string, pwd *string, remote netip.Addr) (Insight, error) {
	reg, err := s.dir.APIRegistrationByKey(ctx, key)
	switch {
	case directory.IsKind(err, directory.KindNotFound):
		return Insight{}, s.refuseKey(ctx, "unknown API key", 0, remote)
	case err != nil:
		return Insight{}, err
	}
	if !allowed(parseAllow(reg.IPAllow), remote) {
		return Insight{}, s.refuseKey(ctx, reasonIPDenied, reg.ID, remote)
	}
	u, err := s.dir.UserByName(ctx, runAs)
	switch {
	case directory.IsKind(err, directory.KindNotFound):
		return Insight{}, s.refuseKey(ctx, "unknown run-as user", reg.ID, remote)
	case err != nil:
		return Insight{}, err
	}
	if u.Source == directory.SourceApplication {
		return Insight{}, s.refuseKey(ctx, "application users sign in with client credentials", reg.ID, remote)
	}
	if why := userRefusal(&u); why != "" {
		return Insight{}, s.refuseKey(ctx, why, reg.ID, remote)
	}
	if ok, err := s.dir.MayUseRegistration(ctx, u.ID, reg.ID); err != nil {
		return Insight{}, err
	} else if !ok {
		return Insight{}, s.refuseKey(ctx, "run-as user is in no active group with this registration", reg.ID, remote)
	}
	if reg.UserPasswordRequired {
		if pwd == nil {
			return Insight{}, s.refuseKey(ctx, "password required", reg.ID, remote)
		}
		ok, err := s.dir.CheckPassword(ctx, u, *pwd)
		if err != nil {
			return Insight{}, err
		}
		if !ok {
			return Insight{}, s.refuseKey(ctx, "wrong password", reg.ID, remote)
		}
	}
	return s.insightUser(ctx, u, reg.ID)
}

func (s *Service) refuseKey(ctx context.Context, reason string, registration int64, remote netip.Addr) error {
	s.log.LogAttrs(ctx, slog.LevelInfo, "auth: PS-Auth sign-in refused", slog.String("reason", reason),
		slog.Int64("registration_id", registration), slog.String("remote", remote.String()))
	return ErrUnauthenticated
}

func (s *Service) refuseUser(ctx context.Context, reason string, user int64, remote netip.Addr) {
	s.cfg.Observer.TokenRefused(refusal(reason))
	s.log.LogAttrs(ctx, slog.LevelInfo, "auth: application user token request refused", slog.String("reason", reason),
		slog.Int64("user_id", user), slog.String("remote", remote.String()))
}
