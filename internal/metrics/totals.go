package metrics

import (
	"sync"
	"time"

	dto "github.com/prometheus/client_model/go"
)

// Totals are what the web console's overview shows of the traffic: the
// tokens issued and requests answered since this process started, and
// their rates over about the last minute.
type Totals struct {
	TokensIssued float64
	Requests     float64
	Since        time.Time
	// TokensPerSecond and RequestsPerSecond are over Window, the time
	// since the oldest sample of the last minute (zero before the first).
	TokensPerSecond, RequestsPerSecond float64
	Window                             time.Duration
}

// Totals reads the counters back from the registry, as a scrape would,
// and the rates since the oldest sample Sample keeps.
func (m *Metrics) Totals() Totals {
	now := m.counts(time.Now())
	t := Totals{TokensIssued: now.tokens, Requests: now.requests, Since: m.started}
	if old, ok := m.samples.oldest(now.at); ok {
		t.Window = now.at.Sub(old.at)
		secs := t.Window.Seconds()
		t.TokensPerSecond = (now.tokens - old.tokens) / secs
		t.RequestsPerSecond = (now.requests - old.requests) / secs
	}
	return t
}

// sampled is the counts at one time.
type sampled struct {
	at               time.Time
	tokens, requests float64
}

func (m *Metrics) counts(now time.Time) sampled {
	s := sampled{at: now}
	families, err := m.reg.Gather()
	if err != nil {
		return s
	}
	for _, f := range families {
		switch f.GetName() {
		case "gatehouse_tokens_issued_total":
			s.tokens = sumCounters(f)
		case "gatehouse_http_requests_total":
			s.requests = sumCounters(f)
		}
	}
	return s
}

func sumCounters(f *dto.MetricFamily) float64 {
	var n float64
	for _, m := range f.GetMetric() {
		n += m.GetCounter().GetValue()
	}
	return n
}

// sampleEvery and rateWindow: the rates are over the last minute, from a
// sample every ten seconds.
const (
	sampleEvery = 10 * time.Second
	rateWindow  = time.Minute
)

// samples are the counts of the last rateWindow, oldest first.
type samples struct {
	mu   sync.Mutex
	list []sampled
}

func (s *samples) add(x sampled) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.list = append(s.list, x)
	for len(s.list) > 1 && x.at.Sub(s.list[0].at) > rateWindow {
		s.list = s.list[1:]
	}
}

// oldest is the oldest sample: at most rateWindow older than the newest,
// which is at most sampleEvery old.
func (s *samples) oldest(now time.Time) (sampled, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.list) == 0 || !now.After(s.list[0].at) {
		return sampled{}, false
	}
	return s.list[0], true
}

// Sample takes the counts every ten seconds for Totals' rates, until stop
// is called.
func (m *Metrics) Sample() (stop func()) {
	done := make(chan struct{})
	var once sync.Once
	m.samples.add(m.counts(time.Now()))
	go func() {
		t := time.NewTicker(sampleEvery)
		defer t.Stop()
		for {
			select {
			case now := <-t.C:
				m.samples.add(m.counts(now))
			case <-done:
				return
			}
		}
	}()
	return func() { once.Do(func() { close(done) }) }
}
