package server_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"os"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gatehouse/gatehouse/internal/directory"
	"github.com/gatehouse/gatehouse/internal/server"
	"github.com/gatehouse/gatehouse/internal/testserver"
)

// soakDuration is GATEHOUSE_SOAK (a duration, such as 5m), or the short
// form CI runs.
func soakDuration(t *testing.T) time.Duration {
	v := os.Getenv("GATEHOUSE_SOAK")
	if v == "" {
		return 20 * time.Second
	}
	d, err := time.ParseDuration(v)
	if err != nil || d < 5*time.Second {
		t.Fatalf("GATEHOUSE_SOAK=%q: want a duration of at least 5s", v)
	}
	return d
}

const (
	soakWorkers  = 6
	soakTokenTTL = 2 * time.Second
)

// Mixed load over every face (reads and writes on PRA, public v3, SCIM and
// BeyondInsight, token issuance on both token endpoints) with tokens that
// expire every two seconds and the account's secret rotated twice mid-run:
// no answer is a 5xx (or any status the load does not expect), and neither
// goroutines nor the heap in use after GC grow between the end of the
// warm-up and the end of the run. Loopback only.
func TestSoak(t *testing.T) {
	d := soakDuration(t)
	// The server's errors go to the test log: a 5xx's cause is there.
	logs := slog.New(slog.NewTextHandler(testWriter{t}, &slog.HandlerOptions{Level: slog.LevelError}))
	s := testserver.New(t, testserver.WithLogger(logs), func(c *server.Config) {
		c.Auth.TokenTTL = soakTokenTTL
		// Workers still holding the old secret for a moment after a
		// rotation must not lock the account out; lock-outs have tests of
		// their own.
		c.Auth.LockoutAttempts = 1 << 20
	})
	clientID, secret := s.NewAccount(t, "soak", directory.FullPermissions())
	acct, err := s.Store().APIAccountByClientID(context.Background(), clientID)
	if err != nil {
		t.Fatal(err)
	}
	l := &soakLoad{t: t, base: s.URL, clientID: clientID,
		client: &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: 2 * soakWorkers}}}
	l.secret.Store(&secret)

	warm := d / 5
	l.run(warm, nil)
	g0, h0 := settle(l.client)
	t.Logf("after %v of warm-up: %d goroutines, %.1f MiB heap in use", warm, g0, mib(h0))
	rest := d - warm
	l.run(rest, func() {
		for i := 1; i <= 2; i++ {
			time.Sleep(rest / 3)
			_, fresh, err := s.Service().RotateSecret(context.Background(), acct.ID)
			if err != nil {
				t.Errorf("rotating the secret: %v", err)
				return
			}
			l.secret.Store(&fresh)
			l.rotations.Add(1)
		}
	})
	g1, h1 := settle(l.client)
	t.Logf("after %v: %d goroutines, %.1f MiB heap in use", d, g1, mib(h1))
	t.Logf("%d requests (%d tokens issued, %d expired or revoked tokens renewed, %d secret rotations), statuses %v",
		l.requests.Load(), l.tokens.Load(), l.renewals.Load(), l.rotations.Load(), l.statusCounts())
	if g1 > g0+5 {
		t.Errorf("goroutines grew from %d to %d", g0, g1)
	}
	if limit := h0 + max(h0/2, 4<<20); h1 > limit {
		t.Errorf("heap in use after GC grew from %.1f MiB to %.1f MiB (more than %.1f MiB)", mib(h0), mib(h1), mib(limit))
	}
	if l.renewals.Load() == 0 || l.rotations.Load() != 2 {
		t.Errorf("the run saw %d token renewals and %d rotations: it did not test expiry and rotation",
			l.renewals.Load(), l.rotations.Load())
	}
}

func mib(b uint64) float64 { return float64(b) / (1 << 20) }

// settle closes idle connections, waits for the goroutines of both ends
// to finish, and returns the goroutine count and the heap in use after GC.
func settle(c *http.Client) (int, uint64) {
	c.CloseIdleConnections()
	n := runtime.NumGoroutine()
	for range 50 {
		time.Sleep(20 * time.Millisecond)
		m := runtime.NumGoroutine()
		if m == n {
			break
		}
		n = m
	}
	runtime.GC()
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return runtime.NumGoroutine(), ms.HeapInuse
}

type soakLoad struct {
	t        *testing.T
	base     string
	clientID string
	secret   atomic.Pointer[string]
	client   *http.Client

	requests, tokens, renewals, rotations atomic.Int64
	mu                                    sync.Mutex
	statuses                              map[int]int
	failures                              int
	workers                               []*soakWorker // kept from run to run
}

func (l *soakLoad) statusCounts() map[int]int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.statuses
}

// run runs the workers for d, and during with them.
func (l *soakLoad) run(d time.Duration, during func()) {
	deadline := time.Now().Add(d)
	for len(l.workers) < soakWorkers {
		l.workers = append(l.workers, &soakWorker{l: l, id: len(l.workers)})
	}
	var wg sync.WaitGroup
	for _, w := range l.workers {
		wg.Go(func() { w.loop(deadline) })
	}
	if during != nil {
		wg.Go(during)
	}
	wg.Wait()
}

type soakWorker struct {
	l     *soakLoad
	id, i int
	tok   string
	users []string // ids of users this worker created and has not deleted
}

func (w *soakWorker) loop(deadline time.Time) {
	for time.Now().Before(deadline) && !w.l.t.Failed() {
		w.i++
		name := fmt.Sprintf("soak-%d-%d", w.id, w.i)
		switch w.i % 12 {
		// Token issuance on both endpoints, under load; the worker keeps
		// the token it has until that expires.
		case 0:
			w.issue("/oauth2/token")
		case 6:
			w.issue("/BeyondTrust/api/public/v3/Auth/connect/token")
		case 1, 7:
			body := w.call("POST", "/api/config/v1/user", `{"username":"`+name+`","public_display_name":"Soak"}`, 201)
			var u struct{ ID int64 }
			if json.Unmarshal(body, &u) == nil && u.ID != 0 {
				w.users = append(w.users, strconv.FormatInt(u.ID, 10))
			}
		case 2:
			if len(w.users) > 0 {
				w.call("PATCH", "/api/config/v1/user/"+w.users[len(w.users)-1], `{"public_display_name":"Soak `+name+`"}`, 200)
			}
		case 3:
			w.call("GET", "/api/config/v1/user?per_page=20", "", 200)
		case 4:
			w.call("GET", "/api/public/v3/users?limit=20", "", 200)
		case 5:
			if len(w.users) >= 2 {
				u := w.users[len(w.users)-2:]
				w.call("POST", "/scim/v2/Groups", `{"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"],"displayName":"`+
					name+`","members":[{"value":"`+u[0]+`"},{"value":"`+u[1]+`"}]}`, 201)
			}
		case 8:
			w.call("GET", "/scim/v2/Users?filter="+url.QueryEscape(`userName eq "`+name+`"`), "", 200)
		case 9:
			w.call("GET", "/BeyondTrust/api/public/v3/Users", "", 200)
		case 10:
			w.call("GET", "/BeyondTrust/api/public/v3/UserGroups", "", 200)
		case 11:
			// Keep the directory from growing without end: the oldest
			// user this worker made goes.
			if len(w.users) > 20 {
				w.call("DELETE", "/api/config/v1/user/"+w.users[0], "", 204)
				w.users = w.users[1:]
			}
		}
	}
}

// issue issues a token at path, with the secret as of now: a request made
// with a secret rotated a moment before is refused and made again.
func (w *soakWorker) issue(path string) string {
	for attempt := 1; ; attempt++ {
		secret := *w.l.secret.Load()
		form := url.Values{"grant_type": {"client_credentials"}, "client_id": {w.l.clientID}, "client_secret": {secret}}
		status, body := w.do("POST", path, form.Encode(), "application/x-www-form-urlencoded", "")
		if status == http.StatusOK {
			var tok struct {
				AccessToken string `json:"access_token"`
			}
			json.Unmarshal(body, &tok)
			w.l.tokens.Add(1)
			return tok.AccessToken
		}
		if status == http.StatusUnauthorized || status == http.StatusBadRequest {
			if secret != *w.l.secret.Load() && attempt < 5 {
				continue // rotated meanwhile
			}
		}
		w.fail("POST %s: %d %s", path, status, body)
		return ""
	}
}

// call makes an API request, renewing the token when it has expired or
// been revoked by a rotation, and fails the test on any other status
// than want.
func (w *soakWorker) call(method, path, body string, want int) []byte {
	if w.tok == "" {
		w.tok = w.issue("/oauth2/token")
	}
	status, resp := w.do(method, path, body, "application/json", w.tok)
	// A token issued in the moment a rotation takes to reach every cache
	// is revoked with the old secret's; the next one is not.
	for renewed := 0; status == http.StatusUnauthorized && renewed < 3; renewed++ {
		time.Sleep(time.Duration(renewed) * 100 * time.Millisecond)
		w.l.renewals.Add(1)
		w.tok = w.issue("/oauth2/token")
		status, resp = w.do(method, path, body, "application/json", w.tok)
	}
	if status != want {
		w.fail("%s %s: %d %s, want %d", method, path, status, resp, want)
	}
	return resp
}

func (w *soakWorker) do(method, path, body, contentType, tok string) (int, []byte) {
	w.l.requests.Add(1)
	req, err := http.NewRequest(method, w.l.base+path, strings.NewReader(body))
	if err != nil {
		w.l.t.Fatal(err)
	}
	if body != "" {
		req.Header.Set("Content-Type", contentType)
	}
	if tok != "" {
		req.Header.Set("Authorization", "Bearer "+tok)
	}
	resp, err := w.l.client.Do(req)
	if err != nil {
		w.fail("%s %s: %v", method, path, err)
		return 0, nil
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	w.l.mu.Lock()
	if w.l.statuses == nil {
		w.l.statuses = map[int]int{}
	}
	w.l.statuses[resp.StatusCode]++
	w.l.mu.Unlock()
	return resp.StatusCode, b
}

// fail reports a failure, the first few in full.
func (w *soakWorker) fail(format string, args ...any) {
	w.l.mu.Lock()
	defer w.l.mu.Unlock()
	w.l.failures++
	if w.l.failures <= 10 {
		w.l.t.Errorf(format, args...)
	}
}

// testWriter writes to the test log.
type testWriter struct{ t *testing.T }

func (w testWriter) Write(b []byte) (int, error) {
	w.t.Log(strings.TrimSpace(string(b)))
	return len(b), nil
}
