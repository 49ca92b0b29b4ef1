package filter

import (
	"strings"

	"github.com/gatehouse/gatehouse/internal/api/scim/schema"
)

// Matcher compiles f, the filter of a value path a[f], into a predicate on
// one value of the multi-valued attribute a. It serves PATCH, which
// selects among one resource's values in memory; lists never filter so.
// Comparisons follow a's schema as Compile's do: caseExact, types, and
// ne matching an absent value. The error is a *schema.Error 400
// invalidFilter when f does not fit a's schema, reported even if a has
// no values to test.
func Matcher(f Expr, a *schema.Attribute) (func(v any) bool, error) {
	switch x := f.(type) {
	case And:
		ps, err := matchers(x, a)
		if err != nil {
			return nil, err
		}
		return func(v any) bool {
			for _, p := range ps {
				if !p(v) {
					return false
				}
			}
			return true
		}, nil
	case Or:
		ps, err := matchers(x, a)
		if err != nil {
			return nil, err
		}
		return func(v any) bool {
			for _, p := range ps {
				if p(v) {
					return true
				}
			}
			return false
		}, nil
	case Not:
		p, err := Matcher(x.X, a)
		if err != nil {
			return nil, err
		}
		return func(v any) bool { return !p(v) }, nil
	case Test:
		return testMatcher(x, a)
	case ValuePath:
		return nil, invalid("value filters cannot nest")
	}
	return nil, invalid("malformed filter")
}

func matchers(xs []Expr, a *schema.Attribute) ([]func(any) bool, error) {
	ps := make([]func(any) bool, len(xs))
	for i, x := range xs {
		p, err := Matcher(x, a)
		if err != nil {
			return nil, err
		}
		ps[i] = p
	}
	return ps, nil
}

func testMatcher(x Test, a *schema.Attribute) (func(any) bool, error) {
	sub, get, err := subAttribute(x.Path, a)
	if err != nil {
		return nil, err
	}
	name := a.Name + "." + sub.Name
	if x.Op == Pr {
		return func(v any) bool { return present(get(v)) }, nil
	}
	want, err := comparand(name, sub, x.Op, x.Value)
	if err != nil {
		return nil, err
	}
	return func(v any) bool {
		have := get(v)
		if want == nil { // eq null: absent; ne null: present
			return present(have) == (x.Op == Ne)
		}
		if _, isString := want.(string); isString && have == nil {
			// The directory stores an absent string as "", and so
			// compares it; in memory the same filter must agree.
			have = ""
		}
		if have == nil {
			return x.Op == Ne
		}
		return holds(sub, x.Op, have, want)
	}, nil
}

// subAttribute resolves a path inside a[…]: a sub-attribute of a complex
// a, or "value" for a value of a simple multi-valued a (RFC 7644
// §3.4.2.2), with the function that reads it from one value.
func subAttribute(p AttrPath, a *schema.Attribute) (*schema.Attribute, func(any) any, error) {
	if p.URI != "" || p.Sub != "" {
		return nil, nil, invalid("inside %s[…] name a sub-attribute of %s, not %s", a.Name, a.Name, p)
	}
	if a.Type != schema.Complex {
		if !strings.EqualFold(p.Name, "value") {
			return nil, nil, invalid("unknown attribute %q", a.Name+"."+p.Name)
		}
		return a, func(v any) any { return v }, nil
	}
	sub := a.SubAttribute(p.Name)
	if sub == nil {
		return nil, nil, invalid("unknown attribute %q", a.Name+"."+p.Name)
	}
	return sub, func(v any) any { return Field(v, sub.Name) }, nil
}

// Field returns the member of a JSON object v named name, matched without
// regard to case, or nil.
func Field(v any, name string) any {
	m, ok := v.(map[string]any)
	if !ok {
		return nil
	}
	if x, ok := m[name]; ok {
		return x
	}
	for k, x := range m {
		if strings.EqualFold(k, name) {
			return x
		}
	}
	return nil
}

// present reports a non-empty value, as pr means (RFC 7644 §3.4.2.2):
// not null, not "", not an empty array or object.
func present(v any) bool {
	switch x := v.(type) {
	case nil:
		return false
	case string:
		return x != ""
	case []any:
		return len(x) > 0
	case map[string]any:
		return len(x) > 0
	}
	return true
}
