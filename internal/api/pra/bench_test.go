package pra_test

import (
	"context"
	"strconv"

	"github.com/gatehouse/gatehouse/internal/directory"
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

// BenchmarkListUsers measures GET /user?per_page=100 over loopback with
// 1,000 users in the directory: the per-row cost of a list page (the store
// scan, the face's mapping and the JSON writer).
func BenchmarkListUsers(b *testing.B) {
	s := testserver.New(b)
	tok := s.AdminToken(b)
	ctx := context.Background()
	for i := range 1000 {
		n := strconv.Itoa(i)
		_, err := s.Service().CreateUser(ctx, directory.NewUser{Source: directory.SourceLocal,
			SecurityProviderID: directory.LocalProviderID, UserChange: directory.UserChange{
				Username:    directory.To("bench" + n),
				DisplayName: directory.To("Bench User " + n),
				Email:       directory.To("bench" + n + "@example.com"),
			}})
		if err != nil {
			b.Fatal(err)
		}
	}
	benchGet(b, s.URL+base+"/user?per_page=100&current_page=3", tok)
}
