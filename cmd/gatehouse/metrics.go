package main

import (
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"
)

// metricsOff is the --metrics-addr value that serves /metrics nowhere.
const metricsOff = "off"

// checkMetricsAddr accepts --metrics-addr's values: empty (/metrics on
// the API's listener), off, or an address to listen on.
func checkMetricsAddr(addr string) error {
	if addr == "" || addr == metricsOff {
		return nil
	}
	if _, _, err := net.SplitHostPort(addr); err != nil {
		return usagef("--metrics-addr %q: want host:port, or off", addr)
	}
	return nil
}

// serveMetrics serves /metrics on a listener of its own when addr names
// one, so that the scrape port can be firewalled apart from the API's.
// Unlike the profiler it may listen on any address: metrics carry counts,
// never request data.
func serveMetrics(addr string, h http.Handler, logger *slog.Logger) (stop func(), err error) {
	if addr == "" || addr == metricsOff {
		return func() {}, nil
	}
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", h)
	return listenAside("metrics", addr, "/metrics", mux, logger)
}

// listenAside serves h on addr, apart from the API, until stop; what
// names the listener in its errors and log lines, and path is the one to
// log with its URL.
func listenAside(what, addr, path string, h http.Handler, logger *slog.Logger) (stop func(), err error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("%s listener: %w", what, err)
	}
	hs := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second, ErrorLog: slog.NewLogLogger(logger.Handler(), slog.LevelWarn)}
	go func() {
		if err := hs.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			logger.Error(what+" listener", "err", err)
		}
	}()
	logger.Info(what+" listening", "url", "http://"+ln.Addr().String()+path)
	return func() { hs.Close() }, nil
}
