package directory

import "time"

// Session is a BeyondInsight sign-in (POST Auth/SignAppIn), carried by a
// cookie whose SHA-256 is IDHash. It is either a user's (UserID, with the
// registration whose key signed it in, or the application user's secret
// generation) or an API account's (AccountID, acting as an administrator).
type Session struct {
	IDHash         []byte
	UserID         int64
	AccountID      int64
	RegistrationID int64
	// Generation is the application user's SecretGeneration, or the API
	// account's TokenGeneration, at sign-in: recycling the secret ends the
	// session.
	Generation int64
	CreatedAt  time.Time
	LastSeen   time.Time
}
