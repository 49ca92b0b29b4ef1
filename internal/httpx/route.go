package httpx

import (
	"net/http"
	"slices"
	"strings"
)

// Methods maps HTTP methods to the handlers of one path.
type Methods map[string]http.Handler

// methodOrder is the order of methods in an Allow header.
var methodOrder = []string{http.MethodGet, http.MethodHead, http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete}

// Route registers pattern on mux with one handler per method. HEAD is served
// by the GET handler (net/http drops the body, so the headers are those of a
// GET); OPTIONS answers 200 with the Allow header and no body; any other
// method gets the Allow header and whatever notAllowed writes, which should
// be a 405 in the face's dialect. Registering the pattern without a method
// keeps net/http's own plain-text 405 out of the way.
func Route(mux *http.ServeMux, pattern string, m Methods, notAllowed http.Handler) {
	rt := &route{notAllowed: notAllowed}
	var allow []string
	for _, method := range methodOrder {
		h := m[method]
		if method == http.MethodHead && m[http.MethodGet] != nil {
			h = m[http.MethodGet]
		}
		if h == nil {
			continue
		}
		allow = append(allow, method)
		rt.methods = append(rt.methods, method)
		rt.handlers = append(rt.handlers, h)
	}
	for method := range m {
		if !slices.Contains(methodOrder, method) {
			panic("httpx: unsupported method " + method + " for " + pattern)
		}
	}
	// PRA documents the list without spaces: "GET,HEAD,POST".
	rt.allow = strings.Join(allow, ",")
	mux.Handle(pattern, rt)
}

type route struct {
	methods    []string
	handlers   []http.Handler
	allow      string
	notAllowed http.Handler
}

func (rt *route) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	SetRoute(r.Context(), r.Pattern)
	for i, m := range rt.methods {
		if m == r.Method {
			rt.handlers[i].ServeHTTP(w, r)
			return
		}
	}
	w.Header().Set("Allow", rt.allow)
	if r.Method == http.MethodOptions {
		w.Header().Set("Content-Length", "0")
		w.WriteHeader(http.StatusOK)
		return
	}
	rt.notAllowed.ServeHTTP(w, r)
}
