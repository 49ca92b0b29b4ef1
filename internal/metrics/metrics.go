// Package metrics owns every Prometheus collector of a Gatehouse server and
// serves them at /metrics in the Prometheus text format.
//
// Each server has its own registry, never the global default one, so that
// tests can run several servers in one process.
//
// Nothing else imports this package but internal/server, which wires it:
// internal/auth and internal/store/sqlstore declare small observer
// interfaces of their own (auth.Observer, sqlstore.RetryObserver) that
// *Metrics satisfies, and report pool statistics and session counts
// through methods that internal/server reads at scrape time. So the
// adapters stay independent of each other and of the metrics library,
// and the faces never see Prometheus: they record the route pattern that
// matched on the request (httpx.SetRoute), which the server's middleware
// hands to ObserveRequest.
//
// Labels are few and bounded: a face, a route pattern (never a raw path),
// a method from a fixed list, a status code, and reasons from closed sets.
package metrics

import (
	"net/http"
	"runtime"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Metrics is one server's collectors.
type Metrics struct {
	reg     *prometheus.Registry
	handler http.Handler

	requests *prometheus.CounterVec
	duration *prometheus.HistogramVec
	// series caches the children of requests and duration by their
	// labels, so that the request path neither builds a label slice nor
	// hashes label values (see ObserveRequest).
	mu     sync.RWMutex
	series map[seriesKey]*series

	started time.Time // for Totals
	samples samples   // for Totals' rates

	tokensIssued   prometheus.Counter
	tokensRefused  *prometheus.CounterVec
	lockouts       prometheus.Counter
	rateLimited    *prometheus.CounterVec
	sessionsOpened prometheus.Counter
	txRetries      prometheus.Counter
	txGaveUp       prometheus.Counter
}

// New returns the collectors of one server, with the Go runtime's and the
// process's, and gatehouse_build_info for version (the main module's
// version, as `gatehouse version` prints it).
func New(version string) *Metrics {
	m := &Metrics{reg: prometheus.NewRegistry(), series: map[seriesKey]*series{}, started: time.Now()}
	f := factory{m.reg}
	m.requests = f.counterVec("gatehouse_http_requests_total",
		"HTTP requests answered, by face, matched route pattern, method and status code.", "face", "route", "method", "code")
	m.duration = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name:    "gatehouse_http_request_duration_seconds",
		Help:    "Time from a request's arrival to its handler's return, by face, matched route pattern and method.",
		Buckets: []float64{.0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10},
	}, []string{"face", "route", "method"})
	m.reg.MustRegister(m.duration)
	m.tokensIssued = f.counter("gatehouse_tokens_issued_total",
		"Access tokens issued by /oauth2/token and BeyondInsight's Auth/connect/token.")
	m.tokensRefused = f.counterVec("gatehouse_tokens_refused_total",
		"Token requests refused, by reason: "+refusalReasons+".", "reason")
	m.lockouts = f.counter("gatehouse_lockouts_total",
		"Client addresses locked out of an API account after consecutive wrong secrets, or of a console administrator after wrong passwords or codes.")
	m.rateLimited = f.counterVec("gatehouse_rate_limited_total",
		"Requests refused with 429, by limit: account (an API account's requests per second or hour) or token_source (token requests per client address).", "limit")
	m.sessionsOpened = f.counter("gatehouse_sessions_started_total",
		"BeyondInsight sessions signed in (Auth/SignAppIn).")
	m.txRetries = f.counter("gatehouse_db_transaction_retries_total",
		"Database writes run again after a transient failure (a serialization conflict or a lock timeout).")
	m.txGaveUp = f.counter("gatehouse_db_transaction_retries_exhausted_total",
		"Database writes that failed transiently on every attempt and were reported as failed.")
	m.reg.MustRegister(
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{
			Name:        "gatehouse_build_info",
			Help:        "Always 1; the labels say which build is running.",
			ConstLabels: prometheus.Labels{"version": version, "goversion": runtime.Version()},
		}, func() float64 { return 1 }),
	)
	// A collector that fails (the process's figures unreadable) costs
	// its own series, not the whole scrape.
	m.handler = promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{Registry: m.reg, EnableOpenMetrics: true,
		ErrorHandling: promhttp.ContinueOnError})
	return m
}

// Handler serves the registry in the Prometheus text format (or
// OpenMetrics, when the scraper asks for it).
func (m *Metrics) Handler() http.Handler { return m.handler }

// factory registers as it creates.
type factory struct{ reg *prometheus.Registry }

func (f factory) counter(name, help string) prometheus.Counter {
	c := prometheus.NewCounter(prometheus.CounterOpts{Name: name, Help: help})
	f.reg.MustRegister(c)
	return c
}

func (f factory) counterVec(name, help string, labels ...string) *prometheus.CounterVec {
	c := prometheus.NewCounterVec(prometheus.CounterOpts{Name: name, Help: help}, labels)
	f.reg.MustRegister(c)
	return c
}
