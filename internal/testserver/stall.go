package testserver

import (
	"bytes"
	"context"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gatehouse/gatehouse/internal/directory"
)

// HoldWrite runs fn in a write transaction of the server's store and keeps
// that transaction open until release is called (or the test ends), so that
// a request touching what fn locked waits on the store as it would on a
// slow or busy database.
func (s *Server) HoldWrite(t testing.TB, fn func(directory.Tx) error) (release func()) {
	t.Helper()
	held, done, finished := make(chan error, 1), make(chan struct{}), make(chan error, 1)
	go func() {
		finished <- s.store.Write(context.Background(), func(tx directory.Tx) error {
			err := fn(tx)
			held <- err
			<-done
			return err
		})
	}()
	if err := <-held; err != nil {
		close(done)
		t.Fatalf("hold a write: %v", <-finished)
	}
	var once sync.Once
	release = func() {
		once.Do(func() {
			close(done)
			if err := <-finished; err != nil {
				t.Errorf("release a held write: %v", err)
			}
		})
	}
	t.Cleanup(release)
	return release
}

// LockUser holds a write that updated the user, so that another write to
// the user waits for release (see HoldWrite).
func (s *Server) LockUser(t testing.TB, id int64) (release func()) {
	t.Helper()
	return s.HoldWrite(t, func(tx directory.Tx) error {
		u, err := tx.User(context.Background(), id)
		if err != nil {
			return err
		}
		return tx.UpdateUser(context.Background(), &u)
	})
}

// ClientGoneLogged releases a held write once the server has had time to
// see that the client of a request waiting on it hung up, and checks the
// request's log: the access log records 499 and nothing is logged as an
// error. (A store may notice the canceled request only when the write it
// queued behind is released, as SQLite's single writer does.)
func ClientGoneLogged(t testing.TB, logs *Logs, release func(), method, path string) {
	t.Helper()
	time.Sleep(200 * time.Millisecond)
	release()
	logs.WaitFor(t, 10*time.Second, "msg=request", "method="+method, "path="+path, "status=499")
	if strings.Contains(logs.String(), "level=ERROR") {
		t.Errorf("a client that went away is logged as an error:\n%s", logs.String())
	}
}

// Abandon sends a request and hangs up after wait, as a client that gives
// up does; the test fails if an answer comes first.
func (s *Server) Abandon(t testing.TB, wait time.Duration, method, path, token, body string, header ...string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), wait)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, method, s.URL+path, strings.NewReader(body))
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	if resp, err := http.DefaultClient.Do(req); err == nil {
		resp.Body.Close()
		t.Fatalf("%s %s: answered %d before the client gave up", method, path, resp.StatusCode)
	}
}

// Logs collects a server's log lines, at every level, in slog's text
// format.
type Logs struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

// WithLogs sends the server's logs, debug level included, to l.
func WithLogs(l *Logs) Option {
	return WithLogger(slog.New(slog.NewTextHandler(l, &slog.HandlerOptions{Level: slog.LevelDebug})))
}

func (l *Logs) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.Write(p)
}

// String returns every line so far.
func (l *Logs) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.String()
}

// WaitFor waits up to timeout for a line holding every one of parts and
// returns it; the test fails if none comes.
func (l *Logs) WaitFor(t testing.TB, timeout time.Duration, parts ...string) string {
	t.Helper()
	for deadline := time.Now().Add(timeout); ; time.Sleep(20 * time.Millisecond) {
		for _, line := range strings.Split(l.String(), "\n") {
			if containsAll(line, parts) {
				return line
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("no log line with %q in %s:\n%s", parts, timeout, l.String())
			return ""
		}
	}
}

func containsAll(s string, parts []string) bool {
	for _, p := range parts {
		if !strings.Contains(s, p) {
			return false
		}
	}
	return true
}
