package auth_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/gatehouse/gatehouse/internal/auth"
	"github.com/gatehouse/gatehouse/internal/directory"
)

// BenchmarkAuthenticate is the per-request cost every API call pays.
func BenchmarkAuthenticate(b *testing.B) {
	for _, bc := range []struct {
		name string
		cfg  auth.Config
	}{
		{"unlimited", auth.Config{}},
		{"limited", auth.Config{RatePerSecond: 1 << 30, RatePerHour: 1 << 30}},
		// Limits counted as instances sharing a database count them; the
		// syncing runs beside the benchmark, as it would in production.
		{"shared", auth.Config{RatePerSecond: 1 << 30, RatePerHour: 1 << 30, SharedRateLimits: true}},
		{"allowlist", auth.Config{}},
	} {
		b.Run(bc.name, func(b *testing.B) {
			bc.cfg.Now = time.Now
			e := newBenchEnv(b, bc.cfg)
			in := directory.NewAPIAccount{}
			if bc.name == "allowlist" {
				in.IPAllow = []string{"192.0.2.0/24", "10.0.0.0/8"}
			}
			a, secret := e.account(b, in)
			tok, _, err := e.auth.IssueToken(context.Background(), a.ClientID, secret, "", netip.MustParseAddr("10.0.0.1"))
			if err != nil {
				b.Fatal(err)
			}
			r := httptest.NewRequest(http.MethodGet, "/api/config/v1/user", nil)
			r.RemoteAddr = "10.0.0.1:40000"
			r.Header.Set("Authorization", "Bearer "+tok)
			b.Run("serial", func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					if _, _, err := e.auth.Authenticate(r); err != nil {
						b.Fatal(err)
					}
				}
			})
			b.Run("parallel", func(b *testing.B) {
				b.ReportAllocs()
				b.RunParallel(func(pb *testing.PB) {
					for pb.Next() {
						if _, _, err := e.auth.Authenticate(r); err != nil {
							b.Error(err)
							return
						}
					}
				})
			})
		})
	}
}

// BenchmarkIssueToken is a token request end to end: the HTTP handler,
// parsing, hashing, the SQLite write of the serial, and minting.
func BenchmarkIssueToken(b *testing.B) {
	e := newBenchEnv(b, auth.Config{})
	a, secret := e.account(b, directory.NewAPIAccount{})
	h := e.auth.TokenHandler()
	body := url.Values{"grant_type": {"client_credentials"}, "client_id": {a.ClientID}, "client_secret": {secret}}.Encode()
	issue := func() {
		r := httptest.NewRequest(http.MethodPost, "/oauth2/token", strings.NewReader(body))
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		if w.Code != http.StatusOK {
			b.Fatalf("status %d: %s", w.Code, w.Body)
		}
	}
	b.Run("serial", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			issue()
		}
	})
	b.Run("parallel", func(b *testing.B) {
		b.ReportAllocs()
		b.SetParallelism(25) // 50 clients on 2 cores, as the load test has
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				issue()
			}
		})
	})
}

// newBenchEnv is newEnv for a benchmark: same database and services, no
// log capture (logging would dominate).
func newBenchEnv(b *testing.B, cfg auth.Config) *instance {
	b.Helper()
	ctx := context.Background()
	st := openStore(b, b.TempDir()+"/bench.db")
	dir := directory.NewService(st, directory.NewHasher(directory.DefaultArgon2))
	a, err := auth.New(ctx, st, dir, cfg)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(a.Close)
	return &instance{store: st, dir: dir, auth: a, logs: &logBuffer{}}
}

// BenchmarkProtectedGET compares a bare handler with the same handler
// behind Authenticate, over loopback HTTP with keep-alive: the share of a
// request that authentication costs.
func BenchmarkProtectedGET(b *testing.B) {
	// Limits high enough never to refuse, so that their cost is measured.
	e := newBenchEnv(b, auth.Config{RatePerSecond: 1 << 30, RatePerHour: 1 << 30})
	svc := e.auth
	a, secret := e.account(b, directory.NewAPIAccount{})
	tok, _, err := svc.IssueToken(context.Background(), a.ClientID, secret, "", netip.Addr{})
	if err != nil {
		b.Fatal(err)
	}
	body := []byte(`{"id":1}`)
	bare := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Write(body)
	})
	guarded := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if _, _, err := svc.Authenticate(r); err != nil {
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		bare(w, r)
	})
	for _, h := range []struct {
		name string
		h    http.Handler
	}{{"bare", bare}, {"authenticated", guarded}} {
		b.Run(h.name, func(b *testing.B) {
			srv := httptest.NewServer(h.h)
			defer srv.Close()
			client := srv.Client()
			client.Transport.(*http.Transport).MaxIdleConnsPerHost = 64
			b.SetParallelism(8)
			b.ReportAllocs()
			b.RunParallel(func(pb *testing.PB) {
				req, _ := http.NewRequest(http.MethodGet, srv.URL, nil)
				req.Header.Set("Authorization", "Bearer "+tok)
				for pb.Next() {
					resp, err := client.Do(req)
					if err != nil {
						b.Error(err)
						return
					}
					io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
					if resp.StatusCode != 200 {
						b.Errorf("status %d", resp.StatusCode)
						return
					}
				}
			})
		})
	}
}
