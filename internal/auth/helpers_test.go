package auth_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gatehouse/gatehouse/internal/auth"
	"github.com/gatehouse/gatehouse/internal/directory"
	"github.com/gatehouse/gatehouse/internal/httpx"
	"github.com/gatehouse/gatehouse/internal/testserver"
)

// clock is an adjustable Config.Now.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock() *clock { return &clock{t: time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)} }

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// instance is one Gatehouse instance: a store connection, a directory
// service, an auth service, and an HTTP server with the token endpoint and
// a protected resource at /whoami.
type instance struct {
	store directory.Store
	dir   *directory.Service
	auth  *auth.Service
	srv   *httptest.Server
	logs  *logBuffer
}

// env is a test's database, clock and first instance.
type env struct {
	*instance
	t     *testing.T
	path  string // the database every instance opens
	clock *clock
	cfg   auth.Config
	logs  *logBuffer
}

// logBuffer collects every log line of a test, so that it can be checked
// for secrets and tokens, and shown only when the test fails.
type logBuffer struct {
	mu      sync.Mutex
	buf     bytes.Buffer
	secrets []string // secrets and tokens that must never be logged
}

func (b *logBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *logBuffer) secret(s string) {
	b.mu.Lock()
	b.secrets = append(b.secrets, s)
	b.mu.Unlock()
}

func (b *logBuffer) check(t *testing.T) {
	b.mu.Lock()
	defer b.mu.Unlock()
	out := b.buf.String()
	for _, s := range b.secrets {
		if s != "" && strings.Contains(out, s) {
			t.Errorf("a secret or token reached the log")
		}
	}
	if t.Failed() {
		t.Logf("log:\n%s", out)
	}
}

func newEnv(t *testing.T, cfg auth.Config) *env {
	t.Helper()
	e := &env{t: t, path: testserver.DSN(t), clock: newClock(), logs: &logBuffer{}}
	t.Cleanup(func() { e.logs.check(t) })
	cfg.Logger = slog.New(slog.NewTextHandler(e.logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	if cfg.Now == nil {
		cfg.Now = e.clock.Now
	}
	if cfg.PollInterval == 0 {
		cfg.PollInterval = 50 * time.Millisecond
	}
	e.cfg = cfg
	e.instance = e.newInstance()
	return e
}

// testProxy is the trusted proxy every test instance sits behind: the
// test client itself, so that a test names a request's source in
// X-Forwarded-For (requestTokenFrom).
var testProxy = []netip.Prefix{netip.MustParsePrefix("127.0.0.1/32")}

// newInstance starts another instance over the same database.
func (e *env) newInstance() *instance {
	return e.newInstanceWrapping(func(s directory.Store) directory.Store { return s })
}

// newInstanceWrapping starts another instance whose auth service and
// directory use wrap(store), a wrapper around the real store.
func (e *env) newInstanceWrapping(wrap func(directory.Store) directory.Store) *instance {
	t := e.t
	t.Helper()
	ctx := context.Background()
	st := wrap(openStore(t, e.path))
	dir := directory.NewService(st, directory.NewHasher(directory.Argon2Params{MemoryKiB: 64, Time: 1, Threads: 1}))
	a, err := auth.New(ctx, st, dir, e.cfg)
	if err != nil {
		t.Fatalf("auth.New: %v", err)
	}
	t.Cleanup(a.Close)
	mux := http.NewServeMux()
	mux.Handle("/oauth2/token", a.TokenHandler())
	mux.HandleFunc("POST /insight/token", a.ServeInsightToken) // BeyondInsight's Auth/connect/token
	mux.Handle("/whoami", whoami(a))
	srv := httptest.NewServer(httpx.ClientAddress(testProxy, mux))
	t.Cleanup(srv.Close)
	return &instance{store: st, dir: dir, auth: a, srv: srv, logs: e.logs}
}

// whoami is the smallest protected resource: it authenticates and reports
// the principal, rendering failures as a face would.
func whoami(a *auth.Service) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p, rs, err := a.Authenticate(r)
		if rs.Limit > 0 {
			w.Header().Set("X-RateLimit-Limit", strconv.Itoa(rs.Limit))
			w.Header().Set("X-RateLimit-Remaining", strconv.Itoa(rs.Remaining))
		}
		w.Header().Set("Content-Type", "application/json")
		switch {
		case errors.Is(err, auth.ErrUnauthenticated):
			w.WriteHeader(http.StatusUnauthorized)
			io.WriteString(w, `{"error":"access_denied","message":"The resource owner or authorization server denied the request."}`)
			return
		case errors.Is(err, auth.ErrRateLimited):
			w.Header().Set("Retry-After", strconv.Itoa(int(rs.RetryAfter.Seconds()+0.999)))
			w.WriteHeader(http.StatusTooManyRequests)
			return
		case err != nil:
			w.WriteHeader(http.StatusInternalServerError)
			return
		}
		json.NewEncoder(w).Encode(map[string]any{"account_id": p.AccountID, "name": p.Name, "scope": p.Scope})
	})
}

// account creates an API account and returns it with its secret.
func (i *instance) account(t testing.TB, in directory.NewAPIAccount) (directory.APIAccount, string) {
	t.Helper()
	if in.Name == "" {
		in.Name = "ci-" + strconv.FormatInt(time.Now().UnixNano(), 36)
	}
	if in.Perms == (directory.Permissions{}) {
		in.Perms = directory.FullPermissions()
	}
	ctx := directory.WithActor(context.Background(), directory.Actor{Kind: directory.ActorCLI})
	a, secret, err := i.dir.CreateAPIAccount(ctx, in)
	if err != nil {
		t.Fatalf("CreateAPIAccount: %v", err)
	}
	i.logs.secret(secret)
	i.logs.secret(base64.StdEncoding.EncodeToString(a.SecretHash))
	i.logs.secret(hex.EncodeToString(a.SecretHash))
	return a, secret
}

// tokenResult is a decoded token endpoint response.
type tokenResult struct {
	status int
	header http.Header
	body   map[string]any
}

func (r tokenResult) token() string { s, _ := r.body["access_token"].(string); return s }
func (r tokenResult) errCode() string {
	s, _ := r.body["error"].(string)
	return s
}

// post sends a request to the token endpoint.
func (i *instance) post(t *testing.T, method, contentType, body string, hdr http.Header) tokenResult {
	t.Helper()
	return i.send(t, method, "/oauth2/token", contentType, body, hdr)
}

// postTo sends a form to a token endpoint.
func (i *instance) postTo(t *testing.T, path, form string, hdr http.Header) tokenResult {
	t.Helper()
	return i.send(t, http.MethodPost, path, "application/x-www-form-urlencoded", form, hdr)
}

func (i *instance) send(t *testing.T, method, path, contentType, body string, hdr http.Header) tokenResult {
	t.Helper()
	req, err := http.NewRequest(method, i.srv.URL+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	for k, v := range hdr {
		req.Header[k] = v
	}
	resp, err := i.srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	res := tokenResult{status: resp.StatusCode, header: resp.Header}
	b, _ := io.ReadAll(resp.Body)
	if len(b) > 0 {
		if err := json.Unmarshal(b, &res.body); err != nil {
			t.Fatalf("token endpoint body %q: %v", b, err)
		}
	}
	i.logs.secret(res.token())
	return res
}

// issue gets a token with form credentials, failing the test otherwise.
func (i *instance) issue(t *testing.T, clientID, secret string) string {
	t.Helper()
	res := i.requestToken(t, clientID, secret, "")
	if res.status != http.StatusOK {
		t.Fatalf("token request: %d %v", res.status, res.body)
	}
	return res.token()
}

func (i *instance) requestToken(t *testing.T, clientID, secret, scope string) tokenResult {
	t.Helper()
	form := url.Values{"grant_type": {"client_credentials"}, "client_id": {clientID}, "client_secret": {secret}}
	if scope != "" {
		form.Set("scope", scope)
	}
	return i.post(t, http.MethodPost, "application/x-www-form-urlencoded", form.Encode(), nil)
}

// requestTokenFrom requests a token as the client at source, which the
// instance's trusted proxy (the test client) names in X-Forwarded-For.
func (i *instance) requestTokenFrom(t *testing.T, source, clientID, secret string) tokenResult {
	t.Helper()
	form := url.Values{"grant_type": {"client_credentials"}, "client_id": {clientID}, "client_secret": {secret}}
	return i.post(t, http.MethodPost, "application/x-www-form-urlencoded", form.Encode(),
		http.Header{"X-Forwarded-For": {source}})
}

// get calls the protected resource with a bearer token.
func (i *instance) get(t *testing.T, token string) *http.Response {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, i.srv.URL+"/whoami", nil)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := i.srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp
}

// status is get's status code.
func (i *instance) status(t *testing.T, token string) int {
	t.Helper()
	return i.get(t, token).StatusCode
}

// eventually retries cond until it holds or within passes.
func eventually(t *testing.T, within time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(within)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("%s did not happen within %v", what, within)
		}
		time.Sleep(10 * time.Millisecond)
	}
}
