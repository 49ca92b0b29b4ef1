package httpx

import (
	"net/http"
	"strings"
)

// Accepts reports whether the request's Accept headers admit one of the
// given media types (lower case). No Accept header (or an empty one) admits
// anything; a range with q=0 excludes what it names.
func Accepts(h http.Header, types ...string) bool {
	seen := false
	for _, v := range h.Values("Accept") {
		for _, rng := range strings.Split(v, ",") {
			mt, params, _ := strings.Cut(rng, ";")
			mt = strings.ToLower(strings.TrimSpace(mt))
			if mt == "" {
				continue
			}
			seen = true
			if refused(params) {
				continue
			}
			for _, t := range types {
				if mt == "*/*" || mt == t || strings.HasSuffix(mt, "/*") && strings.HasPrefix(t, mt[:len(mt)-1]) {
					return true
				}
			}
		}
	}
	return !seen
}

// refused reports whether media-range parameters carry q=0.
func refused(params string) bool {
	for _, p := range strings.Split(params, ";") {
		k, v, _ := strings.Cut(p, "=")
		if strings.EqualFold(strings.TrimSpace(k), "q") {
			v = strings.TrimRight(strings.TrimSpace(v), "0")
			return v == "" || v == "0."
		}
	}
	return false
}
