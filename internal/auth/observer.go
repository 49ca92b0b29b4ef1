package auth

// Observer hears what authentication decides, for metrics: internal/server
// wires it to internal/metrics, so that this package imports no metrics
// library. Its methods run on the request path, so they must be cheap and
// safe for concurrent use.
type Observer interface {
	// TokenIssued: an access token was issued, by either token endpoint.
	TokenIssued()
	// TokenRefused: a token request was refused; reason is one of the
	// Refused* values.
	TokenRefused(reason string)
	// LockedOut: a source was locked out of an API account (lockout.go).
	LockedOut()
	// RateLimited: a request was refused with 429; limit is LimitAccount
	// or LimitTokenSource.
	RateLimited(limit string)
	// SessionStarted: a BeyondInsight session was signed in.
	SessionStarted()
}

// Why a token request was refused, as Observer hears it: a closed set, so
// that it can be a metric's label.
const (
	RefusedUnknownClient = "unknown_client"
	RefusedWrongSecret   = "wrong_secret"
	RefusedLockedOut     = "locked_out"
	RefusedDisabled      = "disabled"
	RefusedQuarantined   = "quarantined"
	RefusedDeniedAddress = "denied_address"
	RefusedRateLimited   = "rate_limited"
	// RefusedOther is a reason refusedLabel does not know yet.
	RefusedOther = "other"
)

// The limits a 429 is counted against.
const (
	LimitAccount     = "account"      // an API account's requests per second or hour
	LimitTokenSource = "token_source" // token requests per client address
)

// refusedLabel maps the reasons the log gives to Observer's.
var refusedLabel = map[string]string{
	reasonUnknownClient:   RefusedUnknownClient,
	reasonBadSecret:       RefusedWrongSecret,
	reasonLocked:          RefusedLockedOut,
	reasonDisabled:        RefusedDisabled,
	reasonUserDisabled:    RefusedDisabled,
	reasonUserQuarantined: RefusedQuarantined,
	reasonIPDenied:        RefusedDeniedAddress,
}

// refusal is Observer's reason for the reason the log gives.
func refusal(logged string) string {
	if r, ok := refusedLabel[logged]; ok {
		return r
	}
	return RefusedOther
}

// noObserver is Config's default.
type noObserver struct{}

func (noObserver) TokenIssued()        {}
func (noObserver) TokenRefused(string) {}
func (noObserver) LockedOut()          {}
func (noObserver) RateLimited(string)  {}
func (noObserver) SessionStarted()     {}
