package httpx

import (
	"bytes"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"testing"
)

// echoClient serves ClientAddr behind ClientAddress over a real listener,
// which the test client reaches from 127.0.0.1.
func echoClient(t *testing.T, trusted string) *httptest.Server {
	t.Helper()
	proxies, err := ParseTrustedProxies(trusted)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(ClientAddress(proxies, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, ClientAddr(r).String())
	})))
	t.Cleanup(srv.Close)
	return srv
}

func clientSeen(t *testing.T, srv *httptest.Server, xff ...string) string {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, srv.URL, nil)
	for _, v := range xff {
		req.Header.Add("X-Forwarded-For", v)
	}
	resp, err := srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return string(b)
}

// A forged X-Forwarded-For from a peer that is not a trusted proxy is
// ignored: the socket peer is the client.
func TestClientAddressIgnoresUntrustedPeer(t *testing.T) {
	for _, trusted := range []string{"", "10.0.0.0/8, 192.0.2.1"} {
		srv := echoClient(t, trusted)
		for _, xff := range [][]string{nil, {"198.51.100.7"}, {"10.0.0.1, 198.51.100.7"}, {"garbage"}} {
			if got := clientSeen(t, srv, xff...); got != "127.0.0.1" {
				t.Errorf("trusted %q, X-Forwarded-For %q: client %s, want the peer 127.0.0.1", trusted, xff, got)
			}
		}
	}
}

// Behind a trusted proxy the header is walked from the right, trusted hops
// skipped, and the first untrusted address is the client; a malformed
// header leaves the peer as the client.
func TestClientAddressBehindTrustedProxy(t *testing.T) {
	srv := echoClient(t, "127.0.0.0/8,10.0.0.0/8, 2001:db8:ff::/48")
	for _, tc := range []struct {
		xff  []string
		want string
	}{
		{nil, "127.0.0.1"},
		{[]string{"198.51.100.7"}, "198.51.100.7"},
		{[]string{" 198.51.100.7 "}, "198.51.100.7"},
		{[]string{"203.0.113.1, 198.51.100.7"}, "198.51.100.7"},           // the client's own claim is left of the real one
		{[]string{"203.0.113.1, 198.51.100.7, 10.1.1.1"}, "198.51.100.7"}, // an inner trusted hop is skipped
		{[]string{"203.0.113.1", "198.51.100.7, 10.1.1.1"}, "198.51.100.7"},
		{[]string{"198.51.100.7", "10.1.1.1"}, "198.51.100.7"},
		{[]string{"10.2.2.2, 10.1.1.1"}, "10.2.2.2"}, // every hop trusted: the leftmost
		{[]string{"2001:db8::1"}, "2001:db8::1"},
		{[]string{"2001:db8::1, 2001:db8:ff::5"}, "2001:db8::1"},
		{[]string{"::ffff:198.51.100.7"}, "198.51.100.7"},
		{[]string{"198.51.100.7:4711"}, "198.51.100.7"},
		{[]string{"[2001:db8::1]:4711"}, "2001:db8::1"},
		{[]string{"unknown"}, "127.0.0.1"},
		{[]string{"198.51.100.7, not-an-ip"}, "127.0.0.1"},
		{[]string{"198.51.100.7,"}, "127.0.0.1"},
		{[]string{""}, "127.0.0.1"},
		{[]string{"fe80::1%eth0"}, "127.0.0.1"},
		{[]string{"198.51.100.7/32"}, "127.0.0.1"},
	} {
		if got := clientSeen(t, srv, tc.xff...); got != tc.want {
			t.Errorf("X-Forwarded-For %q: client %s, want %s", tc.xff, got, tc.want)
		}
	}
}

// Outside the middleware, the client is the socket peer.
func TestClientAddrWithoutMiddleware(t *testing.T) {
	for remote, want := range map[string]string{
		"198.51.100.7:5000":          "198.51.100.7",
		"[::ffff:198.51.100.7]:5000": "198.51.100.7",
		"[2001:db8::1]:443":          "2001:db8::1",
		"not an address":             "invalid IP",
	} {
		r := httptest.NewRequest(http.MethodGet, "/", nil)
		r.RemoteAddr = remote
		r.Header.Set("X-Forwarded-For", "203.0.113.1")
		if got := ClientAddr(r).String(); got != want {
			t.Errorf("RemoteAddr %q: %s, want %s", remote, got, want)
		}
	}
}

// The access log names the client as resolved, not the proxy.
func TestAccessLogNamesClient(t *testing.T) {
	var buf bytes.Buffer
	log := slog.New(slog.NewTextHandler(&buf, nil))
	trusted := []netip.Prefix{netip.MustParsePrefix("192.0.2.0/24")}
	h := RequestID(ClientAddress(trusted, AccessLog(log, http.HandlerFunc(func(http.ResponseWriter, *http.Request) {}))))
	r := httptest.NewRequest(http.MethodGet, "/", nil)
	r.RemoteAddr = "192.0.2.10:1234"
	r.Header.Set("X-Forwarded-For", "198.51.100.7")
	h.ServeHTTP(httptest.NewRecorder(), r)
	if !strings.Contains(buf.String(), "client=198.51.100.7") {
		t.Errorf("access log %q does not name the client", buf.String())
	}
}

func TestParseTrustedProxies(t *testing.T) {
	got, err := ParseTrustedProxies(" 10.0.0.0/8, 192.0.2.1 ,2001:db8::/32,::ffff:172.16.0.0/108,,10.1.2.3/8")
	if err != nil {
		t.Fatal(err)
	}
	want := []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8"), netip.MustParsePrefix("192.0.2.1/32"),
		netip.MustParsePrefix("2001:db8::/32"), netip.MustParsePrefix("172.16.0.0/12"), netip.MustParsePrefix("10.0.0.0/8")}
	if len(got) != len(want) {
		t.Fatalf("got %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("entry %d: %v, want %v", i, got[i], want[i])
		}
	}
	if got, err := ParseTrustedProxies(""); err != nil || len(got) != 0 {
		t.Errorf("empty list: %v %v", got, err)
	}
	for _, bad := range []string{"10.0.0.0/33", "lb.internal", "10.0.0.0/8;", "fe80::1%eth0", "::ffff:0:0/80", "10.0.0.0/8, nope"} {
		if _, err := ParseTrustedProxies(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}
