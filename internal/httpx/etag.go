package httpx

import (
	"net/http"
	"strconv"
	"strings"
)

// ETag is the entity tag of a record's version: a strong tag, "7", so that
// If-Match compares it as RFC 9110 §13.1.1 requires. Weak is the same tag
// marked weak, W/"7", as SCIM writes it (RFC 7644 §3.14).
func ETag(version int64) string { return `"` + strconv.FormatInt(version, 10) + `"` }

// WeakETag is ETag marked weak.
func WeakETag(version int64) string { return "W/" + ETag(version) }

// IfMatch reads an If-Match header that names one of Gatehouse's ETags,
// weak or strong (a client sends back whichever it was given). It returns
// 0 with ok true when there is no header or it is "*", which any existing
// record matches; ok is false when the header names something that is not
// one of our tags, or several, which no record can match.
func IfMatch(h http.Header) (version int64, ok bool) {
	v := strings.TrimSpace(h.Get("If-Match"))
	if v == "" || v == "*" {
		return 0, true
	}
	v = strings.TrimPrefix(v, "W/")
	if len(v) < 3 || v[0] != '"' || v[len(v)-1] != '"' {
		return 0, false
	}
	n, err := strconv.ParseInt(v[1:len(v)-1], 10, 64)
	if err != nil || n < 1 {
		return 0, false
	}
	return n, true
}
