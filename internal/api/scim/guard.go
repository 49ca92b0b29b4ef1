package scim

import (
	"errors"
	"net/http"
	"strconv"

	"github.com/gatehouse/gatehouse/internal/auth"
	"github.com/gatehouse/gatehouse/internal/directory"
	"github.com/gatehouse/gatehouse/internal/httpx"
)

// guard runs what every operation shares: authentication (401, 429), the
// SCIM permission (403), content negotiation (406); then the handler, with
// the API account as the audit actor.
func (a *api) guard(o op) http.Handler {
	return a.recover(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if o.access != public {
			p, rate, err := a.auth.Authenticate(r)
			secs := rate.SetHeaders(w.Header(), errors.Is(err, auth.ErrRateLimited))
			switch {
			case errors.Is(err, auth.ErrUnauthenticated):
				w.Header().Set("WWW-Authenticate", `Bearer realm="scim"`)
				writeError(w, r, &scimError{status: http.StatusUnauthorized, detail: msgUnauthenticated})
				return
			case errors.Is(err, auth.ErrRateLimited):
				writeError(w, r, &scimError{status: http.StatusTooManyRequests,
					detail: "Too many requests: retry after " + strconv.FormatInt(secs, 10) + " seconds."})
				return
			case err != nil:
				a.fail(w, r, err)
				return
			}
			if !p.Can(auth.SCIM, false) {
				writeError(w, r, &scimError{status: http.StatusForbidden, detail: "This API account is not permitted to use SCIM."})
				return
			}
			if o.access == writeAccess && !p.Can(auth.SCIM, true) {
				writeError(w, r, &scimError{status: http.StatusForbidden,
					detail: "This token is read-only (scope read_only): it may read SCIM resources but not change them."})
				return
			}
			actor := p.Actor()
			ctx := directory.WithActor(r.Context(), actor)
			httpx.SetPrincipal(ctx, actor.String())
			r = r.WithContext(ctx)
		}
		c := &call{a: a, w: w, r: r}
		if !httpx.Accepts(r.Header, scimJSON, plainJSON) && !c.isDocument() {
			writeError(w, r, &scimError{status: http.StatusNotAcceptable,
				detail: "This resource can only be returned as application/scim+json or application/json."})
			return
		}
		// A query string that does not parse is refused before anything
		// is done, not after a write has been made.
		if _, err := c.params(); err != nil {
			a.fail(w, r, err)
			return
		}
		if err := o.h(c); err != nil {
			a.fail(w, c.r, err)
		}
	}))
}

// isDocument reports whether the request is for the OpenAPI document,
// which has a media type of its own.
func (c *call) isDocument() bool { return c.r.URL.Path == prefix+"/openapi.yaml" }
