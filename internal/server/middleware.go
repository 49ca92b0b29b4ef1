package server

import (
	"log/slog"
	"net/http"
	"net/netip"

	"github.com/gatehouse/gatehouse/internal/httpx"
	"github.com/gatehouse/gatehouse/internal/metrics"
)

// withMiddleware adds what every request gets whatever its face: an id, its
// client's address (behind the trusted proxies, see httpx.ClientAddress),
// its metrics, an access log line, and a 500 instead of a dropped
// connection on a panic.
// Faces recover inside themselves to answer in their own dialect; this is
// the last line for the routes outside any face (token, health).
func withMiddleware(h http.Handler, log *slog.Logger, trustedProxies []netip.Prefix, m *metrics.Metrics) http.Handler {
	return httpx.RequestID(httpx.ClientAddress(trustedProxies,
		withMetrics(m, httpx.AccessLog(log, httpx.Recover(log, http.HandlerFunc(internalError), h)))))
}

func internalError(w http.ResponseWriter, _ *http.Request) {
	writeStatus(w, http.StatusInternalServerError, "internal error")
}
