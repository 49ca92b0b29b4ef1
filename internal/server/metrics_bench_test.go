package server

import (
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/gatehouse/gatehouse/internal/httpx"
	"github.com/gatehouse/gatehouse/internal/metrics"
)

// discard is a ResponseWriter that keeps nothing, so that the benchmark
// measures the middleware, not a recorder.
type discard struct{ h http.Header }

func (d discard) Header() http.Header         { return d.h }
func (discard) Write(b []byte) (int, error)   { return len(b), nil }
func (discard) WriteHeader(int)               {}
func (d discard) Unwrap() http.ResponseWriter { return nil }

// BenchmarkMetricsMiddleware measures what withMetrics adds to a request:
// compare "with" against "without", the request id and access log
// middleware around it in withMiddleware (logging nowhere), which wrap
// the response writer that withMetrics then shares.
func BenchmarkMetricsMiddleware(b *testing.B) {
	routed := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		httpx.SetRoute(r.Context(), "/api/config/v1/user/{id}")
		w.WriteHeader(http.StatusOK)
	})
	m := metrics.New("bench")
	log := slog.New(slog.DiscardHandler)
	for _, c := range []struct {
		name string
		h    http.Handler
	}{
		{"without", httpx.RequestID(httpx.AccessLog(log, routed))},
		{"with", httpx.RequestID(withMetrics(m, httpx.AccessLog(log, routed)))},
	} {
		b.Run(c.name, func(b *testing.B) {
			r := httptest.NewRequest(http.MethodGet, "/api/config/v1/user/42", nil)
			r.Header.Set("X-Request-ID", "bench")
			w := discard{h: http.Header{}}
			b.ReportAllocs()
			for b.Loop() {
				c.h.ServeHTTP(w, r)
			}
		})
	}
}
