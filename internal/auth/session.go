package auth

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"net/netip"
	"time"

	"github.com/gatehouse/gatehouse/internal/directory"
)

// A BeyondInsight session lasts while requests keep coming: it ends after
// SessionIdle without one. LastSeen is written at most every
// sessionTouchEvery, so a busy session costs a write every half minute, not
// one per request, and may end up to that much before SessionIdle.
const (
	SessionIdle       = 20 * time.Minute
	sessionTouchEvery = 30 * time.Second
	sessionSweepEvery = time.Minute
)

// StartSession records a sign-in and returns the cookie value that carries
// it: 32 random bytes, of which only the SHA-256 is stored.
func (s *Service) StartSession(ctx context.Context, p Insight) (string, error) {
	if p.Account != nil && p.Account.Scope != ScopeFullAccess {
		// A session remembers its account, not the token's scope: opened
		// with a read_only token, its cookie would write.
		return "", directory.Forbidden("A read_only token cannot open a session: send it with each request instead.")
	}
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	cookie := base64.RawURLEncoding.EncodeToString(b)
	now := s.cfg.Now()
	sess := directory.Session{IDHash: directory.HashSecret(cookie), RegistrationID: p.RegistrationID, CreatedAt: now, LastSeen: now}
	if p.Account != nil {
		st, err := s.cache.byID(ctx, p.Account.AccountID)
		if err != nil {
			return "", err
		}
		sess.AccountID, sess.Generation = p.Account.AccountID, st.acct.TokenGeneration
	} else {
		sess.UserID, sess.Generation = p.User.ID, p.User.SecretGeneration
	}
	if err := s.store.CreateSession(ctx, &sess); err != nil {
		return "", err
	}
	s.cfg.Observer.SessionStarted()
	return cookie, nil
}

// Session returns who the session cookie signs in, checking again what
// sign-in checked: a session ends when it has been idle too long, or when
// its user is deleted, quarantined or disabled, its password changed or
// application secret recycled, its registration deleted or no longer held
// by any of the user's active groups, or its API account disabled or its
// secret rotated. A request from an address the account or registration
// does not allow is refused, and the session kept for its own address.
func (s *Service) Session(ctx context.Context, cookie string, remote netip.Addr) (Insight, error) {
	hash := directory.HashSecret(cookie)
	sess, err := s.store.Session(ctx, hash)
	switch {
	case directory.IsKind(err, directory.KindNotFound):
		return Insight{}, ErrUnauthenticated
	case err != nil:
		return Insight{}, err
	}
	now := s.cfg.Now()
	if now.Sub(sess.LastSeen) >= SessionIdle {
		return Insight{}, s.endSession(ctx, hash)
	}
	p, err := s.sessionPrincipal(ctx, sess, now, remote)
	if err != nil {
		if err == errElsewhere {
			return Insight{}, ErrUnauthenticated
		}
		if err == ErrUnauthenticated {
			return Insight{}, s.endSession(ctx, hash)
		}
		return Insight{}, err
	}
	if now.Sub(sess.LastSeen) >= sessionTouchEvery {
		if err := s.store.TouchSession(ctx, hash, now); err != nil {
			return Insight{}, err
		}
	}
	return p, nil
}

// errElsewhere refuses a session's request from an address its sign-in
// could not have come from.
var errElsewhere = errors.New("auth: session used from an address not allowed")

func (s *Service) sessionPrincipal(ctx context.Context, sess directory.Session, now time.Time, remote netip.Addr) (Insight, error) {
	if sess.AccountID != 0 {
		st, err := s.cache.byID(ctx, sess.AccountID)
		if err != nil {
			return Insight{}, err
		}
		a := &st.acct
		if st.missing || !a.Enabled || a.TokenGeneration != sess.Generation {
			return Insight{}, ErrUnauthenticated
		}
		if !allowed(st.allow, remote) {
			return Insight{}, errElsewhere
		}
		p := Principal{AccountID: a.ID, Name: a.Name, Perms: a.Perms, Scope: ScopeFullAccess}
		if rs, ok := s.limit.take(a.ID, now); !ok {
			s.cfg.Observer.RateLimited(LimitAccount)
			return Insight{}, &RateLimitedError{Status: rs}
		}
		return Insight{Account: &p, Grants: accountGrants(p)}, nil
	}
	u, err := s.dir.User(ctx, sess.UserID)
	switch {
	case directory.IsKind(err, directory.KindNotFound):
		return Insight{}, ErrUnauthenticated
	case err != nil:
		return Insight{}, err
	}
	if userRefusal(&u) != "" || u.SecretGeneration != sess.Generation {
		return Insight{}, ErrUnauthenticated
	}
	if sess.RegistrationID != 0 {
		reg, err := s.dir.APIRegistration(ctx, sess.RegistrationID)
		switch {
		case directory.IsKind(err, directory.KindNotFound):
			return Insight{}, ErrUnauthenticated
		case err != nil:
			return Insight{}, err
		case !allowed(parseAllow(reg.IPAllow), remote):
			return Insight{}, errElsewhere
		}
		// As at sign-in, one of the user's active groups must still
		// have the registration.
		if ok, err := s.dir.MayUseRegistration(ctx, u.ID, reg.ID); err != nil {
			return Insight{}, err
		} else if !ok {
			return Insight{}, ErrUnauthenticated
		}
	}
	return s.insightUser(ctx, u, sess.RegistrationID)
}

// EndSession signs the session out; an unknown cookie is not an error.
func (s *Service) EndSession(ctx context.Context, cookie string) error {
	return s.store.DeleteSession(ctx, directory.HashSecret(cookie))
}

func (s *Service) endSession(ctx context.Context, hash []byte) error {
	if err := s.store.DeleteSession(ctx, hash); err != nil {
		return err
	}
	return ErrUnauthenticated
}

// sweepSessions deletes idle sessions now and then, so that abandoned
// sign-ins do not pile up.
func (s *Service) sweepSessions(ctx context.Context) {
	t := time.NewTicker(sessionSweepEvery)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if err := s.store.DeleteSessionsIdleSince(ctx, s.cfg.Now().Add(-SessionIdle)); err != nil && ctx.Err() == nil {
				s.log.WarnContext(ctx, "auth: deleting idle sessions failed", "err", err)
			}
		}
	}
}
