package server_test

import (
	"bytes"
	"context"
	"log/slog"
	"net/http"
	"net/netip"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/gatehouse/gatehouse/internal/directory"
	"github.com/gatehouse/gatehouse/internal/server"
	"github.com/gatehouse/gatehouse/internal/testserver"
)

// lockedBuffer is a log destination safe for the server's goroutines.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// An API account's IP allow list, on the token endpoint and on every
// request, judges the client behind --trusted-proxies, and the access log
// names it; from a peer that is not a trusted proxy, X-Forwarded-For is
// ignored however it is forged.
func TestAllowListBehindTrustedProxy(t *testing.T) {
	for _, trusted := range []bool{true, false} {
		var logs lockedBuffer
		opts := []testserver.Option{testserver.WithLogger(slog.New(slog.NewTextHandler(&logs, nil)))}
		if trusted {
			opts = append(opts, func(c *server.Config) {
				c.TrustedProxies = []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8")}
			})
		}
		s := testserver.New(t, opts...)
		ctx := directory.WithActor(context.Background(), directory.Actor{Kind: directory.ActorCLI})
		a, secret, err := s.Service().CreateAPIAccount(ctx, directory.NewAPIAccount{Name: "office",
			Perms: directory.FullPermissions(), IPAllow: []string{"198.51.100.0/24"}})
		if err != nil {
			t.Fatal(err)
		}
		form := url.Values{"grant_type": {"client_credentials"}, "client_id": {a.ClientID}, "client_secret": {secret}}.Encode()
		tokenFrom := func(xff string) *testserver.Response {
			return s.Do(t, http.MethodPost, "/oauth2/token", "", form,
				"Content-Type", "application/x-www-form-urlencoded", "X-Forwarded-For", xff)
		}
		resp := tokenFrom("198.51.100.7")
		if !trusted {
			if resp.Status != http.StatusUnauthorized {
				t.Errorf("forged X-Forwarded-For from an untrusted peer: %d %s, want 401", resp.Status, resp.Body)
			}
			if strings.Contains(logs.String(), "client=198.51.100.7") {
				t.Error("the access log believed a forged X-Forwarded-For")
			}
			continue
		}
		if resp.Status != http.StatusOK {
			t.Fatalf("token for an allowed client behind the proxy: %d %s", resp.Status, resp.Body)
		}
		if r := tokenFrom("203.0.113.9"); r.Status != http.StatusUnauthorized {
			t.Errorf("token for a client outside the list: %d", r.Status)
		}
		tok := resp.Object(t)["access_token"].(string)
		for xff, want := range map[string]int{"198.51.100.7": 200, "203.0.113.9": 401, "198.51.100.7, 203.0.113.9": 401, "garbage": 401} {
			if r := s.Do(t, http.MethodGet, "/api/config/v1/user", tok, "", "X-Forwarded-For", xff); r.Status != want {
				t.Errorf("GET with X-Forwarded-For %q: %d, want %d", xff, r.Status, want)
			}
		}
		if !strings.Contains(logs.String(), "client=198.51.100.7") {
			t.Errorf("the access log does not name the client:\n%s", logs.String())
		}
	}
}
