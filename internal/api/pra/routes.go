// Package pra is the BeyondTrust Privileged Remote Access Configuration API
// face (/api/config/v1): it translates PRA's wire format to directory calls
// and back, and holds no business rule of its own.
package pra

import (
	"log/slog"
	"net/http"

	"github.com/gatehouse/gatehouse/internal/auth"
	"github.com/gatehouse/gatehouse/internal/directory"
	"github.com/gatehouse/gatehouse/internal/httpx"
)

// prefix is the base path of the face.
const prefix = "/api/config/v1"

// Deps is what the face needs.
type Deps struct {
	Dir  *directory.Service
	Auth *auth.Service
	Log  *slog.Logger
	// PublicURL is the absolute base of Location and Link URLs, such as
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

// Register adds the face's routes to mux: everything under /api/config/v1
// and GET /get_mech_list. The route table is built once, here.
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
	// Unknown paths get PRA's JSON 404 rather than net/http's text.
	mux.Handle(prefix+"/", a.recover(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		writeError(w, http.StatusNotFound, "The requested URL was not found.", nil)
	})))
	httpx.Route(mux, "/get_mech_list", httpx.Methods{http.MethodGet: a.recover(http.HandlerFunc(mechList))},
		a.recover(http.HandlerFunc(methodNotAllowed)))
}

func (a *api) routes() []route {
	const get, post, patch, del = http.MethodGet, http.MethodPost, http.MethodPatch, http.MethodDelete
	return []route{
		{"/user", map[string]op{get: listOp(a.listUsers, userFilters), post: {h: a.createUser}}},
		{"/user/provision", map[string]op{post: {h: a.provisionUsers}}},
		{"/user/{id}", map[string]op{get: {h: a.getUser}, patch: {h: a.updateUser}, del: {h: a.deleteUser}}},
		{"/user/{id}/group-policies", map[string]op{get: listOp(a.listUserGroups, nil)}},
		{"/user/{id}/group-policy-changes", map[string]op{patch: {h: a.changeUserGroups}}},

		{"/group-policy", map[string]op{get: listOp(a.listGroups, groupFilters), post: {h: a.createGroup}}},
		{"/group-policy/{id}", map[string]op{get: {h: a.getGroup}, patch: {h: a.updateGroup}, del: {h: a.deleteGroup}}},
		{"/group-policy/{id}/copy", map[string]op{post: {h: a.copyGroup}}},
		{"/group-policy/{id}/provision", map[string]op{post: {h: a.provisionGroup}}},
		{"/group-policy/{id}/member", map[string]op{get: listOp(a.listMembers, nil), post: {h: a.addMember}}},
		{"/group-policy/{id}/member/{member_id}", map[string]op{get: {h: a.getMember}, del: {h: a.removeMember}}},

		{"/team", map[string]op{get: listOp(a.listTeams, teamFilters), post: {h: a.createTeam}}},
		{"/team/{id}", map[string]op{get: {h: a.getTeam}, patch: {h: a.updateTeam}, del: {h: a.deleteTeam}}},
		{"/team/{id}/user", map[string]op{get: listOp(a.listTeamUsers, nil), post: {h: a.addTeamUser}}},
		{"/team/{id}/user/{user_id}", map[string]op{get: {h: a.getTeamUser}, patch: {h: a.updateTeamUser}, del: {h: a.removeTeamUser}}},

		{"/security-provider", map[string]op{get: listOp(a.listProviders, nil)}},
		{"/security-provider/{id}", map[string]op{get: {h: a.getProvider}}},

		{"/api-account", map[string]op{get: listOp(a.listAccounts, accountFilters)}},
		{"/api-account/{id}", map[string]op{get: {h: a.getAccount}}},

		{"/openapi.yaml", map[string]op{get: {h: a.openAPI, accept: yamlTypes}}},
	}
}

func methodNotAllowed(w http.ResponseWriter, r *http.Request) {
	writeError(w, http.StatusMethodNotAllowed, "The "+r.Method+" method is not allowed for this URL.", nil)
}

// recover answers a panic with PRA's 500 (see httpx.Recover).
func (a *api) recover(next http.Handler) http.Handler {
	return httpx.Recover(a.log, http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { writeInternal(w) }), next)
}
