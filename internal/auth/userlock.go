package auth

import "net/netip"

// The web console's password sign-ins are locked out by the same
// machinery as token requests (lockouts): per user and source, after
// LockoutAttempts consecutive failures, for LockoutDuration, shared by
// every instance through the store. A user is keyed by its negated id, so
// that users and API accounts, whose ids overlap, never share a count or
// a lock.

// UserSignInLocked reports whether the user's sign-ins from addr are
// locked out now.
func (s *Service) UserSignInLocked(userID int64, addr netip.Addr) bool {
	return s.locks.isLocked(-userID, addr, s.cfg.Now())
}

// UserSignInFailed counts a wrong password (or second-factor code) for the
// user from addr, and locks the source out when the failures reach the
// limit.
func (s *Service) UserSignInFailed(userID int64, addr netip.Addr) {
	s.locks.fail(-userID, addr, s.cfg.Now())
}

// UserSignedIn ends the count of the user's failures from addr.
func (s *Service) UserSignedIn(userID int64, addr netip.Addr) { s.locks.succeed(-userID, addr) }
