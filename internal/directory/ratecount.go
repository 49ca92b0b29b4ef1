package directory

// RateWindow is the kind of fixed window a rate-limit count belongs to.
type RateWindow string

const (
	RateSecond RateWindow = "s" // one clock second
	RateHour   RateWindow = "h" // one UTC hour
)

// RateCount is a number of requests of one API account in one fixed
// window: what one instance counted since it last synced (a delta), or
// what every instance on the database counted together (a total). The
// limits themselves are internal/auth's; the store only adds up.
type RateCount struct {
	AccountID int64
	Window    RateWindow
	// Start is the window's first Unix second: the second itself for
	// RateSecond, a multiple of 3600 for RateHour.
	Start int64
	Count int64
}
