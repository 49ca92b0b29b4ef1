// Package scim is the SCIM 2.0 service provider face (/scim/v2, RFC 7643
// and RFC 7644) that identity providers such as Okta and Microsoft Entra ID
// provision users and groups through. It translates SCIM resources,
// filters, PATCH operations and bulk requests into directory calls and
// back, and holds no business rule of its own: the directory decides what
// a user or group may be, and every other face shows the same records.
//
// The schema, filter and patch sub-packages hold the protocol: the User,
// enterprise User and Group schemas and attribute paths, the filter
// grammar compiled into the directory's query AST, and PATCH operations
// applied to a resource's SCIM representation.
package scim

import (
	"log/slog"
	"net/http"

	"github.com/gatehouse/gatehouse/internal/auth"
	"github.com/gatehouse/gatehouse/internal/directory"
	"github.com/gatehouse/gatehouse/internal/httpx"
)

// prefix is the base path of the face.
const prefix = "/scim/v2"

// Limits the face advertises in /ServiceProviderConfig and enforces.
const (
	// maxResults caps count on a list or search: a bigger count gets this
	// many (RFC 7644 §3.4.2.4 lets the service provider cap it).
	maxResults = directory.MaxPageSize
	// defaultCount is the page size of a list that names no count.
	defaultCount = 100
	// maxOperations is the most operations one bulk request may hold.
	maxOperations = 100
)

// Deps is what the face needs.
type Deps struct {
	Dir  *directory.Service
	Auth *auth.Service
	Log  *slog.Logger
	// PublicURL is the absolute base of Location and meta.location URLs,
	// such as https://gh.example.com; empty derives it from each request.
	PublicURL string
	// MaxBody limits request bodies, /Bulk's included (advertised as its
	// maxPayloadSize); 0 means httpx.DefaultMaxBody.
	MaxBody int64
}

type api struct {
	dir       *directory.Service
	auth      *auth.Service
	log       *slog.Logger
	publicURL string
	maxBody   int64
	users     *kind
	groups    *kind
}

// access says what an operation needs of the caller.
type access int

const (
	readAccess  access = iota // a token with SCIM permission
	writeAccess               // ... that is not read-only
	public                    // nothing: discovery, which tells no data
)

// op is one method of one path.
type op struct {
	h      handler
	access access
}

// handler does the work of an operation; fail renders what it returns.
type handler func(c *call) error

// route is one path and its operations by method.
type route struct {
	path string
	ops  map[string]op
}

// Register adds the face's routes under /scim/v2 to mux. The route table
// is built once, here.
func Register(mux *http.ServeMux, d Deps) {
	a := newAPI(d)
	for _, rt := range a.routes() {
		m := httpx.Methods{}
		for method, o := range rt.ops {
			m[method] = a.guard(o)
		}
		httpx.Route(mux, prefix+rt.path, m, a.recover(http.HandlerFunc(methodNotAllowed)))
	}
	// Unknown paths get a SCIM 404 rather than net/http's text.
	mux.Handle(prefix+"/", a.recover(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		writeError(w, r, &scimError{status: http.StatusNotFound, detail: "The requested URL was not found."})
	})))
}

func newAPI(d Deps) *api {
	a := &api{dir: d.Dir, auth: d.Auth, log: d.Log, publicURL: d.PublicURL, maxBody: d.MaxBody}
	if a.log == nil {
		a.log = slog.Default()
	}
	if a.maxBody <= 0 {
		a.maxBody = httpx.DefaultMaxBody
	}
	a.users, a.groups = a.userKind(), a.groupKind()
	return a
}

func (a *api) routes() []route {
	const get, post, put, patch, del = http.MethodGet, http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete
	read := func(h handler) op { return op{h: h, access: readAccess} }
	write := func(h handler) op { return op{h: h, access: writeAccess} }
	open := func(h handler) op { return op{h: h, access: public} }
	notImplemented := write(a.me)
	return []route{
		{"/Users", map[string]op{get: read(a.listUsers), post: write(a.createUser)}},
		{"/Users/.search", map[string]op{post: read(a.searchUsers)}},
		{"/Users/{id}", map[string]op{get: read(a.getUser), put: write(a.replaceUser), patch: write(a.patchUser), del: write(a.deleteUser)}},

		{"/Groups", map[string]op{get: read(a.listGroups), post: write(a.createGroup)}},
		{"/Groups/.search", map[string]op{post: read(a.searchGroups)}},
		{"/Groups/{id}", map[string]op{get: read(a.getGroup), put: write(a.replaceGroup), patch: write(a.patchGroup), del: write(a.deleteGroup)}},

		{"/.search", map[string]op{post: read(a.searchAll)}},
		{"/Bulk", map[string]op{post: write(a.bulk)}},
		{"/Me", map[string]op{get: read(a.me), post: notImplemented, put: notImplemented, patch: notImplemented, del: notImplemented}},

		{"/ServiceProviderConfig", map[string]op{get: open(a.serviceProviderConfig)}},
		{"/ResourceTypes", map[string]op{get: open(a.resourceTypes)}},
		{"/ResourceTypes/{name}", map[string]op{get: open(a.resourceType)}},
		{"/Schemas", map[string]op{get: open(a.schemas)}},
		{"/Schemas/{urn}", map[string]op{get: open(a.schema)}},

		{"/openapi.yaml", map[string]op{get: open(a.openAPI)}},
	}
}

func methodNotAllowed(w http.ResponseWriter, r *http.Request) {
	writeError(w, r, &scimError{status: http.StatusMethodNotAllowed, detail: "The " + r.Method + " method is not allowed for this URL."})
}

// recover answers a panic with a SCIM 500 (see httpx.Recover).
func (a *api) recover(next http.Handler) http.Handler {
	return httpx.Recover(a.log, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { writeInternal(w, r) }), next)
}

// me answers /Me: Gatehouse's SCIM clients are API accounts, which are not
// SCIM resources, so there is no "authenticated subject" to show
// (RFC 7644 §3.11 answers 501 then).
func (a *api) me(c *call) error {
	return &scimError{status: http.StatusNotImplemented,
		detail: "/Me is not supported: SCIM clients authenticate as API accounts, which are not SCIM resources."}
}
