package console

import (
	"context"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/gatehouse/gatehouse/internal/auth"
	"github.com/gatehouse/gatehouse/internal/directory"
	"github.com/gatehouse/gatehouse/internal/httpx"
)

// Prefix is where the console is served.
const Prefix = "/console"

// Deps is what the console needs from the server.
type Deps struct {
	Dir *directory.Service
	// Auth locks sign-ins out (the token endpoint's machinery) and rotates
	// API account secrets so that every instance sees it at once.
	Auth *auth.Service
	// Store keeps the console's sessions and TOTP secrets, which are not
	// directory changes.
	Store directory.Store
	Log   *slog.Logger
	// PublicURL, when https, makes the session cookie Secure behind a
	// proxy that ends TLS.
	PublicURL string
	Now       func() time.Time // default time.Now; tests move it to expire sessions
	// Rates gives the overview the server's token and request counts
	// (internal/metrics); nil shows none.
	Rates func() Rates
}

// console is the face: handlers translate between forms and the directory.
type console struct {
	dir       *directory.Service
	auth      *auth.Service
	store     directory.Store
	log       *slog.Logger
	publicURL string
	now       func() time.Time
	rates     func() Rates
	pages     *pages
	mux       *http.ServeMux

	// dummyHash is what a password is checked against when there is no
	// administrator of that name, so that the refusal costs the same;
	// made at the first sign-in, not at start-up.
	dummyOnce sync.Once
	dummyHash string
}

// Handler serves the console under Prefix.
func Handler(d Deps) http.Handler {
	if d.Now == nil {
		d.Now = time.Now
	}
	if d.Log == nil {
		d.Log = slog.Default()
	}
	c := &console{dir: d.Dir, auth: d.Auth, store: d.Store, log: d.Log, publicURL: d.PublicURL, now: d.Now, rates: d.Rates,
		pages: mustParsePages(), mux: http.NewServeMux()}
	c.routes()
	return withHeaders(httpx.Routed(c.mux))
}

// handler is the signature of every page: it writes the response or
// returns an error, which fail renders.
type handler func(*request) error

// request is one request to the console, with its signed-in administrator
// once the session is checked.
type request struct {
	w    http.ResponseWriter
	r    *http.Request
	c    *console
	user directory.User
	sess session
	// form and errs are a refused form's values and messages, shown
	// with it again.
	form map[string]string
	errs *formErrors
}

func (q *request) ctx() context.Context { return q.r.Context() }

// public serves a page that needs no session (sign-in).
func (c *console) public(pattern string, h handler) {
	c.mux.Handle(pattern, c.serve(h, false))
}

// page serves a page only to a signed-in administrator whose second factor
// is done; a POST must also carry the session's CSRF token.
func (c *console) page(pattern string, h handler) {
	c.mux.Handle(pattern, c.serve(h, true))
}

func (c *console) serve(h handler, signedIn bool) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		q := &request{w: w, r: r, c: c}
		if r.Method == http.MethodPost && !sameOrigin(r, c.publicURL) {
			c.fail(q, errCSRF)
			return
		}
		if signedIn {
			if err := c.signedIn(q, true); err != nil {
				c.fail(q, err)
				return
			}
		}
		if err := h(q); err != nil {
			c.fail(q, err)
		}
	})
}

// redirect answers a form with 303, so that reloading the next page does
// not post it again.
func (q *request) redirect(path string) error {
	http.Redirect(q.w, q.r, path, http.StatusSeeOther)
	return nil
}

// withHeaders sets what every console response carries: a Content-Security
// Policy that allows no inline script or style (so injected markup cannot
// run), no framing, no referrer, and no sniffing.
func withHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "+
			"form-action 'self'; frame-ancestors 'none'; base-uri 'none'")
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "no-referrer")
		h.Set("X-Frame-Options", "DENY")
		if !strings.HasPrefix(r.URL.Path, staticPrefix) {
			h.Set("Cache-Control", "no-store")
		}
		next.ServeHTTP(w, r)
	})
}

// secure reports whether the browser reached the console over TLS, here
// or at a proxy that PublicURL names.
func (c *console) secure(r *http.Request) bool {
	return r.TLS != nil || strings.HasPrefix(c.publicURL, "https://")
}

// unexpected logs an internal failure and returns the status to show.
func (c *console) unexpected(q *request, err error) int {
	return httpx.Unexpected(c.log, q.r, "console", err)
}
