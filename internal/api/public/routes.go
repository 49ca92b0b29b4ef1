// Package public is the user-management "public v3" API face
// (/api/public/v3): users with offset/limit paging and full-replace PUT,
// groups and group membership. It translates the API's snake_case wire
// format to directory calls and back, and holds no business rule of its own.
//
// Its dialect is the BeyondTrust family's, as the PRA face speaks it:
// {"message"} for every error, plus "errors" {field: [messages]} naming
// every invalid field at once. What it adds is made safe for a full-replace
// API: every user carries an ETag, PUT and DELETE honour If-Match, and a
// body field the API does not know is refused, so that a misspelt field
// cannot silently reset the one it was meant to be.
package public

import (
	"log/slog"
	"net/http"

	"github.com/gatehouse/gatehouse/internal/auth"
	"github.com/gatehouse/gatehouse/internal/directory"
	"github.com/gatehouse/gatehouse/internal/httpx"
)

// prefix is the base path of the face.
const prefix = "/api/public/v3"

// Deps is what the face needs.
type Deps struct {
	Dir  *directory.Service
	Auth *auth.Service
	Log  *slog.Logger
	// PublicURL is the absolute base of Location URLs, such as
	// https://gh.example.com; empty derives it from each request.
	PublicURL string
	// MaxBody limits request bodies; 0 means httpx.DefaultMaxBody.
	MaxBody int64
}

type api struct {
	dir       *directory.Service
	auth      *auth.Service
	log       *slog.Logger
	publicURL string
	maxBody   int64
}

// route is one path and its operations by method.
type route struct {
	path string
	ops  map[string]op
}

// Register adds the face's routes under /api/public/v3 to mux. The route
// table is built once, here.
func Register(mux *http.ServeMux, d Deps) {
	a := &api{dir: d.Dir, auth: d.Auth, log: d.Log, publicURL: d.PublicURL, maxBody: d.MaxBody}
	if a.log == nil {
		a.log = slog.Default()
	}
	if a.maxBody <= 0 {
		a.maxBody = httpx.DefaultMaxBody
	}
	for _, rt := range a.routes() {
		m := httpx.Methods{}
		for method, o := range rt.ops {
			m[method] = a.guard(method, o)
		}
		httpx.Route(mux, prefix+rt.path, m, a.recover(http.HandlerFunc(methodNotAllowed)))
	}
	// Unknown paths get the face's JSON 404 rather than net/http's text.
	mux.Handle(prefix+"/", a.recover(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		writeError(w, http.StatusNotFound, "The requested URL was not found.", nil)
	})))
}

func (a *api) routes() []route {
	const get, post, put, del = http.MethodGet, http.MethodPost, http.MethodPut, http.MethodDelete
	return []route{
		{"/users", map[string]op{get: {h: a.listUsers, params: userListParams}, post: {h: a.createUser}}},
		{"/users/{id}", map[string]op{get: {h: a.getUser}, put: {h: a.replaceUser}, del: {h: a.deleteUser}}},
		{"/groups", map[string]op{get: {h: a.listGroups, params: pageParams}}},
		{"/groups/{id}/members", map[string]op{post: {h: a.addMember}}},
		{"/groups/{id}/members/{user_id}", map[string]op{del: {h: a.removeMember}}},
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
