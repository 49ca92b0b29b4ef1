package metrics

import (
	"math"
	"testing"
	"time"
)

// The console's rates are the counts' growth since the oldest sample of
// the last minute; older samples are dropped as newer ones arrive.
func TestTotalsRates(t *testing.T) {
	m := New("test")
	if got := m.Totals(); got.Window != 0 || got.TokensPerSecond != 0 {
		t.Fatalf("rates before any sample: %+v", got)
	}
	now := time.Now()
	m.samples.add(sampled{at: now.Add(-90 * time.Second), tokens: 0, requests: 0})
	m.samples.add(sampled{at: now.Add(-50 * time.Second), tokens: 10, requests: 100})
	m.samples.add(sampled{at: now.Add(-20 * time.Second), tokens: 20, requests: 150})
	if len(m.samples.list) != 2 {
		t.Fatalf("kept %d samples, want the 2 of the last minute", len(m.samples.list))
	}
	m.tokensIssued.Add(60)
	for range 600 {
		m.requests.WithLabelValues("pra", "/x", "GET", "200").Inc()
	}
	got := m.Totals()
	if got.TokensIssued != 60 || got.Requests != 600 {
		t.Fatalf("totals %+v, want 60 tokens and 600 requests", got)
	}
	if got.Window < 50*time.Second || got.Window > 55*time.Second {
		t.Fatalf("window %v, want about 50s", got.Window)
	}
	secs := got.Window.Seconds()
	if want := 50 / secs; math.Abs(got.TokensPerSecond-want) > 1e-9 {
		t.Errorf("tokens per second %v, want %v", got.TokensPerSecond, want)
	}
	if want := 500 / secs; math.Abs(got.RequestsPerSecond-want) > 1e-9 {
		t.Errorf("requests per second %v, want %v", got.RequestsPerSecond, want)
	}
}

// Sample takes a first sample at once and stops when told.
func TestSampleStops(t *testing.T) {
	m := New("test")
	stop := m.Sample()
	if len(m.samples.list) != 1 {
		t.Fatalf("%d samples after Sample, want 1", len(m.samples.list))
	}
	stop()
	stop() // twice is harmless
}
