package public

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/gatehouse/gatehouse/internal/auth"
	"github.com/gatehouse/gatehouse/internal/directory"
	"github.com/gatehouse/gatehouse/internal/httpx"
)

// op is one method of one path.
type op struct {
	h handler
	// params are the query parameters the operation accepts; any other is
	// refused with 400, so that a misspelt filter cannot widen a list that
	// a script then acts on.
	params []string
	// accept lists the media types the answer can take (default JSON).
	accept []string
}

// handler does the work of an operation; fail renders what it returns.
type handler func(c *call) error

var jsonTypes = []string{"application/json"}

// guard runs what every operation shares, in this order: authentication
// (401, 429), permission (403), content negotiation (406) and the query
// string (400); then the handler, with the account as the audit actor.
func (a *api) guard(method string, o op) http.Handler {
	write := method != http.MethodGet && method != http.MethodHead
	accept := o.accept
	if accept == nil {
		accept = jsonTypes
	}
	return a.recover(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p, ok, err := a.auth.Bearer(w, r, refuse)
		if err != nil {
			a.fail(w, r, err)
		}
		if !ok {
			return
		}
		if !p.Can(auth.UserManagement, write) {
			writeError(w, http.StatusForbidden, forbiddenMessage(p, write), nil)
			return
		}
		actor := p.Actor()
		ctx := directory.WithActor(r.Context(), actor)
		httpx.SetPrincipal(ctx, actor.String())
		c := &call{a: a, w: w, r: r.WithContext(ctx)}
		if err := c.checkRequest(o, accept); err != nil {
			a.fail(w, c.r, err)
			return
		}
		if err := o.h(c); err != nil {
			a.fail(w, c.r, err)
		}
	}))
}

// refuse is auth.Bearer's 401 and 429 in this face's error shape.
func refuse(w http.ResponseWriter, status int, msg string) { writeError(w, status, msg, nil) }

// forbiddenMessage says why the principal may not do what it asked: a
// read-only token, an account that may only read, or one with no access.
func forbiddenMessage(p auth.Principal, write bool) string {
	if write && p.Can(auth.UserManagement, false) {
		if p.Scope == auth.ScopeReadOnly {
			return "This token was issued with the read_only scope and may only read."
		}
		return "This API account may only read through the user management API."
	}
	return "This API account is not permitted to use the user management API."
}

// checkRequest refuses an Accept the answer cannot satisfy and a query
// string the operation does not take: unknown parameters, and any
// parameter given more than once (which value would count is a guess).
func (c *call) checkRequest(o op, accept []string) error {
	if !httpx.Acceptable(c.r, accept...) {
		return statusError(http.StatusNotAcceptable, "This resource can only be returned as "+strings.Join(accept, " or ")+".")
	}
	c.query, c.queryProblems = url.Values{}, map[string][]string{}
	if c.r.URL.RawQuery == "" {
		return nil
	}
	q, err := url.ParseQuery(c.r.URL.RawQuery)
	if err != nil {
		return statusError(http.StatusBadRequest, "The query string is malformed.")
	}
	problems := map[string][]string{}
	var unknown []string
	for name, vals := range q {
		switch {
		case !slices.Contains(o.params, name):
			unknown = append(unknown, name)
		case len(vals) > 1:
			problems[name] = append(problems[name], "may be given only once")
		case len(vals[0]) > directory.MaxFilterBytes:
			problems[name] = append(problems[name], directory.MsgFilterBytes)
		}
	}
	left := addUnknown(problems, unknown, "parameter")
	c.query, c.queryProblems, c.queryNote = q, problems, notListed(left, "parameter")
	if len(problems) > 0 && len(o.params) == 0 {
		return c.badQuery()
	}
	// An operation that takes parameters reports these problems with
	// those it finds in their values, all at once.
	return nil
}

// badQuery reports the query string's problems, those checkRequest found
// and those the handler added to them, as one 400.
func (c *call) badQuery() error {
	return &apiError{status: http.StatusBadRequest, msg: msgBadQuery + c.queryNote, fields: c.queryProblems}
}

// maxNamed bounds how many unknown names (query parameters or body fields)
// an error names, so that no request can balloon its response.
const maxNamed = 10

// addUnknown records each unknown name as a problem of its own, naming at
// most maxNamed of them (the first in sorted order) and cutting long names
// short. It returns how many it left out.
func addUnknown(problems map[string][]string, unknown []string, what string) int {
	slices.Sort(unknown)
	named := unknown[:min(len(unknown), maxNamed)]
	for _, n := range named {
		problems[shortName(n)] = append(problems[shortName(n)], "is not a recognized "+what)
	}
	return len(unknown) - len(named)
}

// notListed phrases the unknown names addUnknown left out, for a message.
func notListed(n int, what string) string {
	if n == 0 {
		return ""
	}
	return " " + strconv.Itoa(n) + " more unrecognized " + what + "s are not listed."
}

// shortName cuts a client-supplied name to at most 64 characters.
func shortName(s string) string {
	const limit = 64
	if r := []rune(s); len(r) > limit {
		return string(r[:limit]) + "…"
	}
	return s
}
