package metrics

import (
	"time"

	dto "github.com/prometheus/client_model/go"
)

// Totals are what the web console's overview shows of the traffic: the
// tokens issued and requests answered since this process started.
type Totals struct {
	TokensIssued float64
	Requests     float64
	Since        time.Time
}

// Totals reads the counters back from the registry, as a scrape would.
func (m *Metrics) Totals() Totals {
	t := Totals{Since: m.started}
	families, err := m.reg.Gather()
	if err != nil {
		return t
	}
	for _, f := range families {
		switch f.GetName() {
		case "gatehouse_tokens_issued_total":
			t.TokensIssued = sumCounters(f)
		case "gatehouse_http_requests_total":
			t.Requests = sumCounters(f)
		}
	}
	return t
}

func sumCounters(f *dto.MetricFamily) float64 {
	var n float64
	for _, m := range f.GetMetric() {
		n += m.GetCounter().GetValue()
	}
	return n
}
