package admin

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
	// refused, so that a misspelt filter cannot widen what a script reads.
	params []string
	// accept lists the media types the answer can take (default JSON).
	accept []string
}

// handler does the work of an operation; fail renders what it returns.
type handler func(c *call) error

var jsonTypes = []string{"application/json"}

const msgForbidden = "Reading the audit log takes an API account with full Configuration access, through a token of the full_access scope."

// guard runs what every operation shares, in this order: authentication
// (401, 429), permission (403), content negotiation (406) and the query
// string (400); then the handler. Reading changes nothing, so the account
// is named as the actor only for the access log.
func (a *api) guard(o op) http.Handler {
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
		httpx.SetPrincipal(r.Context(), p.Actor().String())
		if !p.Can(auth.Audit, false) {
			writeError(w, http.StatusForbidden, msgForbidden, nil)
			return
		}
		c := &call{a: a, w: w, r: r}
		if err := c.checkRequest(o, accept); err != nil {
			a.fail(w, r, err)
			return
		}
		if err := o.h(c); err != nil {
			a.fail(w, r, err)
		}
	}))
}

// refuse is auth.Bearer's 401 and 429 in this face's error shape.
func refuse(w http.ResponseWriter, status int, msg string) { writeError(w, status, msg, nil) }

// checkRequest refuses an Accept the answer cannot satisfy and a query
// string the operation does not take: malformed, with unknown parameters,
// or with one given twice (which value would count is a guess).
func (c *call) checkRequest(o op, accept []string) error {
	if !httpx.Accepts(c.r.Header, accept...) {
		return statusError(http.StatusNotAcceptable, "This resource can only be returned as "+strings.Join(accept, " or ")+".")
	}
	q, err := url.ParseQuery(c.r.URL.RawQuery)
	if err != nil {
		return statusError(http.StatusBadRequest, "The query string is malformed.")
	}
	var unknown []string
	problems := map[string][]string{}
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
	if len(unknown) > 0 {
		slices.Sort(unknown)
		return statusError(http.StatusBadRequest, "Unrecognized query string parameters: "+httpx.QuoteNames(unknown)+
			". This operation takes: "+strings.Join(o.params, ", ")+".")
	}
	if len(problems) > 0 {
		return badQuery(problems)
	}
	c.query = q
	return nil
}
