package metrics

import (
	"testing"
	"time"
)

// BenchmarkObserveRequest is the per-request cost of counting and timing
// a request whose series exists: serially, and from every core at once
// (the read lock shared).
func BenchmarkObserveRequest(b *testing.B) {
	m := New("bench")
	m.ObserveRequest("pra", "", "/api/config/v1/user/{id}", "GET", 200, time.Millisecond)
	b.Run("serial", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			m.ObserveRequest("pra", "", "/api/config/v1/user/{id}", "GET", 200, time.Millisecond)
		}
	})
	b.Run("parallel", func(b *testing.B) {
		b.ReportAllocs()
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				m.ObserveRequest("pra", "", "/api/config/v1/user/{id}", "GET", 200, time.Millisecond)
			}
		})
	})
}
