package pra_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/gatehouse/gatehouse/internal/testserver"
)

// BenchmarkGetUser measures an authenticated GET /user/{id} over loopback,
// the face's hottest path; BenchmarkBareHandler is the same client against
// a net/http handler that writes a fixed body of the same size, the
// yardstick the face is measured against.
func BenchmarkGetUser(b *testing.B) {
	s := testserver.New(b)
	tok := s.AdminToken(b)
	u := s.Do(b, "POST", base+"/user", tok, `{"username":"bench","public_display_name":"Bench"}`)
	if u.Status != 201 {
		b.Fatalf("create: %d %s", u.Status, u.Body)
	}
	benchGet(b, s.URL+u.Header.Get("Location")[len(s.URL):], tok)
}

func BenchmarkBareHandler(b *testing.B) {
	body := make([]byte, 1500)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(body)
	}))
	defer srv.Close()
	benchGet(b, srv.URL+"/user/1", "")
}

func benchGet(b *testing.B, url, tok string) {
	tr := &http.Transport{MaxIdleConnsPerHost: 64}
	client := &http.Client{Transport: tr}
	defer tr.CloseIdleConnections()
	b.ReportAllocs()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			req, _ := http.NewRequest("GET", url, nil)
			if tok != "" {
				req.Header.Set("Authorization", "Bearer "+tok)
			}
			req.Header.Set("Accept", "application/json")
			resp, err := client.Do(req)
			if err != nil {
				b.Fatal(err)
			}
			_, _ = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode != 200 {
				b.Fatalf("status %d", resp.StatusCode)
			}
		}
	})
}
