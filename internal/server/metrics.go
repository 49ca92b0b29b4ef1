package server

import (
	"context"
	"net/http"
	"strings"
	"time"

	"github.com/gatehouse/gatehouse/internal/api/insight"
	"github.com/gatehouse/gatehouse/internal/auth"
	"github.com/gatehouse/gatehouse/internal/directory"
	"github.com/gatehouse/gatehouse/internal/httpx"
	"github.com/gatehouse/gatehouse/internal/metrics"
	"github.com/gatehouse/gatehouse/internal/store/sqlstore"
)

// unmatched is the route label of a request no route pattern matched.
const unmatched = "unmatched"

// withMetrics counts every request by face, route pattern, method and
// status, and times it. The route is what the routers recorded
// (httpx.SetRoute): the innermost router's pattern, or the ServeMux's
// (see New). BeyondInsight's router sees paths below its prefix, lower
// case, so its patterns are reported with the prefix put back; the one
// request it routes without recording a pattern is its 404 for a path it
// does not know, reported as the other faces report theirs: as the
// prefix's subtree.
func withMetrics(m *metrics.Metrics, next http.Handler) http.Handler {
	return httpx.Observe(next, func(r *http.Request, status int, route string, elapsed time.Duration) {
		face := faceOf(r.URL.Path)
		prefix := ""
		switch {
		case face == faceInsight && route == "":
			prefix, route = insight.Prefix, "/"
		case route == "":
			route = unmatched
		case face == faceInsight:
			prefix = insight.Prefix
		default:
			// "GET /healthz" is reported as "/healthz": the method is a
			// label of its own.
			if i := strings.IndexByte(route, ' '); i >= 0 {
				route = route[i+1:]
			}
		}
		m.ObserveRequest(face, prefix, route, r.Method, status, elapsed)
	})
}

// The face label's values.
const (
	facePRA     = "pra"
	facePublic  = "public"
	faceSCIM    = "scim"
	faceInsight = "insight"
	faceOAuth   = "oauth"
	faceConsole = "console"
	faceAdmin   = "admin"
	faceOther   = "other"
)

// facePrefixes are the paths below which each face answers.
var facePrefixes = []struct{ prefix, face string }{
	{"/api/config/v1", facePRA},
	{"/get_mech_list", facePRA},
	{"/api/public/v3", facePublic},
	{"/scim/v2", faceSCIM},
	{"/oauth2/token", faceOAuth},
	{"/console", faceConsole},
	{"/api/admin/v1", faceAdmin},
}

// faceOf names the face that answers path.
func faceOf(path string) string {
	if insight.Matches(path) {
		return faceInsight
	}
	for _, f := range facePrefixes {
		if strings.HasPrefix(path, f.prefix) && (len(path) == len(f.prefix) || path[len(f.prefix)] == '/') {
			return f.face
		}
	}
	return faceOther
}

// observeStore has m report what the store can tell: its transaction
// retries, its connection pools and its BeyondInsight sessions. The
// SQLite and PostgreSQL stores tell all three. Servers sharing one store
// value (tests) share its retries: the last one's Metrics hears them.
func observeStore(m *metrics.Metrics, store directory.Store, now func() time.Time) {
	if s, ok := store.(interface{ ObserveRetries(sqlstore.RetryObserver) }); ok {
		s.ObserveRetries(m)
	}
	if s, ok := store.(interface{ PoolStats() []sqlstore.PoolStats }); ok {
		m.ObservePools(func() []metrics.PoolStats {
			pools := s.PoolStats()
			out := make([]metrics.PoolStats, len(pools))
			for i, p := range pools {
				out[i] = metrics.PoolStats(p)
			}
			return out
		})
	}
	if s, ok := store.(interface {
		ActiveSessions(context.Context, time.Time) (int64, error)
	}); ok {
		m.ObserveSessions(func(ctx context.Context) (int64, error) {
			return s.ActiveSessions(ctx, now().Add(-auth.SessionIdle))
		})
	}
}

// authNow is the clock auth runs on.
func authNow(c auth.Config) func() time.Time {
	if c.Now != nil {
		return c.Now
	}
	return time.Now
}
