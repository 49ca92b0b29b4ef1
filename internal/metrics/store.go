package metrics

import (
	"context"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// TxRetried counts a write run again after a transient failure
// (sqlstore.RetryObserver).
func (m *Metrics) TxRetried() { m.txRetries.Inc() }

// TxGaveUp counts a write that failed transiently on every attempt.
func (m *Metrics) TxGaveUp() { m.txGaveUp.Inc() }

// PoolStats is one database connection pool's state at one moment.
type PoolStats struct {
	Pool         string // the pool's name: read, write (SQLite) or pgx (PostgreSQL)
	InUse, Idle  int
	Max          int // 0: unlimited
	Waits        int64
	WaitDuration time.Duration // in all, since the pool opened
}

// ObservePools reports what pools returns, read at every scrape.
func (m *Metrics) ObservePools(pools func() []PoolStats) {
	m.reg.MustRegister(&poolCollector{pools: pools})
}

var (
	connsDesc = prometheus.NewDesc("gatehouse_db_connections",
		"Open database connections, by pool and state (in_use or idle).", []string{"pool", "state"}, nil)
	maxConnsDesc = prometheus.NewDesc("gatehouse_db_connections_max",
		"Most connections the pool opens (0: unlimited).", []string{"pool"}, nil)
	waitsDesc = prometheus.NewDesc("gatehouse_db_connection_waits_total",
		"Times a query waited for a free connection of the pool.", []string{"pool"}, nil)
	waitSecondsDesc = prometheus.NewDesc("gatehouse_db_connection_wait_seconds_total",
		"Time queries spent waiting for a free connection of the pool.", []string{"pool"}, nil)
)

// poolCollector reads the pools when scraped, as database/sql and pgxpool
// keep their own counts.
type poolCollector struct{ pools func() []PoolStats }

func (c *poolCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- connsDesc
	ch <- maxConnsDesc
	ch <- waitsDesc
	ch <- waitSecondsDesc
}

func (c *poolCollector) Collect(ch chan<- prometheus.Metric) {
	for _, p := range c.pools() {
		ch <- prometheus.MustNewConstMetric(connsDesc, prometheus.GaugeValue, float64(p.InUse), p.Pool, "in_use")
		ch <- prometheus.MustNewConstMetric(connsDesc, prometheus.GaugeValue, float64(p.Idle), p.Pool, "idle")
		ch <- prometheus.MustNewConstMetric(maxConnsDesc, prometheus.GaugeValue, float64(p.Max), p.Pool)
		ch <- prometheus.MustNewConstMetric(waitsDesc, prometheus.CounterValue, float64(p.Waits), p.Pool)
		ch <- prometheus.MustNewConstMetric(waitSecondsDesc, prometheus.CounterValue, p.WaitDuration.Seconds(), p.Pool)
	}
}

// sessionsTimeout bounds the query a scrape makes for the session count,
// so that a stuck database does not hold the scrape.
const sessionsTimeout = 2 * time.Second

var sessionsDesc = prometheus.NewDesc("gatehouse_sessions_active",
	"BeyondInsight sessions not yet idle, as the database holds them: the same figure on every instance sharing it.", nil, nil)

// ObserveSessions reports the count active returns, asked at every scrape;
// a scrape during which it fails goes without the series rather than
// failing whole.
func (m *Metrics) ObserveSessions(active func(context.Context) (int64, error)) {
	m.reg.MustRegister(&sessionsCollector{active: active})
}

type sessionsCollector struct {
	active func(context.Context) (int64, error)
}

func (c *sessionsCollector) Describe(ch chan<- *prometheus.Desc) { ch <- sessionsDesc }

func (c *sessionsCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), sessionsTimeout)
	defer cancel()
	n, err := c.active(ctx)
	if err != nil {
		return
	}
	ch <- prometheus.MustNewConstMetric(sessionsDesc, prometheus.GaugeValue, float64(n))
}
