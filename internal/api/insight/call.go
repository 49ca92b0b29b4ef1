package insight

import (
	"context"
	"encoding/json"
	"math"
	"net/http"
	"strconv"
	"strings"

	"github.com/gatehouse/gatehouse/internal/auth"
	"github.com/gatehouse/gatehouse/internal/directory"
	"github.com/gatehouse/gatehouse/internal/httpx"
)

// call is one request, with who it is signed in as (zero for public
// operations).
type call struct {
	a   *api
	w   http.ResponseWriter
	r   *http.Request
	who auth.Insight
	// cached is the body once read, for operations that read it in two
	// steps (POST Users reads UserType first).
	cached map[string]json.RawMessage
}

func (c *call) ctx() context.Context { return c.r.Context() }

// id reads a path id: digits only, 1..2147483647.
func (c *call) id(name string) (int64, error) {
	s := c.r.PathValue(name)
	if s != "" && len(s) <= 10 && strings.TrimLeft(s, "0123456789") == "" {
		if n, err := strconv.ParseInt(s, 10, 64); err == nil && n >= 1 && n <= math.MaxInt32 {
			return n, nil
		}
	}
	return 0, badRequest("The id in the path must be an integer between 1 and 2147483647.")
}

// schema declares a body's fields by their wire names; they match the
// body's property names without regard to case, and names it does not
// declare are ignored, as BeyondInsight ignores them.
type schema struct {
	s     *httpx.Schema
	names map[string]string // lower case → wire name
	// rules, when set, are the directory's rules for the fields that
	// decoded: they run alongside type and presence errors, so that one
	// 400 names every invalid field, not only the first kind found.
	rules func(body) directory.Problems
}

// withRules sets the schema's directory rules.
func (s *schema) withRules(rules func(body) directory.Problems) *schema {
	s.rules = rules
	return s
}

func newSchema(fields ...httpx.Field) *schema {
	sc := &schema{names: map[string]string{}}
	for i, f := range fields {
		sc.names[strings.ToLower(f.Name)] = f.Name
		fields[i].Name = strings.ToLower(f.Name)
	}
	sc.s = httpx.NewSchema(fields...)
	return sc
}

// body is a decoded request body.
type body struct {
	v *httpx.Values
}

func (b body) has(name string) bool { return b.v.Has(strings.ToLower(name)) }

func (b body) str(name string) (string, bool) { return b.v.String(strings.ToLower(name)) }

func (b body) int(name string) (int64, bool) { return b.v.Int(strings.ToLower(name)) }

func (b body) bool(name string) (bool, bool) { return b.v.Bool(strings.ToLower(name)) }

func (b body) ints(name string) ([]int64, bool) { return b.v.Ints(strings.ToLower(name)) }

// object reads the body as one JSON object with lower-cased member names;
// two names that differ only in case are one name given twice.
func (c *call) object() (map[string]json.RawMessage, error) {
	if c.cached != nil {
		return c.cached, nil
	}
	obj, err := httpx.ReadObject(c.w, c.r, c.a.maxBody)
	if err != nil {
		return nil, err
	}
	out := make(map[string]json.RawMessage, len(obj))
	seen := make(map[string]bool, len(obj)) // nulls too, which out leaves out
	for k, v := range obj {
		lk := strings.ToLower(k)
		if seen[lk] {
			// Named in lower case: which spelling came second is not known
			// (the members are a map), and the message must not vary.
			return nil, badRequest("The request body names the field " + httpx.QuoteName(lk) + " more than once.")
		}
		seen[lk] = true
		// null is how clients leave an optional field out.
		if string(v) != "null" {
			out[lk] = v
		}
	}
	return out, nil
}

// body reads the body against s: type errors and missing (or empty)
// required fields are one 400 naming each.
func (c *call) body(s *schema, required ...string) (body, map[string]json.RawMessage, error) {
	obj, err := c.object()
	if err != nil {
		return body{}, nil, err
	}
	v := s.s.Decode(obj)
	for _, name := range required {
		// An empty string gives a required field no value either.
		if raw, sent := obj[strings.ToLower(name)]; !sent || string(raw) == `""` {
			v.Problems[strings.ToLower(name)] = append(v.Problems[strings.ToLower(name)], "field is required")
		}
	}
	if len(v.Problems) > 0 {
		if s.rules != nil {
			for field, msgs := range s.rules(body{v: v}) {
				if k := strings.ToLower(wireName(field)); v.Problems[k] == nil {
					v.Problems[k] = msgs
				}
			}
		}
		return body{}, nil, badRequest(fieldMessage(v.Problems, func(f string) string {
			if n, ok := s.names[f]; ok {
				return n
			}
			return wireName(f)
		}))
	}
	return body{v: v}, obj, nil
}

// respond writes a JSON answer built by fn.
func (c *call) respond(status int, fn func(*httpx.JSON)) error {
	j := httpx.NewJSON()
	defer j.Release()
	fn(j)
	writeJSON(c.w, status, j.Bytes())
	return nil
}

// ok answers 200 with no body, as BeyondInsight's deletes do.
func (c *call) ok() error {
	c.w.Header().Set("Content-Length", "0")
	c.w.WriteHeader(http.StatusOK)
	return nil
}
