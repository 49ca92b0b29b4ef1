package filter

import (
	"encoding/json"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/gatehouse/gatehouse/internal/api/scim/schema"
)

// comparand checks that op applies to attribute a (named name in errors)
// and converts the filter's literal v to what a's values compare with: a
// string, bool, int64, float64 or time.Time, or nil for null. RFC 7644
// §3.4.2.2: co, sw and ew compare strings; gt, ge, lt and le do not apply
// to booleans and binary; null is only equal or not equal to a value.
func comparand(name string, a *schema.Attribute, op Op, v any) (any, error) {
	if v == nil {
		if op != Eq && op != Ne {
			return nil, invalid("operator %s cannot compare with null; use eq null, ne null or pr", op)
		}
		return nil, nil
	}
	switch a.Type {
	case schema.Boolean, schema.Binary:
		if op != Eq && op != Ne {
			return nil, invalid("operator %s does not apply to %s %s", op, a.Type, name)
		}
	case schema.Integer, schema.Decimal, schema.DateTime:
		if op == Co || op == Sw || op == Ew {
			return nil, invalid("operator %s does not apply to %s %s", op, a.Type, name)
		}
	}
	switch a.Type {
	case schema.String, schema.Reference, schema.Binary:
		if s, ok := v.(string); ok {
			return s, nil
		}
		return nil, invalid("expected a string for %s", name)
	case schema.Boolean:
		if b, ok := v.(bool); ok {
			return b, nil
		}
		return nil, invalid("expected true or false for %s", name)
	case schema.Integer:
		if n, ok := v.(json.Number); ok {
			if i, err := strconv.ParseInt(n.String(), 10, 64); err == nil {
				return i, nil
			}
		}
		return nil, invalid("expected an integer for %s", name)
	case schema.Decimal:
		if n, ok := v.(json.Number); ok {
			if f, err := n.Float64(); err == nil && !math.IsInf(f, 0) {
				return f, nil
			}
		}
		return nil, invalid("expected a number for %s", name)
	case schema.DateTime:
		if s, ok := v.(string); ok {
			if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
				return t, nil
			}
		}
		return nil, invalid("expected an RFC 3339 date-time such as \"2024-01-02T03:04:05Z\" for %s", name)
	}
	return nil, invalid("%s cannot be compared", name)
}

func invalid(format string, args ...any) *schema.Error {
	return schema.BadRequest(schema.InvalidFilter, format, args...)
}

// holds reports whether a value have of attribute a satisfies op against
// want, a comparand. A value of the wrong type (a document holding a
// number where the schema says string) matches nothing but ne.
func holds(a *schema.Attribute, op Op, have, want any) bool {
	c, ok := order(a, have, want)
	if op == Ne {
		return !ok || c != 0
	}
	if !ok {
		return false
	}
	switch op {
	case Eq:
		return c == 0
	case Gt:
		return c > 0
	case Ge:
		return c >= 0
	case Lt:
		return c < 0
	case Le:
		return c <= 0
	case Co, Sw, Ew:
		h, w := fold(a, have.(string)), fold(a, want.(string))
		switch op {
		case Co:
			return strings.Contains(h, w)
		case Sw:
			return strings.HasPrefix(h, w)
		}
		return strings.HasSuffix(h, w)
	}
	return false
}

// order compares have with want: -1, 0 or 1, and whether they are
// comparable at all. Booleans are only equal or not (c is 0 or 1).
func order(a *schema.Attribute, have, want any) (int, bool) {
	switch w := want.(type) {
	case string:
		h, ok := have.(string)
		if !ok {
			return 0, false
		}
		return strings.Compare(fold(a, h), fold(a, w)), true
	case bool:
		h, ok := boolOf(have)
		if !ok {
			return 0, false
		}
		if h == w {
			return 0, true
		}
		return 1, true
	case int64:
		// Exact for ids and counts beyond float64's 53 bits.
		if h, ok := intOf(have); ok {
			return cmpInt(h, w), true
		}
		h, ok := numberOf(have)
		if !ok {
			return 0, false
		}
		return cmpFloat(h, float64(w)), true
	case float64:
		h, ok := numberOf(have)
		if !ok {
			return 0, false
		}
		wf, _ := numberOf(w)
		return cmpFloat(h, wf), true
	case time.Time:
		h, ok := timeOf(have)
		if !ok {
			return 0, false
		}
		return h.Compare(w), true
	}
	return 0, false
}

// fold lower-cases ASCII letters for a case-insensitive attribute: the
// folding the directory applies in SQL, so that a value filter in PATCH
// and a list filter agree on what matches.
func fold(a *schema.Attribute, s string) string {
	if a.CaseExact {
		return s
	}
	return strings.Map(func(r rune) rune {
		if 'A' <= r && r <= 'Z' {
			return r + 'a' - 'A'
		}
		return r
	}, s)
}

// Documents hold values from JSON (json.Number, float64) or from Go
// (int, int64, time.Time); the helpers accept each.

func boolOf(v any) (bool, bool) {
	b, ok := v.(bool)
	return b, ok
}

func numberOf(v any) (float64, bool) {
	switch x := v.(type) {
	case json.Number:
		f, err := x.Float64()
		return f, err == nil
	case float64:
		return x, true
	case int:
		return float64(x), true
	case int64:
		return float64(x), true
	}
	return 0, false
}

func intOf(v any) (int64, bool) {
	switch x := v.(type) {
	case json.Number:
		i, err := x.Int64()
		return i, err == nil
	case int:
		return int64(x), true
	case int64:
		return x, true
	}
	return 0, false
}

func cmpInt(a, b int64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

func cmpFloat(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

func timeOf(v any) (time.Time, bool) {
	switch x := v.(type) {
	case time.Time:
		return x, true
	case string:
		t, err := time.Parse(time.RFC3339Nano, x)
		return t, err == nil
	}
	return time.Time{}, false
}
