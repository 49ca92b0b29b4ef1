package scim

import (
	"bytes"
	"context"
	"encoding/json"
	"math"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/gatehouse/gatehouse/internal/httpx"
)

// call is one request.
type call struct {
	a     *api
	w     http.ResponseWriter
	r     *http.Request
	query url.Values // parsed on first use
}

func (c *call) ctx() context.Context { return c.r.Context() }

// base is the absolute URL of the face: meta.location and Location start
// with it.
func (c *call) base() string { return httpx.Origin(c.r, c.a.publicURL) + prefix }

// params returns the query parameters; a query string that does not parse
// is refused rather than read in part.
func (c *call) params() (url.Values, error) {
	if c.query != nil {
		return c.query, nil
	}
	q, err := url.ParseQuery(c.r.URL.RawQuery)
	if err != nil {
		return nil, badRequest(typeInvalidValue, "The query string is malformed.")
	}
	c.query = q
	return q, nil
}

// param returns one query parameter, matching its name without regard to
// case as SCIM's parameter names are matched by some clients
// ("startindex"), and whether it was given.
func (c *call) param(name string) (string, bool, error) {
	q, err := c.params()
	if err != nil {
		return "", false, err
	}
	if v, ok := q[name]; ok {
		return v[0], true, nil
	}
	for k, v := range q {
		if strings.EqualFold(k, name) {
			return v[0], true, nil
		}
	}
	return "", false, nil
}

// parseID reads a resource id: Gatehouse's ids are decimal integers, and
// any other string names nothing (ids are opaque to SCIM clients, so it is
// a 404, not a 400).
func parseID(s string) (int64, bool) {
	if s == "" || len(s) > 10 || strings.TrimLeft(s, "0123456789") != "" {
		return 0, false
	}
	n, err := strconv.ParseInt(s, 10, 64)
	return n, err == nil && n >= 1 && n <= math.MaxInt32
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// readObject reads the request body: one JSON object of a JSON media type
// (application/scim+json or application/json), at most limit bytes,
// decoded with its numbers as json.Number so that an integer is told from
// a decimal.
func (c *call) readObject(limit int64) (map[string]any, error) {
	obj, err := httpx.ReadObjectAs(c.w, c.r, limit, scimJSON, plainJSON)
	if err != nil {
		return nil, err
	}
	out := make(map[string]any, len(obj))
	for k, raw := range obj {
		v, err := decodeJSON(raw)
		if err != nil {
			return nil, badRequest(typeInvalidSyntax, "The request body is not valid JSON.")
		}
		out[k] = v
	}
	return out, nil
}

// decodeJSON decodes one valid JSON value with json.Number numbers.
func decodeJSON(raw []byte) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var v any
	err := dec.Decode(&v)
	return v, err
}

// body reads the request body within the face's limit.
func (c *call) body() (map[string]any, error) { return c.readObject(c.a.maxBody) }

// ifMatch reads If-Match: 0 when absent or "*"; a tag that is not one of
// ours (or several tags) matches no version, which is a 412 at once.
func (c *call) ifMatch() (int64, error) {
	v, ok := httpx.IfMatch(c.r.Header)
	if !ok {
		return 0, errPrecondition
	}
	return v, nil
}

// checkVersion refuses a stale If-Match.
func checkVersion(want, have int64) error {
	if want != 0 && want != have {
		return errPrecondition
	}
	return nil
}

// respond writes a SCIM document.
func (c *call) respond(status int, doc map[string]any) error {
	writeJSON(c.w, c.r, status, encode(make([]byte, 0, 1024), doc))
	return nil
}

// resource writes one resource with its ETag, which is its meta.version.
func (c *call) resource(status int, doc map[string]any, version int64) error {
	c.w.Header().Set("ETag", httpx.WeakETag(version))
	return c.respond(status, doc)
}

// created answers 201 with the new resource and its URL in Location.
func (c *call) created(doc map[string]any, location string, version int64) error {
	c.w.Header().Set("Location", location)
	return c.resource(http.StatusCreated, doc, version)
}

// notModified reports whether a GET's If-None-Match names the resource's
// current version, and answers 304 if so (RFC 7644 §3.14).
func (c *call) notModified(version int64) bool {
	inm := strings.TrimSpace(c.r.Header.Get("If-None-Match"))
	if inm == "" {
		return false
	}
	for _, tag := range strings.Split(inm, ",") {
		tag = strings.TrimSpace(tag)
		if tag == "*" || strings.TrimPrefix(tag, "W/") == httpx.ETag(version) {
			h := c.w.Header()
			h.Set("ETag", httpx.WeakETag(version))
			c.w.WriteHeader(http.StatusNotModified)
			return true
		}
	}
	return false
}

// noContent answers 204.
func (c *call) noContent() error {
	c.w.WriteHeader(http.StatusNoContent)
	return nil
}

// weakTag is a version as SCIM writes it in meta.version and ETag.
func weakTag(version int64) string { return httpx.WeakETag(version) }
