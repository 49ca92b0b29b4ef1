package metrics

// *Metrics is internal/auth's Observer; these are its methods.

// refusalReasons lists the reasons auth reports (auth.Refused*), for the
// metric's help text.
const refusalReasons = "unknown_client, wrong_secret, locked_out, disabled, quarantined, denied_address, rate_limited, other"

// TokenIssued counts an access token issued.
func (m *Metrics) TokenIssued() { m.tokensIssued.Inc() }

// TokenRefused counts a refused token request; reason comes from auth's
// closed set.
func (m *Metrics) TokenRefused(reason string) { m.tokensRefused.WithLabelValues(reason).Inc() }

// LockedOut counts a lock-out started.
func (m *Metrics) LockedOut() { m.lockouts.Inc() }

// RateLimited counts a request refused by limit (auth.Limit*).
func (m *Metrics) RateLimited(limit string) { m.rateLimited.WithLabelValues(limit).Inc() }

// SessionStarted counts a BeyondInsight sign-in.
func (m *Metrics) SessionStarted() { m.sessionsOpened.Inc() }
