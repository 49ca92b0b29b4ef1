package directory

import (
	"context"
	"time"
)

// ConsoleSession is an administrator's sign-in to the web console
// (internal/console), carried by a cookie whose SHA-256 is IDHash.
type ConsoleSession struct {
	IDHash []byte
	UserID int64
	// Generation is the user's SecretGeneration at sign-in: a password
	// change ends the session.
	Generation int64
	// SecondFactor is false while the session waits for a TOTP code (or
	// an enrolment), which is all such a session may do.
	SecondFactor bool
	CreatedAt    time.Time
	LastSeen     time.Time
}

// TOTP is a user's time-based one-time password secret (RFC 6238), the
// console's second factor. The secret never leaves the server but as the
// enrolment QR code: it is not logged, audited or exported.
type TOTP struct {
	UserID int64
	Secret string `json:"-"` // base32
	// Confirmed is set by the first code accepted, which ends enrolment.
	Confirmed bool
	// LastStep is the time step of the latest code accepted: a code is
	// accepted once, and an older one never.
	LastStep int64
}

// ResetSecondFactor removes the user's TOTP secret, for an authenticator
// that was lost: the next console sign-in enrols a new one. As any change
// to an administrator, only the command line may do it for one.
func (s *Service) ResetSecondFactor(ctx context.Context, id int64) error {
	return s.write(ctx, func(tx Tx) (*Event, error) {
		u, err := tx.User(ctx, id)
		if err != nil {
			return nil, err
		}
		if u.Admin && !mayChangeAdmin(ctx) {
			return nil, Forbidden(MsgAdminAPI)
		}
		if err := tx.DeleteUserTOTP(ctx, id); err != nil {
			return nil, err
		}
		return &Event{Action: "user.second_factor.reset", TargetType: "user", TargetID: id}, nil
	})
}
