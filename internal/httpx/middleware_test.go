package httpx

import (
	"bytes"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestRequestID(t *testing.T) {
	var seen string
	h := RequestID(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { seen = RequestIDFrom(r.Context()) }))
	for _, tc := range []struct {
		incoming string
		keep     bool
	}{
		{"abc-123_x.y:z/1", true},
		{"", false},
		{"has space", false},
		{"new\nline", false},
		{strings.Repeat("a", 129), false},
	} {
		r := httptest.NewRequest(http.MethodGet, "/", nil)
		if tc.incoming != "" {
			r.Header["X-Request-Id"] = []string{tc.incoming}
		}
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		got := w.Header().Get("X-Request-ID")
		if got != seen || got == "" || (got == tc.incoming) != tc.keep {
			t.Errorf("incoming %q: echoed %q, context %q, keep %v", tc.incoming, got, seen, tc.keep)
		}
	}
}

// logLines runs one request through RequestID and AccessLog and returns the
// JSON log records.
func logLines(t *testing.T, h http.Handler, r *http.Request) []map[string]any {
	t.Helper()
	var buf bytes.Buffer
	log := slog.New(slog.NewJSONHandler(&buf, nil))
	RequestID(AccessLog(log, h)).ServeHTTP(httptest.NewRecorder(), r)
	var out []map[string]any
	for _, line := range bytes.Split(bytes.TrimSpace(buf.Bytes()), []byte("\n")) {
		var m map[string]any
		if err := json.Unmarshal(line, &m); err != nil {
			t.Fatalf("log line %q: %v", line, err)
		}
		out = append(out, m)
	}
	return out
}

func TestAccessLog(t *testing.T) {
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		SetPrincipal(r.Context(), "api_account:3 (ci)")
		w.WriteHeader(http.StatusCreated)
		_, _ = io.WriteString(w, "hello")
	})
	r := httptest.NewRequest(http.MethodPost, "/api/config/v1/user?email_address=secret%40example.com&username=bob", strings.NewReader(`{"password":"hunter22"}`))
	r.Header.Set("Authorization", "Bearer tok3n")
	r.Header.Set("X-Request-ID", "req-1")
	lines := logLines(t, h, r)
	if len(lines) != 1 {
		t.Fatalf("%d log lines", len(lines))
	}
	l := lines[0]
	for k, want := range map[string]any{"method": "POST", "path": "/api/config/v1/user", "query": "email_address,username",
		"status": 201.0, "bytes": 5.0, "request_id": "req-1", "principal": "api_account:3 (ci)"} {
		if l[k] != want {
			t.Errorf("%s = %v, want %v", k, l[k], want)
		}
	}
	if _, ok := l["duration"]; !ok {
		t.Error("no duration")
	}
	raw, _ := json.Marshal(l)
	for _, secret := range []string{"tok3n", "hunter22", "secret", "bob"} {
		if bytes.Contains(raw, []byte(secret)) {
			t.Errorf("log line contains %q: %s", secret, raw)
		}
	}
}

func TestRecover(t *testing.T) {
	var buf bytes.Buffer
	log := slog.New(slog.NewJSONHandler(&buf, nil))
	internal := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusInternalServerError)
		_, _ = io.WriteString(w, `{"message":"internal"}`)
	})
	panicky := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Location", "/half-made")
		panic("secret internals")
	})
	w := httptest.NewRecorder()
	r := httptest.NewRequest(http.MethodGet, "/boom", nil)
	r.Header.Set("X-Request-ID", "req-9")
	RequestID(Recover(log, internal, panicky)).ServeHTTP(w, r)
	if w.Code != 500 || w.Body.String() != `{"message":"internal"}` || w.Header().Get("Location") != "" || w.Header().Get("X-Request-ID") != "req-9" {
		t.Errorf("response %d %v %q", w.Code, w.Header(), w.Body)
	}
	if !strings.Contains(buf.String(), "secret internals") || !strings.Contains(buf.String(), "req-9") || !strings.Contains(buf.String(), "middleware_test.go") {
		t.Errorf("log lacks panic, request id or stack: %s", buf.String())
	}

	// A panic after the response began cannot change it, but is logged.
	buf.Reset()
	late := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusOK)
		panic("late")
	})
	w = httptest.NewRecorder()
	Recover(log, internal, late).ServeHTTP(w, httptest.NewRequest(http.MethodGet, "/", nil))
	if w.Code != 200 || w.Body.Len() != 0 || !strings.Contains(buf.String(), "late") {
		t.Errorf("late panic: %d %q, log %s", w.Code, w.Body, buf.String())
	}

	// The access log sees the 500 of a recovered panic.
	lines := logLines(t, Recover(log, internal, panicky), httptest.NewRequest(http.MethodGet, "/boom", nil))
	if len(lines) != 1 || lines[0]["status"] != 500.0 {
		t.Errorf("access log after panic: %v", lines)
	}
}
