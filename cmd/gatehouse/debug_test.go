package main

import (
	"io"
	"log/slog"
	"net/http"
	"strings"
	"testing"
)

func TestDebugAddrServesProfilerOnLoopbackOnly(t *testing.T) {
	logs := &strings.Builder{}
	logger := slog.New(slog.NewTextHandler(logs, nil))
	for _, addr := range []string{"0.0.0.0:6060", ":6060", "192.0.2.1:6060", "example.com:6060", "6060"} {
		if _, err := serveDebug(addr, logger); err == nil || !strings.Contains(err.Error(), "--debug-addr") {
			t.Errorf("serveDebug(%q) = %v, want a --debug-addr usage error", addr, err)
		}
	}
	stop, err := serveDebug("127.0.0.1:0", logger)
	if err != nil {
		t.Fatal(err)
	}
	defer stop()
	_, url, ok := strings.Cut(logs.String(), "url=")
	if !ok {
		t.Fatalf("no url logged: %s", logs)
	}
	url = strings.TrimSpace(url)
	resp, err := http.Get(url + "cmdline")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || len(body) == 0 {
		t.Fatalf("GET %scmdline: %d %q", url, resp.StatusCode, body)
	}
}
