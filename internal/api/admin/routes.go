// Package admin is Gatehouse's own administrator API (/api/admin/v1),
// beside the BeyondTrust faces rather than inside their paths: the audit
// log, paged by event id and filtered in SQL through directory.AuditFilter.
// It takes the OAuth2 bearer tokens of /oauth2/token, authorised by
// auth.Audit, and answers errors in the house's JSON shape,
// {"message", "errors"} (httpx.WriteMessage).
package admin

import (
	"log/slog"
	"net/http"

	"github.com/gatehouse/gatehouse/internal/auth"
	"github.com/gatehouse/gatehouse/internal/directory"
	"github.com/gatehouse/gatehouse/internal/httpx"
)

// prefix is the base path of the face.
const prefix = "/api/admin/v1"

// Deps is what the face needs.
type Deps struct {
	Dir  *directory.Service
	Auth *auth.Service
	Log  *slog.Logger
	// PublicURL is the absolute base of the next and prev links, such as
	// https://gh.example.com; empty derives it from each request.
	PublicURL string
}

type api struct {
	dir       *directory.Service
	auth      *auth.Service
	log       *slog.Logger
	publicURL string
}

// route is one path and its operations by method.
type route struct {
	path string
	ops  map[string]op
}

// Register adds the face's routes under /api/admin/v1 to mux.
func Register(mux *http.ServeMux, d Deps) {
	a := &api{dir: d.Dir, auth: d.Auth, log: d.Log, publicURL: d.PublicURL}
	if a.log == nil {
		a.log = slog.Default()
	}
	for _, rt := range a.routes() {
		m := httpx.Methods{}
		for method, o := range rt.ops {
			m[method] = a.guard(o)
		}
		httpx.Route(mux, prefix+rt.path, m, a.recover(http.HandlerFunc(methodNotAllowed)))
	}
	mux.Handle(prefix+"/", a.recover(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		writeError(w, http.StatusNotFound, "The requested URL was not found.", nil)
	})))
}

func (a *api) routes() []route {
	const get = http.MethodGet
	return []route{
		{"/events", map[string]op{get: {h: a.listEvents, params: eventParams}}},
		{"/events/{id}", map[string]op{get: {h: a.getEvent}}},
		{"/openapi.yaml", map[string]op{get: {h: a.openAPI, accept: yamlTypes}}},
	}
}

func methodNotAllowed(w http.ResponseWriter, r *http.Request) {
	writeError(w, http.StatusMethodNotAllowed, "The "+r.Method+" method is not allowed for this URL.", nil)
}

// recover answers a panic with the face's 500 (see httpx.Recover).
func (a *api) recover(next http.Handler) http.Handler {
	return httpx.Recover(a.log, http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { writeInternal(w) }), next)
}
