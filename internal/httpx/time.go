package httpx

import (
	"strings"
	"time"
)

// ParseUTC parses an RFC 3339 date-time that names UTC explicitly, with a
// "Z" or "+00:00" suffix. A missing zone is ambiguous and any other offset
// (even "-00:00", which RFC 3339 reserves for "offset unknown") is refused,
// so that no client's local time is silently reinterpreted. Fractional
// seconds are accepted and dropped.
func ParseUTC(s string) (time.Time, bool) {
	if !strings.HasSuffix(s, "Z") && !strings.HasSuffix(s, "+00:00") {
		return time.Time{}, false
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return time.Time{}, false
	}
	return t.UTC().Truncate(time.Second), true
}

// AppendUTC appends t in UTC with second precision and a "+00:00" suffix,
// never "Z": PRA clients compare these strings.
func AppendUTC(b []byte, t time.Time) []byte {
	b = t.UTC().AppendFormat(b, "2006-01-02T15:04:05")
	return append(b, "+00:00"...)
}
