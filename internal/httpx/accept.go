package httpx

import (
	"net/http"
	"strings"
)

// Accepts reports whether the request's Accept headers admit one of the
// given media types (lower case). No Accept header (or an empty one) admits
// anything; a range with q=0 excludes what it names.
func Accepts(h http.Header, types ...string) bool {
	admitted, named := accepts(h, types)
	return admitted || !named
}

// Acceptable reports whether the answer to r can take one of the given
// media types, as Accepts does; but in strict mode a GET, HEAD or DELETE
// must name what it accepts, as PRA documents ("for GET and DELETE
// requests, you must include an Accept header with the value
// application/json"), rather than have no Accept header admit anything.
func Acceptable(r *http.Request, types ...string) bool {
	admitted, named := accepts(r.Header, types)
	if !named && IsStrict(r) {
		switch r.Method {
		case http.MethodGet, http.MethodHead, http.MethodDelete:
			return false
		}
	}
	return admitted || !named
}

// accepts reports whether the Accept headers admit one of types, and
// whether they name any media range at all.
func accepts(h http.Header, types []string) (admitted, named bool) {
	for _, v := range h.Values("Accept") {
		for _, rng := range strings.Split(v, ",") {
			mt, params, _ := strings.Cut(rng, ";")
			mt = strings.ToLower(strings.TrimSpace(mt))
			if mt == "" {
				continue
			}
			named = true
			if refused(params) {
				continue
			}
			for _, t := range types {
				if mt == "*/*" || mt == t || strings.HasSuffix(mt, "/*") && strings.HasPrefix(t, mt[:len(mt)-1]) {
					return true, true
				}
			}
		}
	}
	return false, named
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
