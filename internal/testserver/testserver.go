// Package testserver runs a whole Gatehouse (every face, auth, a fresh
// store) behind an httptest server, so that tests drive the real HTTP
// surface. The store is SQLite in a temporary directory, or PostgreSQL when
// GATEHOUSE_TEST_STORE=postgres (see internal/pgtest), so that one suite
// proves both.
package testserver

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gatehouse/gatehouse/internal/auth"
	"github.com/gatehouse/gatehouse/internal/directory"
	"github.com/gatehouse/gatehouse/internal/pgtest"
	"github.com/gatehouse/gatehouse/internal/server"
	"github.com/gatehouse/gatehouse/internal/store"
)

// Bootstrap credentials of every test server's full-permission account.
const (
	AdminClientID = "test-admin"
	AdminSecret   = "test-admin-secret-0123456789abcdef-0123456789"
)

// Server is a running test server.
type Server struct {
	URL string

	t       testing.TB
	dsn     string
	cfg     server.Config
	store   directory.Store
	srv     *server.Server
	http    *httptest.Server
	tokenMu sync.Mutex
	tokens  map[string]string
}

// Option changes how a test server is configured.
type Option func(*server.Config)

// WithRateLimit enables rate limiting at perSecond requests per second per
// API account (test servers run without limits otherwise).
func WithRateLimit(perSecond int) Option {
	return func(c *server.Config) { c.Auth.RatePerSecond = perSecond; c.Auth.RatePerHour = 15000 }
}

// WithStrict serves in appliance-strict mode (serve --strict).
func WithStrict() Option {
	return func(c *server.Config) { c.Strict = true }
}

// WithClock makes token issue and expiry follow now.
func WithClock(now func() time.Time) Option {
	return func(c *server.Config) { c.Auth.Now = now }
}

// WithLogger sends the server's logs to l (they are discarded otherwise).
func WithLogger(l *slog.Logger) Option {
	return func(c *server.Config) { c.Logger = l }
}

// DSN returns a fresh database for one test: a SQLite file, or a PostgreSQL
// database when GATEHOUSE_TEST_STORE=postgres.
func DSN(t testing.TB) string {
	switch os.Getenv("GATEHOUSE_TEST_STORE") {
	case "", "sqlite":
		return filepath.Join(t.TempDir(), "gatehouse.db")
	case "postgres":
		return pgtest.DSN(t)
	default:
		t.Fatalf("GATEHOUSE_TEST_STORE=%q: want sqlite or postgres", os.Getenv("GATEHOUSE_TEST_STORE"))
		return ""
	}
}

// New starts a server on a fresh database.
func New(t testing.TB, opts ...Option) *Server {
	t.Helper()
	cfg := server.Config{
		Auth:   auth.Config{RatePerSecond: 0, PollInterval: 50 * time.Millisecond},
		Argon2: directory.Argon2Params{MemoryKiB: 64, Time: 1, Threads: 1}, // tests need speed, not strength
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil)),
	}
	for _, o := range opts {
		o(&cfg)
	}
	s := &Server{t: t, dsn: DSN(t), cfg: cfg}
	s.start()
	t.Cleanup(s.stop)
	return s
}

func (s *Server) start() {
	s.t.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, s.dsn)
	if err != nil {
		s.t.Fatalf("open store: %v", err)
	}
	srv, err := server.New(ctx, st, s.cfg)
	if err != nil {
		st.Close()
		s.t.Fatalf("start server: %v", err)
	}
	if _, _, err := srv.Directory().Bootstrap(ctx, AdminClientID, AdminSecret); err != nil {
		s.t.Fatalf("bootstrap: %v", err)
	}
	s.store, s.srv = st, srv
	s.http = httptest.NewServer(srv.Handler())
	s.URL = s.http.URL
	s.tokens = map[string]string{}
}

func (s *Server) stop() {
	if s.http == nil {
		return
	}
	s.http.Close()
	s.srv.Close()
	if err := s.store.Close(); err != nil {
		s.t.Errorf("close store: %v", err)
	}
	s.http = nil
}

// Restart stops the server and starts a new one on the same database, as a
// process restart would.
func (s *Server) Restart(t testing.TB) {
	t.Helper()
	s.stop()
	s.start()
}

// Service is the directory service, for arranging fixtures directly.
func (s *Server) Service() *directory.Service { return s.srv.Directory() }

// Store is the server's store.
func (s *Server) Store() directory.Store { return s.store }

// DSN is the server's database: a SQLite file path or a PostgreSQL URL,
// for tests that check the database itself (integrity after hostile input).
func (s *Server) DSN() string { return s.dsn }

// AdminToken returns a bearer token of the bootstrap account.
func (s *Server) AdminToken(t testing.TB) string {
	return s.Token(t, AdminClientID, AdminSecret)
}

// NewAccount creates an API account with the given permissions.
func (s *Server) NewAccount(t testing.TB, name string, p directory.Permissions) (clientID, secret string) {
	t.Helper()
	ctx := directory.WithActor(context.Background(), directory.Actor{Kind: directory.ActorCLI})
	a, secret, err := s.Service().CreateAPIAccount(ctx, directory.NewAPIAccount{Name: name, Perms: p})
	if err != nil {
		t.Fatalf("create api account %q: %v", name, err)
	}
	return a.ClientID, secret
}

// Token returns a bearer token for the account, cached per server start.
func (s *Server) Token(t testing.TB, clientID, secret string) string {
	t.Helper()
	s.tokenMu.Lock()
	defer s.tokenMu.Unlock()
	if tok, ok := s.tokens[clientID+":"+secret]; ok {
		return tok
	}
	form := url.Values{"grant_type": {"client_credentials"}, "client_id": {clientID}, "client_secret": {secret}}.Encode()
	resp := s.Do(t, http.MethodPost, "/oauth2/token", "", form, "Content-Type", "application/x-www-form-urlencoded")
	if resp.Status != http.StatusOK {
		t.Fatalf("token for %s: %d %s", clientID, resp.Status, resp.Body)
	}
	tok, _ := resp.JSON(t).(map[string]any)["access_token"].(string)
	if tok == "" {
		t.Fatalf("token for %s: no access_token in %s", clientID, resp.Body)
	}
	s.tokens[clientID+":"+secret] = tok
	return tok
}

// Do sends one request. token may be empty; header holds name, value pairs.
// body is sent as is (no Content-Type unless header gives one).
func (s *Server) Do(t testing.TB, method, path, token, body string, header ...string) *Response {
	t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, s.URL+path, rd)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := s.http.Client().Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("%s %s: read body: %v", method, path, err)
	}
	return &Response{Status: resp.StatusCode, Header: resp.Header, Body: b}
}
