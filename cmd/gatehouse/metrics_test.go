package main

import (
	"io"
	"net"
	"net/http"
	"os/exec"
	"strings"
	"testing"
)

// freeAddr returns a loopback address nothing listens on (for a moment).
func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

func get(t *testing.T, u string) (int, string) {
	t.Helper()
	resp, err := client().Get(u)
	if err != nil {
		t.Fatalf("GET %s: %v", u, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func TestMetricsOnTheAPIListenerByDefault(t *testing.T) {
	p := start(t, dsnFor(t))
	code, body := get(t, p.url+"/metrics")
	if code != http.StatusOK || !strings.Contains(body, "gatehouse_build_info{") {
		t.Fatalf("GET /metrics: %d\n%.500s", code, body)
	}
}

func TestMetricsAddrMovesMetricsOffTheAPI(t *testing.T) {
	addr := freeAddr(t)
	p := start(t, dsnFor(t), "--metrics-addr", addr)
	if code, _ := get(t, p.url+"/metrics"); code != http.StatusNotFound {
		t.Errorf("GET /metrics on the API's listener: %d, want 404", code)
	}
	code, body := get(t, "http://"+addr+"/metrics")
	if code != http.StatusOK {
		t.Fatalf("GET /metrics on --metrics-addr: %d %s", code, body)
	}
	// The API's 404 just now is there, and the build.
	for _, want := range []string{
		`gatehouse_http_requests_total{code="404",face="other",method="GET",route="unmatched"} 1`,
		`gatehouse_build_info{goversion="go`,
		`gatehouse_db_connections{pool="`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("no %s in\n%.2000s", want, body)
		}
	}
	if code, _ := get(t, "http://"+addr+"/api/config/v1/user"); code != http.StatusNotFound {
		t.Errorf("the metrics listener serves the API: %d", code)
	}
}

func TestMetricsAddrOff(t *testing.T) {
	p := start(t, dsnFor(t), "--metrics-addr", "off")
	if code, _ := get(t, p.url+"/metrics"); code != http.StatusNotFound {
		t.Errorf("GET /metrics with --metrics-addr off: %d, want 404", code)
	}
}

func TestMetricsAddrMistakes(t *testing.T) {
	for _, addr := range []string{"9090", "no-port", "on"} {
		out, err := gatehouse(t, "serve", "--db", dsnFor(t), "--metrics-addr", addr)
		var exit *exec.ExitError
		if !asExit(err, &exit) || exit.ExitCode() != 2 || !strings.Contains(out, "--metrics-addr") {
			t.Errorf("serve --metrics-addr %q: %v, want exit status 2 naming the flag\n%s", addr, err, out)
		}
	}
}
