package public

import (
	"strconv"
	"strings"

	"github.com/gatehouse/gatehouse/internal/directory"
)

// Paging: offset and limit, as the API documents them.
const (
	defaultLimit = 100
	maxLimit     = directory.MaxPageSize
	// maxOffset caps the offset asked of the store. It is far beyond any
	// real list, so a page past it is as empty as the page just past the
	// end, and no arithmetic on it can overflow.
	maxOffset = 1 << 40
)

var (
	pageParams     = []string{"offset", "limit"}
	userListParams = []string{"offset", "limit", "username"}
)

// page reads offset (0 or more, default 0) and limit (1..1000, default 100),
// recording problems by parameter name.
func (c *call) page(problems map[string][]string) (offset, limit int) {
	limit = defaultLimit
	if s, ok := c.param("offset"); ok {
		switch n, ok := queryInt(s); {
		case !ok:
			problems["offset"] = append(problems["offset"], "must be an integer")
		case n < 0:
			problems["offset"] = append(problems["offset"], "must be 0 or more")
		default:
			offset = int(min(n, maxOffset))
		}
	}
	if s, ok := c.param("limit"); ok {
		switch n, ok := queryInt(s); {
		case !ok:
			problems["limit"] = append(problems["limit"], "must be an integer")
		case n < 1 || n > maxLimit:
			problems["limit"] = append(problems["limit"], "must be between 1 and "+strconv.Itoa(maxLimit))
		default:
			limit = int(n)
		}
	}
	return offset, limit
}

// param returns a query parameter's value (checkRequest has made sure
// there is at most one).
func (c *call) param(name string) (string, bool) {
	v, ok := c.query[name]
	if !ok || len(v) == 0 {
		return "", false
	}
	return v[0], true
}

// queryInt reads a decimal integer: an optional minus sign and digits,
// nothing else (no "+", spaces, fraction or exponent). A value too large
// for int64 saturates, since its sign is all that decides.
func queryInt(s string) (int64, bool) {
	digits := strings.TrimPrefix(s, "-")
	if digits == "" || strings.TrimLeft(digits, "0123456789") != "" {
		return 0, false
	}
	n, err := strconv.ParseInt(digits, 10, 64)
	if err != nil {
		n = 1 << 62
	}
	if digits != s {
		n = -n
	}
	return n, true
}
