package main

import (
	"context"
	"crypto/tls"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"os"
	"path/filepath"
	"time"

	"github.com/gatehouse/gatehouse/internal/auth"
	"github.com/gatehouse/gatehouse/internal/httpx"
	"github.com/gatehouse/gatehouse/internal/server"
	"github.com/gatehouse/gatehouse/internal/store"
	"github.com/gatehouse/gatehouse/internal/store/sqlite"
)

type serveFlags struct {
	addr, db, publicURL             string
	tlsCert, tlsKey                 string
	tlsSelfSigned                   bool
	rateLimit                       int
	tokenRateLimit, lockoutAttempts int
	lockoutDuration                 time.Duration
	trustedProxies                  string
	proxies                         []netip.Prefix // trustedProxies parsed
	logFormat, logLevel             string
	shutdownTimeout                 time.Duration
	bootstrapClientID, bootstrapKey string
	debugAddr                       string
	metricsAddr                     string
	signingKeyFile                  string
	maxBody                         int64
	readTimeout                     time.Duration
	strict                          bool
	fixtures                        string
	auditForward                    string
}

func runServe(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var f serveFlags
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = groupedUsage(fs, stderr)
	fs.StringVar(&f.addr, "addr", "127.0.0.1:8080", "listen address")
	dbFlag(fs, &f.db)
	fs.StringVar(&f.publicURL, "public-url", "", "absolute base URL clients use, for Link and Location headers (default: from each request)")
	fs.StringVar(&f.tlsCert, "tls-cert", "", "serve HTTPS with this PEM certificate (with --tls-key)")
	fs.StringVar(&f.tlsKey, "tls-key", "", "PEM private key for --tls-cert")
	fs.BoolVar(&f.tlsSelfSigned, "tls-self-signed", false, "serve HTTPS with a self-signed certificate kept beside a SQLite database")
	fs.IntVar(&f.rateLimit, "rate-limit", 20, "requests per second per API account (and 15,000 per hour); 0 disables rate limiting")
	fs.IntVar(&f.tokenRateLimit, "token-rate-limit", auth.DefaultTokenRatePerSecond, "token requests per second per client address, on each instance (burst twice that); 0 disables the limit")
	fs.IntVar(&f.lockoutAttempts, "lockout-attempts", auth.DefaultLockoutAttempts, "consecutive wrong secrets for an API account from one client address that lock that address out")
	fs.DurationVar(&f.lockoutDuration, "lockout-duration", auth.DefaultLockoutDuration, "how long an address stays locked out of an API account")
	fs.StringVar(&f.trustedProxies, "trusted-proxies", "", "comma-separated CIDRs of load balancers whose X-Forwarded-For names the client (default none: the connection's peer is the client)")
	fs.StringVar(&f.logFormat, "log-format", "text", "log format: text or json")
	fs.StringVar(&f.logLevel, "log-level", "info", "log level: debug, info, warn or error")
	fs.DurationVar(&f.shutdownTimeout, "shutdown-timeout", 30*time.Second, "how long in-flight requests may take to finish on SIGTERM/SIGINT")
	fs.StringVar(&f.bootstrapClientID, "bootstrap-client-id", "", "fix the bootstrap API account's client id")
	fs.StringVar(&f.bootstrapKey, "bootstrap-client-secret", "", "fix the bootstrap API account's secret")
	fs.StringVar(&f.debugAddr, "debug-addr", "", "serve Go's profiler (/debug/pprof/) on this loopback address, apart from the API")
	fs.StringVar(&f.metricsAddr, "metrics-addr", "", "serve Prometheus /metrics on this address instead of the API's listener; \"off\" serves it nowhere")
	signingKeyFlag(fs, &f.signingKeyFile)
	fs.Int64Var(&f.maxBody, "max-body-bytes", httpx.DefaultMaxBody, "largest request body any API accepts (SCIM's bulk maxPayloadSize); larger ones get 413")
	fs.DurationVar(&f.readTimeout, "read-timeout", 60*time.Second, "how long a client may take to send a whole request, headers and body; a slower one is cut off")
	fs.BoolVar(&f.strict, "strict", false, "refuse what the real appliance refuses and Gatehouse otherwise forgives, such as a GET without Accept: application/json or a body without a JSON Content-Type (see the README)")
	fs.StringVar(&f.fixtures, "fixtures", "", "apply this fixtures file (YAML or JSON, as gatehouse apply -f) after the bootstrap account, before serving")
	fs.StringVar(&f.auditForward, "audit-forward", "", "forward each committed audit event as a JSON line to stdout, syslog, syslog://host:port (UDP) or syslog+tcp://host:port (on one instance only)")
	if err := parse(fs, args); err != nil {
		return err
	}
	if (f.tlsCert == "") != (f.tlsKey == "") {
		return usagef("--tls-cert and --tls-key go together")
	}
	if f.tlsSelfSigned && f.tlsCert != "" {
		return usagef("--tls-self-signed and --tls-cert exclude each other")
	}
	if f.rateLimit < 0 {
		return usagef("--rate-limit must be 0 or more")
	}
	if f.tokenRateLimit < 0 {
		return usagef("--token-rate-limit must be 0 or more")
	}
	if f.lockoutAttempts < 1 || f.lockoutDuration <= 0 {
		return usagef("--lockout-attempts must be 1 or more, and --lockout-duration more than 0")
	}
	var err error
	if f.proxies, err = httpx.ParseTrustedProxies(f.trustedProxies); err != nil {
		return usagef("--trusted-proxies: %v", err)
	}
	if f.maxBody < 1 {
		return usagef("--max-body-bytes must be 1 or more")
	}
	if f.readTimeout <= 0 {
		return usagef("--read-timeout must be more than 0")
	}
	if err := checkMetricsAddr(f.metricsAddr); err != nil {
		return err
	}
	logger, err := newLogger(stderr, f.logFormat, f.logLevel)
	if err != nil {
		return err
	}
	return serve(ctx, f, stdout, logger)
}

func serve(ctx context.Context, f serveFlags, stdout io.Writer, logger *slog.Logger) error {
	started := time.Now()
	// Bad keys are refused before the database is touched.
	keys, err := signingKeys(ctx, f.signingKeyFile)
	if err != nil {
		return err
	}
	st, err := store.Open(ctx, f.db)
	if err != nil {
		return fmt.Errorf("open database: %w", err)
	}
	defer func() {
		if err := st.Close(); err != nil {
			logger.Error("close database", "err", err)
		}
	}()
	authCfg := auth.Config{RatePerSecond: f.rateLimit, RatePerHour: 15000, TokenRatePerSecond: f.tokenRateLimit,
		LockoutAttempts: f.lockoutAttempts, LockoutDuration: f.lockoutDuration, Logger: logger, Keys: keys}
	srv, err := server.New(ctx, st, server.Config{Auth: authCfg, PublicURL: f.publicURL, TrustedProxies: f.proxies, Logger: logger, MaxBody: f.maxBody, Strict: f.strict,
		Version: buildVersion(), MetricsApart: f.metricsAddr != ""})
	if err != nil {
		return err
	}
	defer srv.Close()
	stopForward, err := forwardAudit(ctx, f.auditForward, srv.Directory(), stdout, logger)
	if err != nil {
		return err
	}
	defer stopForward()
	stopMetrics, err := serveMetrics(f.metricsAddr, srv.MetricsHandler(), logger)
	if err != nil {
		return err
	}
	defer stopMetrics()
	if f.debugAddr != "" {
		stop, err := serveDebug(f.debugAddr, logger)
		if err != nil {
			return err
		}
		defer stop()
	}

	// Listen before bootstrapping, so a start that cannot serve shows no secret.
	tlsConfig, err := tlsConfigFor(f)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", f.addr)
	if err != nil {
		return err
	}

	acct, secret, err := srv.Directory().Bootstrap(ctx, f.bootstrapClientID, f.bootstrapKey)
	if err != nil {
		return fmt.Errorf("bootstrap API account: %w", err)
	}
	if secret != "" {
		// Printed, never logged: the secret must not reach a log pipeline.
		fmt.Fprintf(stdout, "Created the bootstrap API account %q with full permissions.\n"+
			"Its secret is shown only this once; keep it safe:\n  client_id:     %s\n  client_secret: %s\n",
			acct.Name, acct.ClientID, secret)
	}

	// The administrator comes before the fixtures' users, so that it is
	// user 1 whatever they hold.
	admin, password, err := srv.Directory().BootstrapAdmin(ctx, os.Getenv("GATEHOUSE_ADMIN_USERNAME"), os.Getenv("GATEHOUSE_ADMIN_PASSWORD"))
	if err != nil {
		return fmt.Errorf("bootstrap administrator: %w", err)
	}
	switch {
	case password != "":
		fmt.Fprintf(stdout, "Created the administrator %q (user %d).\n"+
			"Its password is shown only this once; keep it safe:\n  username: %s\n  password: %s\n",
			admin.Username, admin.ID, admin.Username, password)
	case admin.ID != 0:
		fmt.Fprintf(stdout, "Created the administrator %q (user %d) with the password in GATEHOUSE_ADMIN_PASSWORD.\n",
			admin.Username, admin.ID)
	}
	if err := serveFixtures(ctx, f.fixtures, srv.Directory(), logger); err != nil {
		return err
	}

	hs := &http.Server{
		Handler:           srv.Handler(),
		TLSConfig:         tlsConfig,
		ReadHeaderTimeout: min(10*time.Second, f.readTimeout),
		ReadTimeout:       f.readTimeout,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       120 * time.Second,
		ErrorLog:          slog.NewLogLogger(logger.Handler(), slog.LevelWarn),
	}
	scheme := "http"
	if tlsConfig != nil {
		scheme = "https"
		ln = tls.NewListener(ln, tlsConfig)
	}
	attrs := []any{"url", scheme + "://" + ln.Addr().String(), "database", redactDSN(f.db),
		"startup", time.Since(started).Round(time.Millisecond).String()}
	if tlsConfig != nil {
		attrs = append(attrs, "certificate_sha256", fingerprint(tlsConfig.Certificates[0]))
	}
	logger.Info("listening", attrs...)

	served := make(chan error, 1)
	go func() { served <- hs.Serve(ln) }()
	select {
	case err := <-served:
		return err
	case <-ctx.Done():
	}
	logger.Info("shutting down: waiting for in-flight requests", "timeout", f.shutdownTimeout.String())
	sctx, cancel := context.WithTimeout(context.Background(), f.shutdownTimeout)
	defer cancel()
	if err := hs.Shutdown(sctx); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	if err := <-served; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	logger.Info("stopped")
	return nil
}

// dbFlag declares --db, shared by every command that opens the database.
func dbFlag(fs *flag.FlagSet, db *string) {
	fs.StringVar(db, "db", store.DefaultSQLitePath, "SQLite file path, a postgres:// URL, or \"memory\" for an ephemeral database that vanishes when serve exits")
}

// errMemoryElsewhere refuses --db memory outside serve: the ephemeral
// database belongs to one server process, and no other command can reach it.
var errMemoryElsewhere = usageError{"--db memory is an ephemeral database inside one `gatehouse serve`; other commands cannot reach it"}

// persistent refuses the ephemeral database for commands beside the server.
func persistent(db string) error {
	if db == sqlite.Memory {
		return errMemoryElsewhere
	}
	return nil
}

// dataDir is where files that belong with a SQLite database live.
func dataDir(db string) string {
	if store.IsPostgres(db) || db == sqlite.Memory {
		return ""
	}
	return filepath.Dir(db)
}

func newLogger(w io.Writer, format, level string) (*slog.Logger, error) {
	var lv slog.Level
	if err := lv.UnmarshalText([]byte(level)); err != nil {
		return nil, usagef("--log-level %q: want debug, info, warn or error", level)
	}
	opts := &slog.HandlerOptions{Level: lv}
	switch format {
	case "text":
		return slog.New(slog.NewTextHandler(w, opts)), nil
	case "json":
		return slog.New(slog.NewJSONHandler(w, opts)), nil
	default:
		return nil, usagef("--log-format %q: want text or json", format)
	}
}

// redactDSN hides a PostgreSQL password before the DSN reaches a log line.
func redactDSN(dsn string) string {
	u, err := url.Parse(dsn)
	if err != nil || !store.IsPostgres(dsn) {
		return dsn
	}
	if _, ok := u.User.Password(); ok {
		u.User = url.UserPassword(u.User.Username(), "xxxxx")
	}
	if q := u.Query(); q.Has("password") {
		q.Set("password", "xxxxx")
		u.RawQuery = q.Encode()
	}
	return u.String()
}
