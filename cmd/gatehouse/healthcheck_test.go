package main

import (
	"net/url"
	"os/exec"
	"strings"
	"syscall"
	"testing"
)

// The container's health check: healthy against a running server found
// through the same address serve was given, a wildcard host asked on
// loopback; exit 1 where nothing answers.
func TestHealthcheck(t *testing.T) {
	p := start(t, "memory")
	u, err := url.Parse(p.url)
	if err != nil {
		t.Fatal(err)
	}
	wildcard := "0.0.0.0:" + u.Port()
	if out, err := gatehouse(t, "healthcheck", "--addr", wildcard); err != nil || !strings.Contains(out, "healthy") {
		t.Fatalf("healthcheck --addr %s: %v\n%s", wildcard, err, out)
	}
	cmd := exec.Command(binary, "healthcheck")
	cmd.Env = append(cmd.Environ(), "GATEHOUSE_ADDR="+u.Host)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("healthcheck with GATEHOUSE_ADDR: %v\n%s", err, out)
	}
	p.stop(t, syscall.SIGTERM)
	out, err := gatehouse(t, "healthcheck", "--addr", u.Host, "--timeout", "1s")
	var exit *exec.ExitError
	if err == nil || !asExit(err, &exit) || exit.ExitCode() != 1 || !strings.Contains(out, "not healthy") {
		t.Fatalf("healthcheck of a stopped server: %v, want exit status 1\n%s", err, out)
	}
}
