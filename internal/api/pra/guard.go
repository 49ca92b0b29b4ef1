package pra

import (
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/gatehouse/gatehouse/internal/auth"
	"github.com/gatehouse/gatehouse/internal/directory"
	"github.com/gatehouse/gatehouse/internal/httpx"
)

// op is one method of one path.
type op struct {
	h handler
	// params are the query parameters the operation accepts; any other is
	// refused with 401, as PRA does.
	params []string
	// accept lists the media types the answer can take (default JSON).
	accept []string
}

// handler does the work of an operation; fail renders what it returns.
type handler func(c *call) error

var jsonTypes = []string{"application/json"}

const unauthenticatedBody = `{"error":"access_denied","message":"The resource owner or authorization server denied the request."}`

// guard runs what every operation shares, in PRA's order: authentication
// (401, 429), permission (403), content negotiation (406) and unknown query
// parameters (401); then the handler, with the account as the audit actor.
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
		if !p.Can(auth.Configuration, write) {
			msg := "This API account is not permitted to use the Configuration API."
			if write && p.Can(auth.Configuration, false) {
				msg = "This API account may only read through the Configuration API."
			}
			writeError(w, http.StatusForbidden, msg, nil)
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

// refuse is auth.Bearer's 401 and 429 as PRA answers them: its 401 is the
// appliance's OAuth body, whatever the reason.
func refuse(w http.ResponseWriter, status int, msg string) {
	if status == http.StatusUnauthorized {
		writeJSON(w, status, []byte(unauthenticatedBody))
		return
	}
	writeError(w, status, msg, nil)
}

// checkRequest refuses an Accept the answer cannot satisfy and query
// parameters the operation does not know.
func (c *call) checkRequest(o op, accept []string) error {
	if !httpx.Acceptable(c.r, accept...) {
		return statusError(http.StatusNotAcceptable, "This resource can only be returned as "+strings.Join(accept, " or ")+".")
	}
	if c.r.URL.RawQuery == "" {
		return nil
	}
	q, err := url.ParseQuery(c.r.URL.RawQuery)
	if err != nil {
		// A query that does not parse cannot be trusted in part.
		return &apiError{status: http.StatusUnprocessableEntity, msg: "The query string is malformed.", fields: map[string][]string{}}
	}
	var unknown []string
	for name := range q {
		if !slices.Contains(o.params, name) {
			unknown = append(unknown, name)
		}
	}
	if len(unknown) > 0 {
		slices.Sort(unknown)
		return statusError(http.StatusUnauthorized, "Unrecognized query string parameters: "+httpx.QuoteNames(unknown)+".")
	}
	c.query = q
	return nil
}
