package server_test

import (
	"bytes"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"net/url"
	"os"
	"slices"
	"strings"
	"testing"

	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"

	"github.com/gatehouse/gatehouse/internal/directory"
	"github.com/gatehouse/gatehouse/internal/server"
	"github.com/gatehouse/gatehouse/internal/store"
	"github.com/gatehouse/gatehouse/internal/testserver"
)

// scrape is one parsed GET /metrics.
type scrape map[string]*dto.MetricFamily

func scrapeMetrics(t *testing.T, s *testserver.Server) scrape {
	t.Helper()
	r := s.Do(t, http.MethodGet, "/metrics", "", "")
	if r.Status != http.StatusOK {
		t.Fatalf("GET /metrics: %d %s", r.Status, r.Body)
	}
	return parseMetrics(t, r.Header.Get("Content-Type"), r.Body)
}

func parseMetrics(t *testing.T, contentType string, body []byte) scrape {
	t.Helper()
	if !strings.HasPrefix(contentType, "text/plain") {
		t.Fatalf("Content-Type %q, want the Prometheus text format", contentType)
	}
	p := expfmt.NewTextParser(model.UTF8Validation)
	fams, err := p.TextToMetricFamilies(bytes.NewReader(body))
	if err != nil {
		t.Fatalf("parse /metrics: %v\n%s", err, body)
	}
	return fams
}

// value returns the value of the series of name with exactly labels
// (name, value pairs), and whether there is one. A histogram's value is
// its count.
func (sc scrape) value(name string, labels ...string) (float64, bool) {
	f := sc[name]
	if f == nil {
		return 0, false
	}
	want := map[string]string{}
	for i := 0; i+1 < len(labels); i += 2 {
		want[labels[i]] = labels[i+1]
	}
	for _, m := range f.GetMetric() {
		got := map[string]string{}
		for _, l := range m.GetLabel() {
			got[l.GetName()] = l.GetValue()
		}
		if fmt.Sprint(got) != fmt.Sprint(want) {
			continue
		}
		switch {
		case m.Counter != nil:
			return m.Counter.GetValue(), true
		case m.Gauge != nil:
			return m.Gauge.GetValue(), true
		case m.Histogram != nil:
			return float64(m.Histogram.GetSampleCount()), true
		}
	}
	return 0, false
}

// moved checks that the series went from before's value up by want.
func moved(t *testing.T, before, after scrape, want float64, name string, labels ...string) {
	t.Helper()
	b, _ := before.value(name, labels...)
	a, ok := after.value(name, labels...)
	if !ok {
		t.Errorf("%s%v: no such series; the family has %v", name, labels, after.labelSets(name))
		return
	}
	if a-b != want {
		t.Errorf("%s%v went from %v to %v, want up by %v", name, labels, b, a, want)
	}
}

func (sc scrape) labelSets(name string) []string {
	var out []string
	for _, m := range sc[name].GetMetric() {
		var ls []string
		for _, l := range m.GetLabel() {
			ls = append(ls, l.GetName()+"="+l.GetValue())
		}
		out = append(out, strings.Join(ls, ","))
	}
	return out
}

func TestMetricsCountRequestsByFaceRouteMethodAndCode(t *testing.T) {
	s := testserver.New(t)
	tok := s.AdminToken(t)
	before := scrapeMetrics(t, s)

	r := s.Do(t, http.MethodPost, "/api/config/v1/user", tok, `{"username":"metrics-user","public_display_name":"Metrics","password":"Password-1234567"}`,
		"Content-Type", "application/json")
	if r.Status != http.StatusCreated {
		t.Fatalf("create user: %d %s", r.Status, r.Body)
	}
	id := fmt.Sprint(r.Object(t)["id"])
	for range 2 {
		s.Do(t, http.MethodGet, "/api/config/v1/user/"+id, tok, "")
	}
	s.Do(t, http.MethodGet, "/api/config/v1/user/999999", tok, "")
	s.Do(t, http.MethodGet, "/BeyondTrust/api/public/v3/USERS/"+id, tok, "")
	s.Do(t, http.MethodGet, "/api/config/v1/no-such-thing", tok, "")
	s.Do(t, http.MethodGet, "/beyondtrust/API/public/v3/no-such-thing", tok, "")
	s.Do(t, http.MethodGet, "/no/such/path/424242", "", "")
	s.Do(t, "BREW", "/healthz", "", "")
	s.Do(t, http.MethodGet, "/console/signin", "", "")
	s.Do(t, http.MethodGet, "/api/admin/v1/events", tok, "")
	s.Do(t, http.MethodGet, "/healthz", "", "")
	after := scrapeMetrics(t, s)

	const reqs, dur = "gatehouse_http_requests_total", "gatehouse_http_request_duration_seconds"
	moved(t, before, after, 1, reqs, "face", "pra", "route", "/api/config/v1/user", "method", "POST", "code", "201")
	moved(t, before, after, 2, reqs, "face", "pra", "route", "/api/config/v1/user/{id}", "method", "GET", "code", "200")
	moved(t, before, after, 1, reqs, "face", "pra", "route", "/api/config/v1/user/{id}", "method", "GET", "code", "404")
	moved(t, before, after, 3, dur, "face", "pra", "route", "/api/config/v1/user/{id}", "method", "GET")
	// BeyondInsight matches in any case: its pattern, not the path as sent.
	moved(t, before, after, 1, reqs, "face", "insight", "route", "/BeyondTrust/api/public/v3/users/{id}", "method", "GET", "code", "200")
	// A face's 404 for a path it does not know, and a path no face owns.
	moved(t, before, after, 1, reqs, "face", "pra", "route", "/api/config/v1/", "method", "GET", "code", "404")
	moved(t, before, after, 1, reqs, "face", "insight", "route", "/BeyondTrust/api/public/v3/", "method", "GET", "code", "404")
	moved(t, before, after, 1, reqs, "face", "other", "route", "unmatched", "method", "GET", "code", "404")
	// A method outside HTTP's own is "other", so clients cannot mint
	// series; ServeMux matched no pattern for it.
	moved(t, before, after, 1, reqs, "face", "other", "route", "unmatched", "method", "other", "code", "405")
	moved(t, before, after, 1, reqs, "face", "other", "route", "/healthz", "method", "GET", "code", "200")
	// The console and the administrator API, each by its own patterns.
	moved(t, before, after, 1, reqs, "face", "console", "route", "/console/signin", "method", "GET", "code", "200")
	moved(t, before, after, 1, reqs, "face", "admin", "route", "/api/admin/v1/events", "method", "GET", "code", "200")
	// The token endpoint and the scrape itself are counted too.
	moved(t, before, after, 1, reqs, "face", "other", "route", "/metrics", "method", "GET", "code", "200")
	if v, _ := after.value(reqs, "face", "oauth", "route", "/oauth2/token", "method", "POST", "code", "200"); v < 1 {
		t.Errorf("the admin token's request was not counted: %v", after.labelSets(reqs))
	}
	moved(t, before, after, 0, "gatehouse_tokens_issued_total")

	for _, sets := range [][]string{after.labelSets(reqs), after.labelSets(dur)} {
		for _, ls := range sets {
			if strings.Contains(ls, "/user/"+id) || strings.Contains(ls, "/users/"+id) || strings.Contains(ls, "999999") ||
				strings.Contains(ls, "424242") || strings.Contains(ls, "USERS") || strings.Contains(ls, "BREW") ||
				strings.Contains(ls, "no-such-thing") {
				t.Errorf("a label carries what the client sent: %s", ls)
			}
		}
	}
}

func TestMetricsReportBuildRuntimeAndDatabase(t *testing.T) {
	s := testserver.New(t)
	sc := scrapeMetrics(t, s)
	for _, name := range []string{"go_goroutines", "go_memstats_heap_alloc_bytes", "process_resident_memory_bytes",
		"gatehouse_db_transaction_retries_total", "gatehouse_db_transaction_retries_exhausted_total",
		"gatehouse_tokens_issued_total", "gatehouse_lockouts_total", "gatehouse_sessions_started_total"} {
		if sc[name] == nil {
			t.Errorf("no %s", name)
		}
	}
	b := sc["gatehouse_build_info"]
	if b == nil || len(b.GetMetric()) != 1 || b.GetMetric()[0].GetGauge().GetValue() != 1 {
		t.Fatalf("gatehouse_build_info: %v", b)
	}
	labels := map[string]string{}
	for _, l := range b.GetMetric()[0].GetLabel() {
		labels[l.GetName()] = l.GetValue()
	}
	if labels["version"] == "" || !strings.HasPrefix(labels["goversion"], "go") {
		t.Errorf("gatehouse_build_info labels: %v", labels)
	}

	// The pools are the store's own: SQLite's reader pool and single
	// writer, or pgx's pool.
	pools := []string{"read", "write"}
	if os.Getenv("GATEHOUSE_TEST_STORE") == "postgres" {
		pools = []string{"pgx"}
	}
	for _, pool := range pools {
		for _, state := range []string{"in_use", "idle"} {
			if _, ok := sc.value("gatehouse_db_connections", "pool", pool, "state", state); !ok {
				t.Errorf("gatehouse_db_connections{pool=%q,state=%q} missing: %v", pool, state, sc.labelSets("gatehouse_db_connections"))
			}
		}
		max, _ := sc.value("gatehouse_db_connections_max", "pool", pool)
		if max < 1 {
			t.Errorf("gatehouse_db_connections_max{pool=%q} = %v", pool, max)
		}
		for _, name := range []string{"gatehouse_db_connection_waits_total", "gatehouse_db_connection_wait_seconds_total"} {
			if _, ok := sc.value(name, "pool", pool); !ok {
				t.Errorf("%s{pool=%q} missing", name, pool)
			}
		}
	}
	if got := slices.Sorted(func(yield func(string) bool) {
		for _, m := range sc["gatehouse_db_connections_max"].GetMetric() {
			if !yield(m.GetLabel()[0].GetValue()) {
				return
			}
		}
	}); !slices.Equal(got, pools) {
		t.Errorf("pools %v, want %v", got, pools)
	}
}

func TestMetricsCountSessions(t *testing.T) {
	s := testserver.New(t)
	tok := s.AdminToken(t)
	before := scrapeMetrics(t, s)
	if v, _ := before.value("gatehouse_sessions_active"); v != 0 {
		t.Fatalf("gatehouse_sessions_active = %v before any sign-in", v)
	}
	r := s.Do(t, http.MethodPost, "/BeyondTrust/api/public/v3/Auth/SignAppIn", tok, "")
	if r.Status != http.StatusOK {
		t.Fatalf("SignAppIn: %d %s", r.Status, r.Body)
	}
	after := scrapeMetrics(t, s)
	moved(t, before, after, 1, "gatehouse_sessions_started_total")
	moved(t, before, after, 1, "gatehouse_sessions_active")

	cookie := r.Header.Get("Set-Cookie")
	s.Do(t, http.MethodPost, "/BeyondTrust/api/public/v3/Auth/Signout", "", "", "Cookie", strings.Split(cookie, ";")[0])
	if v, _ := scrapeMetrics(t, s).value("gatehouse_sessions_active"); v != 0 {
		t.Errorf("gatehouse_sessions_active = %v after signing out", v)
	}
}

// refusalServer trusts the test client as a proxy, so that each case can
// come from an address of its own through X-Forwarded-For.
func refusalServer(t *testing.T) *testserver.Server {
	return testserver.New(t, testserver.WithRateLimit(1), func(c *server.Config) {
		c.TrustedProxies = []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8"), netip.MustParsePrefix("::1/128")}
		c.Auth.TokenRatePerSecond = 2 // a burst of 4
		c.Auth.LockoutAttempts = 2
	})
}

func tokenRequest(t *testing.T, s *testserver.Server, from, clientID, secret string) *testserver.Response {
	t.Helper()
	form := url.Values{"grant_type": {"client_credentials"}, "client_id": {clientID}, "client_secret": {secret}}.Encode()
	return s.Do(t, http.MethodPost, "/oauth2/token", "", form,
		"Content-Type", "application/x-www-form-urlencoded", "X-Forwarded-For", from)
}

func TestMetricsCountRefusalsLockoutsAndRateLimits(t *testing.T) {
	s := refusalServer(t)
	id, secret := s.NewAccount(t, "metrics-client", directory.Permissions{Configuration: directory.AccessReadOnly})
	before := scrapeMetrics(t, s)

	want := func(from, clientID, secret string, status int) *testserver.Response {
		t.Helper()
		r := tokenRequest(t, s, from, clientID, secret)
		if r.Status != status {
			t.Fatalf("token request from %s: %d %s, want %d", from, r.Status, r.Body, status)
		}
		return r
	}
	want("10.0.0.1", "no-such-client", "whatever", http.StatusUnauthorized)
	want("10.0.0.2", id, "wrong", http.StatusUnauthorized)
	want("10.0.0.2", id, "wrong", http.StatusUnauthorized) // the second locks 10.0.0.2 out
	want("10.0.0.2", id, secret, http.StatusUnauthorized)  // refused as locked out, right secret or not
	issued := 0
	for tokenRequest(t, s, "10.0.0.3", id, secret).Status == http.StatusOK {
		if issued++; issued > 10 {
			t.Fatal("ten token requests at once were all admitted at a limit of 2 per second")
		}
	}
	tok := want("10.0.0.4", id, secret, http.StatusOK).Object(t)["access_token"].(string)
	limited := 0
	for range 5 {
		if r := s.Do(t, http.MethodGet, "/api/config/v1/user", tok, "", "X-Forwarded-For", "10.0.0.4"); r.Status == http.StatusTooManyRequests {
			limited++
		}
	}
	if limited == 0 {
		t.Fatal("five requests at once were all admitted at a limit of 1 per second")
	}
	after := scrapeMetrics(t, s)

	const refused = "gatehouse_tokens_refused_total"
	moved(t, before, after, 1, refused, "reason", "unknown_client")
	moved(t, before, after, 2, refused, "reason", "wrong_secret")
	moved(t, before, after, 1, refused, "reason", "locked_out")
	moved(t, before, after, 1, refused, "reason", "rate_limited")
	moved(t, before, after, float64(issued+1), "gatehouse_tokens_issued_total")
	moved(t, before, after, 1, "gatehouse_lockouts_total")
	moved(t, before, after, 1, "gatehouse_rate_limited_total", "limit", "token_source")
	moved(t, before, after, float64(limited), "gatehouse_rate_limited_total", "limit", "account")
	moved(t, before, after, float64(limited), "gatehouse_http_requests_total",
		"face", "pra", "route", "/api/config/v1/user", "method", "GET", "code", "429")
	moved(t, before, after, 4, "gatehouse_http_requests_total",
		"face", "oauth", "route", "/oauth2/token", "method", "POST", "code", "401")
}

func TestMetricsCountDisabledRefusals(t *testing.T) {
	s := refusalServer(t)
	ctx := directory.WithActor(t.Context(), directory.Actor{Kind: directory.ActorCLI})
	off, offSecret := s.NewAccount(t, "metrics-disabled", directory.Permissions{})
	a, err := s.Service().APIAccountByClientID(ctx, off)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Service().SetAPIAccountEnabled(ctx, a.ID, false); err != nil {
		t.Fatal(err)
	}
	before := scrapeMetrics(t, s)
	if r := tokenRequest(t, s, "10.0.1.1", off, offSecret); r.Status != http.StatusUnauthorized {
		t.Fatalf("disabled account's token: %d %s", r.Status, r.Body)
	}
	after := scrapeMetrics(t, s)
	moved(t, before, after, 1, "gatehouse_tokens_refused_total", "reason", "disabled")
}

func TestMetricsApartFromTheAPI(t *testing.T) {
	st, err := store.Open(t.Context(), testserver.DSN(t))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	srv, err := server.New(t.Context(), st, server.Config{MetricsApart: true, Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	api := httptest.NewServer(srv.Handler())
	defer api.Close()
	if resp, err := http.Get(api.URL + "/metrics"); err != nil {
		t.Fatal(err)
	} else if resp.Body.Close(); resp.StatusCode != http.StatusNotFound {
		t.Errorf("GET /metrics on the API with metrics apart: %d, want 404", resp.StatusCode)
	}

	rec := httptest.NewRecorder()
	srv.MetricsHandler().ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/", nil))
	sc := parseMetrics(t, rec.Header().Get("Content-Type"), rec.Body.Bytes())
	if v, _ := sc.value("gatehouse_http_requests_total", "face", "other", "route", "unmatched", "method", "GET", "code", "404"); v != 1 {
		t.Errorf("the API's 404 for /metrics was not counted as unmatched: %v", sc.labelSets("gatehouse_http_requests_total"))
	}
}
