package pra

import (
	"context"
	"math"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/gatehouse/gatehouse/internal/directory"
	"github.com/gatehouse/gatehouse/internal/httpx"
)

// call is one authenticated request.
type call struct {
	a     *api
	w     http.ResponseWriter
	r     *http.Request
	query url.Values // nil when the request has no query string
}

func (c *call) ctx() context.Context { return c.r.Context() }

// url returns the absolute URL of a path under the face's prefix.
func (c *call) url(path string) string { return httpx.Origin(c.r, c.a.publicURL) + prefix + path }

// msgObjectID phrases what PRA's ObjectId must be.
const msgObjectID = "must be an integer between 1 and 2147483647"

// parseID reads a decimal ObjectId: digits only, 1..2147483647.
func parseID(s string) (int64, bool) {
	if s == "" || len(s) > 10 || strings.TrimLeft(s, "0123456789") != "" {
		return 0, false
	}
	n, err := strconv.ParseInt(s, 10, 64)
	return n, err == nil && n >= 1 && n <= math.MaxInt32
}

// ids reads the named path ids, reporting every malformed one at once.
func (c *call) ids(names ...string) ([]int64, error) {
	out := make([]int64, len(names))
	var problems map[string][]string
	for i, name := range names {
		n, ok := parseID(c.r.PathValue(name))
		if !ok {
			if problems == nil {
				problems = map[string][]string{}
			}
			problems[name] = []string{msgObjectID}
		}
		out[i] = n
	}
	if problems != nil {
		return nil, invalid(problems)
	}
	return out, nil
}

// id reads the path id "id".
func (c *call) id() (int64, error) {
	ids, err := c.ids("id")
	if err != nil {
		return 0, err
	}
	return ids[0], nil
}

// body reads and decodes the request body: unknown fields are a 401, type
// errors and missing required fields a 422 naming each.
func (c *call) body(s *httpx.Schema, required ...string) (*httpx.Values, error) {
	return c.checkedBody(s, nil, required...)
}

// checkedBody is body with rules: they run on the fields that decoded, even
// beside type errors and missing fields, so that one 422 names every
// invalid field, not just the first kind found.
func (c *call) checkedBody(s *httpx.Schema, rules func(*httpx.Values) directory.Problems, required ...string) (*httpx.Values, error) {
	obj, err := httpx.ReadObject(c.w, c.r, c.a.maxBody)
	if err != nil {
		return nil, err
	}
	v := s.Decode(obj)
	if len(v.Unknown) > 0 {
		return nil, statusError(http.StatusUnauthorized, "Unrecognized fields in the request body: "+httpx.QuoteNames(v.Unknown)+".")
	}
	for _, name := range required {
		if _, sent := obj[name]; !sent {
			v.Problems[name] = append(v.Problems[name], directory.MsgRequired)
		}
	}
	if rules != nil {
		for field, msgs := range rules(v) {
			if _, typeErr := v.Problems[wireName(field)]; !typeErr {
				v.Problems[wireName(field)] = msgs
			}
		}
	}
	if len(v.Problems) > 0 {
		return nil, invalid(v.Problems)
	}
	return v, nil
}

// sameID is the rule that a body's copy of the path's id, when sent, is
// that id.
func sameID(field string, id int64, msg string) func(*httpx.Values) directory.Problems {
	return func(v *httpx.Values) directory.Problems {
		if n, ok := v.Int(field); ok && n != id {
			return directory.Problems{field: {msg}}
		}
		return nil
	}
}

// respond writes a JSON answer built by fn.
func (c *call) respond(status int, fn func(*httpx.JSON)) error {
	j := httpx.NewJSON()
	defer j.Release()
	fn(j)
	writeJSON(c.w, status, j.Bytes())
	return nil
}

// created answers 201 with the new resource and its URL in Location.
func (c *call) created(path string, fn func(*httpx.JSON)) error {
	c.w.Header().Set("Location", c.url(path))
	return c.respond(http.StatusCreated, fn)
}

// noContent answers 204.
func (c *call) noContent() error {
	c.w.WriteHeader(http.StatusNoContent)
	return nil
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// set copies a decoded field into a directory change when the body has it.
func set[T any](dst *directory.Set[T], get func(string) (T, bool), name string) {
	if v, ok := get(name); ok {
		*dst = directory.To(v)
	}
}
