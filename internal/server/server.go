// Package server wires a store, the directory service, authentication and
// every API face into one http.Handler.
package server

import (
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/netip"
	"time"

	"github.com/gatehouse/gatehouse/internal/api/admin"
	"github.com/gatehouse/gatehouse/internal/api/insight"
	"github.com/gatehouse/gatehouse/internal/api/pra"
	"github.com/gatehouse/gatehouse/internal/api/public"
	"github.com/gatehouse/gatehouse/internal/api/scim"
	"github.com/gatehouse/gatehouse/internal/auth"
	"github.com/gatehouse/gatehouse/internal/console"
	"github.com/gatehouse/gatehouse/internal/directory"
	"github.com/gatehouse/gatehouse/internal/httpx"
	"github.com/gatehouse/gatehouse/internal/ldapdir"
	"github.com/gatehouse/gatehouse/internal/metrics"
)

// Config is everything the server needs besides its store. Flags and
// environment variables are read in cmd/gatehouse only.
type Config struct {
	Auth      auth.Config
	Argon2    directory.Argon2Params
	PublicURL string // absolute base for Link and Location headers; empty: from the request
	// MaxBody limits every request body, in bytes; 0 means
	// httpx.DefaultMaxBody.
	MaxBody int64
	// TrustedProxies are the load balancers whose X-Forwarded-For names
	// the client (httpx.ClientAddress); empty: the socket peer is.
	TrustedProxies []netip.Prefix
	Logger         *slog.Logger
	// Directories looks up Active Directory and LDAP users; nil uses LDAP
	// with the system's trusted certificates.
	Directories directory.AccountFinder
	// Strict makes every face refuse what the real appliance refuses and
	// Gatehouse otherwise forgives (httpx.Strict).
	Strict bool
	// Version is the build's, for gatehouse_build_info; empty: (devel).
	Version string
	// MetricsApart keeps /metrics off Handler (it answers 404 there): the
	// caller serves MetricsHandler on a listener of its own, or nowhere.
	MetricsApart bool
}

// Server is a running directory with its API faces.
type Server struct {
	store   directory.Store
	dir     *directory.Service
	auth    *auth.Service
	handler http.Handler
	metrics *metrics.Metrics
	// stopSampling ends the samples behind the console's traffic rates.
	stopSampling func()
}

// New builds the server over store. The caller keeps ownership of store.
func New(ctx context.Context, store directory.Store, cfg Config) (*Server, error) {
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.Argon2 == (directory.Argon2Params{}) {
		cfg.Argon2 = directory.DefaultArgon2
	}
	if cfg.Auth.Logger == nil {
		cfg.Auth.Logger = cfg.Logger
	}
	if cfg.Directories == nil {
		cfg.Directories = &ldapdir.Finder{}
	}
	if cfg.Version == "" {
		cfg.Version = "(devel)"
	}
	m := metrics.New(cfg.Version)
	cfg.Auth.Observer = m
	dir := directory.NewService(store, directory.NewHasher(cfg.Argon2), directory.WithAccountFinder(cfg.Directories))
	authn, err := auth.New(ctx, store, dir, cfg.Auth)
	if err != nil {
		return nil, err
	}
	s := &Server{store: store, dir: dir, auth: authn, metrics: m, stopSampling: m.Sample()}
	observeStore(m, store, authNow(cfg.Auth))
	mux := http.NewServeMux()
	if cfg.MaxBody <= 0 {
		cfg.MaxBody = httpx.DefaultMaxBody
	}
	// The token endpoint bounds its form tighter still; this makes it
	// honour a smaller configured limit too.
	mux.Handle("/oauth2/token", http.MaxBytesHandler(authn.TokenHandler(), cfg.MaxBody))
	mux.HandleFunc("GET /healthz", s.healthz)
	mux.HandleFunc("GET /readyz", s.readyz)
	if !cfg.MetricsApart {
		mux.Handle("GET /metrics", m.Handler())
	}
	pra.Register(mux, pra.Deps{Dir: dir, Auth: authn, Log: cfg.Logger, PublicURL: cfg.PublicURL, MaxBody: cfg.MaxBody})
	scim.Register(mux, scim.Deps{Dir: dir, Auth: authn, Log: cfg.Logger, PublicURL: cfg.PublicURL, MaxBody: cfg.MaxBody})
	public.Register(mux, public.Deps{Dir: dir, Auth: authn, Log: cfg.Logger, PublicURL: cfg.PublicURL, MaxBody: cfg.MaxBody})
	admin.Register(mux, admin.Deps{Dir: dir, Auth: authn, Log: cfg.Logger, PublicURL: cfg.PublicURL})
	mux.Handle(console.Prefix+"/", http.MaxBytesHandler(console.Handler(console.Deps{Dir: dir, Auth: authn, Store: store,
		Log: cfg.Logger, PublicURL: cfg.PublicURL, Now: cfg.Auth.Now, Rates: func() console.Rates {
			t := m.Totals()
			return console.Rates{TokensIssued: t.TokensIssued, Requests: t.Requests, Since: t.Since,
				TokensPerSecond: t.TokensPerSecond, RequestsPerSecond: t.RequestsPerSecond, Window: t.Window}
		}}), cfg.MaxBody))
	bi := insight.Handler(insight.Deps{Dir: dir, Auth: authn, Log: cfg.Logger, MaxBody: cfg.MaxBody})
	// The pattern the mux matched is the route of the handlers that record
	// none themselves (see withMetrics).
	routed := httpx.Routed(mux)
	// BeyondInsight matches paths in any case, which ServeMux patterns
	// cannot, so its prefix is tested before the mux.
	root := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if insight.Matches(r.URL.Path) {
			bi.ServeHTTP(w, r)
			return
		}
		routed.ServeHTTP(w, r)
	})
	var faces http.Handler = root
	if cfg.Strict {
		faces = httpx.Strict(root)
	}
	s.handler = withMiddleware(faces, cfg.Logger, cfg.TrustedProxies, m)
	return s, nil
}

// Handler serves every face.
func (s *Server) Handler() http.Handler { return s.handler }

// MetricsHandler serves the Prometheus metrics, which Handler also serves
// at /metrics unless Config.MetricsApart.
func (s *Server) MetricsHandler() http.Handler { return s.metrics.Handler() }

// Directory is the service every face calls; the CLI and tests use it too.
func (s *Server) Directory() *directory.Service { return s.dir }

// Close stops background work (the auth poller, the metrics sampler). It
// does not close the store.
func (s *Server) Close() {
	s.stopSampling()
	s.auth.Close()
}

func (s *Server) healthz(w http.ResponseWriter, _ *http.Request) {
	writeStatus(w, http.StatusOK, "ok")
}

// readyz answers 200 only while the store answers a query, so a load
// balancer stops sending traffic to an instance that lost its database.
func (s *Server) readyz(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	if _, err := s.store.SecurityProvider(ctx, directory.LocalProviderID); err != nil {
		writeStatus(w, http.StatusServiceUnavailable, "unavailable")
		return
	}
	writeStatus(w, http.StatusOK, "ok")
}

func writeStatus(w http.ResponseWriter, code int, status string) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(code)
	_ = json.NewEncoder(w).Encode(map[string]string{"status": status})
}
