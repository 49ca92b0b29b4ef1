package directory

import "time"

// LoginLock is an API account locked out for one source: token requests
// for the account from that source are refused until Until, whatever
// secret they give, while requests from elsewhere are not. internal/auth
// decides when to lock and what a source is; the store only keeps the
// locks, so that every instance on it refuses the same sources.
type LoginLock struct {
	AccountID int64
	// Source is the locked source as text: an address, or the network
	// (such as an IPv6 /64) internal/auth counts as one source.
	Source string
	Until  time.Time
}
