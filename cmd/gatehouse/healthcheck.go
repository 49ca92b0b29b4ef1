package main

import (
	"context"
	"crypto/tls"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"time"
)

// runHealthcheck asks a server on this host whether it is alive, for a
// container's HEALTHCHECK: the minimal image has no curl, so the binary
// checks itself. It reads the same --addr (GATEHOUSE_ADDR) as serve, so
// the image's environment points both at one port.
func runHealthcheck(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("healthcheck", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var addr string
	var useTLS bool
	var timeout time.Duration
	fs.StringVar(&addr, "addr", "127.0.0.1:8080", "the address serve listens on (env GATEHOUSE_ADDR); a wildcard host is asked on loopback")
	fs.BoolVar(&useTLS, "tls", false, "the server serves HTTPS; its certificate is not checked, since only liveness is asked (env GATEHOUSE_TLS)")
	fs.DurationVar(&timeout, "timeout", 3*time.Second, "how long to wait for the answer")
	if err := parse(fs, args); err != nil {
		return err
	}
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return usagef("--addr %q: %v", addr, err)
	}
	if ip := net.ParseIP(host); host == "" || ip != nil && ip.IsUnspecified() {
		host = "127.0.0.1"
	}
	scheme := "http"
	if useTLS {
		scheme = "https"
	}
	client := &http.Client{Timeout: timeout, Transport: &http.Transport{
		TLSClientConfig: &tls.Config{InsecureSkipVerify: true}, //nolint:gosec // liveness of our own process on loopback
	}}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, scheme+"://"+net.JoinHostPort(host, port)+"/healthz", nil)
	if err != nil {
		return err
	}
	resp, err := client.Do(req)
	if err != nil {
		return fmt.Errorf("not healthy: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("not healthy: %s", resp.Status)
	}
	fmt.Fprintln(stdout, "healthy")
	return nil
}
