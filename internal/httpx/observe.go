package httpx

import (
	"context"
	"net/http"
	"time"
)

// SetRoute records the route pattern that matched the request, for
// metrics: a pattern, never the path, so that ids do not become label
// values. The first pattern recorded stays: Route records its pattern
// before it dispatches and Routed once its mux has served, so either way
// a router inside another (BeyondInsight's, the console's) records before
// the outer one, and the innermost pattern wins. A handler with a router
// of another kind calls SetRoute itself. It does nothing outside
// RequestID, AccessLog or Observe.
func SetRoute(ctx context.Context, pattern string) {
	if info := infoFrom(ctx); info != nil && info.route == "" {
		info.route = pattern
	}
}

// Routed serves mux and then records the pattern it matched (which
// ServeMux sets on the request it is given) as the request's route, for a
// handler whose routes are those of a ServeMux of its own. A request mux
// matched no pattern for keeps no route.
func Routed(mux *http.ServeMux) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mux.ServeHTTP(w, r)
		if r.Pattern != "" {
			SetRoute(r.Context(), r.Pattern)
		}
	})
}

// Observe calls done once next has answered r, with the status it
// answered (200 when it wrote nothing), the route pattern recorded by
// SetRoute ("" when none was) and how long next took. It wraps the
// response writer once for AccessLog and Recover inside it too.
func Observe(next http.Handler, done func(r *http.Request, status int, route string, elapsed time.Duration)) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		info := infoFrom(r.Context())
		if info == nil {
			info = &requestInfo{}
			r = r.WithContext(context.WithValue(r.Context(), infoKey{}, info))
		}
		sw := track(w)
		next.ServeHTTP(sw, r)
		status := sw.status
		if status == 0 {
			status = http.StatusOK
		}
		done(r, status, info.route, time.Since(start))
	})
}
