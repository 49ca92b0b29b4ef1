// Package insight is the BeyondInsight / Password Safe public API face
// (/BeyondTrust/api/public/v3): users of four types, user groups,
// quarantine, and the sign-in that Password Safe clients use. It
// translates BeyondInsight's wire format to directory calls and back, and
// holds no business rule of its own.
//
// As BeyondInsight does, it matches paths and JSON property names without
// regard to case, answers lists as plain JSON arrays, and reports errors as
// a status code with a short message, a JSON string.
package insight

import (
	"log/slog"
	"net/http"
	"path"
	"strings"

	"github.com/gatehouse/gatehouse/internal/auth"
	"github.com/gatehouse/gatehouse/internal/directory"
	"github.com/gatehouse/gatehouse/internal/httpx"
)

// Prefix is the base path of the face; requests match it in any case.
const Prefix = "/BeyondTrust/api/public/v3"

// Deps is what the face needs.
type Deps struct {
	Dir  *directory.Service
	Auth *auth.Service
	Log  *slog.Logger
	// MaxBody limits request bodies; 0 means httpx.DefaultMaxBody.
	MaxBody int64
}

type api struct {
	dir     *directory.Service
	auth    *auth.Service
	log     *slog.Logger
	maxBody int64
	mux     *http.ServeMux // lower-case paths below Prefix
}

// op is one method of one path: the permission it needs (none for the
// sign-in operations, which authenticate themselves) and its handler.
type op struct {
	h     handler
	perm  int64
	level directory.AccessLevel
	// self also admits the user the path's {id} names, whatever its
	// permissions (RecycleClientSecret).
	self bool
	// public operations run without a signed-in principal.
	public bool
}

type handler func(c *call) error

type route struct {
	path string
	ops  map[string]op
}

// Handler returns the face. It serves any path whose lower-case form
// starts with the lower-case Prefix (see Matches).
func Handler(d Deps) http.Handler {
	a := &api{dir: d.Dir, auth: d.Auth, log: d.Log, maxBody: d.MaxBody, mux: http.NewServeMux()}
	if a.log == nil {
		a.log = slog.Default()
	}
	if a.maxBody <= 0 {
		a.maxBody = httpx.DefaultMaxBody
	}
	for _, rt := range a.routes() {
		m := httpx.Methods{}
		for method, o := range rt.ops {
			m[method] = a.guard(o)
		}
		httpx.Route(a.mux, strings.ToLower(rt.path), m, a.recover(http.HandlerFunc(methodNotAllowed)))
	}
	a.mux.Handle("/", a.recover(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		writeMessage(w, http.StatusNotFound, "The requested resource was not found.")
	})))
	return a
}

// Matches reports whether path belongs to the face.
func Matches(path string) bool {
	return len(path) >= len(Prefix) && strings.EqualFold(path[:len(Prefix)], Prefix) &&
		(len(path) == len(Prefix) || path[len(Prefix)] == '/')
}

// ServeHTTP routes on the lower-cased path below Prefix, less one trailing
// slash, so that Users, users and USERS/ are one resource.
func (a *api) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	// Cleaning here keeps ServeMux from redirecting "//" and ".." to a
	// path outside the face.
	rest := path.Clean("/" + strings.ToLower(r.URL.Path[len(Prefix):]))
	r2 := new(http.Request)
	*r2 = *r
	u := *r.URL
	u.Path, u.RawPath = rest, ""
	r2.URL = &u
	a.mux.ServeHTTP(w, r2)
}

func (a *api) routes() []route {
	const get, post, put, del = http.MethodGet, http.MethodPost, http.MethodPut, http.MethodDelete
	const users, quarantine = directory.PermUserAccounts, directory.PermQuarantine
	const read, write = directory.LevelRead, directory.LevelReadWrite
	return []route{
		{"/Auth/connect/token", map[string]op{post: {h: a.token, public: true}}},
		{"/Auth/SignAppIn", map[string]op{post: {h: a.signAppIn, public: true}}},
		{"/Auth/Signout", map[string]op{post: {h: a.signOut, public: true}}},

		{"/Users", map[string]op{get: {h: a.listUsers, perm: users, level: read}, post: {h: a.createUser, perm: users, level: write}}},
		{"/Users/{id}", map[string]op{get: {h: a.getUser, perm: users, level: read},
			put: {h: a.updateUser, perm: users, level: write}, del: {h: a.deleteUser, perm: users, level: write}}},
		{"/Users/{id}/Quarantine", map[string]op{post: {h: a.quarantineUser, perm: quarantine, level: write}}},
		{"/Users/{id}/RecycleClientSecret", map[string]op{post: {h: a.recycleSecret, perm: users, level: write, self: true}}},
		{"/Users/{id}/UserGroups", map[string]op{get: {h: a.listUserGroups, perm: users, level: read}}},
		{"/Users/{id}/UserGroups/{groupId}", map[string]op{post: {h: a.addUserToGroup, perm: users, level: write},
			del: {h: a.removeUserFromGroup, perm: users, level: write}}},

		{"/UserGroups", map[string]op{get: {h: a.listGroups, perm: users, level: read}, post: {h: a.createGroup, perm: users, level: write}}},
		{"/UserGroups/{id}", map[string]op{get: {h: a.getGroup, perm: users, level: read}, del: {h: a.deleteGroup, perm: users, level: write}}},
		{"/UserGroups/{id}/Users", map[string]op{get: {h: a.listGroupUsers, perm: users, level: read},
			post: {h: a.createGroupUser, perm: users, level: write}}},
		{"/UserGroups/{id}/Permissions", map[string]op{get: {h: a.getGroupPermissions, perm: users, level: read},
			post: {h: a.setGroupPermissions, perm: users, level: write}, del: {h: a.clearGroupPermissions, perm: users, level: write}}},

		{"/Permissions", map[string]op{get: {h: a.listPermissions, perm: users, level: read}}},
		{"/openapi.yaml", map[string]op{get: {h: a.openAPI, public: true}}},
	}
}

func methodNotAllowed(w http.ResponseWriter, r *http.Request) {
	writeMessage(w, http.StatusMethodNotAllowed, "The "+r.Method+" method is not allowed for this resource.")
}

// recover answers a panic with a 500 (see httpx.Recover).
func (a *api) recover(next http.Handler) http.Handler {
	return httpx.Recover(a.log, http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { writeInternal(w) }), next)
}
