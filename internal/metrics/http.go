package metrics

import (
	"net/http"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

type seriesKey struct {
	face, prefix, route, method string
	code                        int
}

type series struct {
	count   prometheus.Counter
	latency prometheus.Observer
}

// ObserveRequest counts one answered request and its latency. face and
// prefix+route must come from fixed sets (the server's faces, registered
// patterns): they become label values as given; prefix and route are
// joined only when a series is first seen. Any method outside the standard
// ones is counted as "other", so that clients cannot mint series.
//
// After a series' first request this takes a read lock and a map lookup,
// and allocates nothing.
func (m *Metrics) ObserveRequest(face, prefix, route, method string, code int, elapsed time.Duration) {
	k := seriesKey{face: face, prefix: prefix, route: route, method: methodLabel(method), code: code}
	m.mu.RLock()
	s := m.series[k]
	m.mu.RUnlock()
	if s == nil {
		s = m.newSeries(k)
	}
	s.count.Inc()
	s.latency.Observe(elapsed.Seconds())
}

func (m *Metrics) newSeries(k seriesKey) *series {
	m.mu.Lock()
	defer m.mu.Unlock()
	if s := m.series[k]; s != nil {
		return s
	}
	s := &series{
		count:   m.requests.WithLabelValues(k.face, k.prefix+k.route, k.method, strconv.Itoa(k.code)),
		latency: m.duration.WithLabelValues(k.face, k.prefix+k.route, k.method),
	}
	m.series[k] = s
	return s
}

// methodLabel returns method if it is one of HTTP's standard methods, else
// "other".
func methodLabel(method string) string {
	switch method {
	case http.MethodGet, http.MethodHead, http.MethodPost, http.MethodPut, http.MethodPatch,
		http.MethodDelete, http.MethodOptions, http.MethodConnect, http.MethodTrace:
		return method
	}
	return "other"
}
