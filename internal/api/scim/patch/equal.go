package patch

import (
	"strings"
	"time"

	"github.com/gatehouse/gatehouse/internal/api/scim/schema"
)

// equal reports whether x and y are the same value of attribute a, by a's
// schema: strings by caseExact, numbers by value, date-times by instant,
// complex values member by member, multi-valued attributes as sets. An
// absent value equals an empty one. It decides whether a change to a
// readOnly or immutable attribute is a change at all (Okta sends the
// group's own id back in a rename), and which added values are already
// there.
func equal(a *schema.Attribute, x, y any) bool {
	if a.MultiValued {
		xs, ys := list(x), list(y)
		if len(xs) != len(ys) {
			return false
		}
		used := make([]bool, len(ys))
	next:
		for _, xv := range xs {
			for j, yv := range ys {
				if !used[j] && equalValue(a, xv, yv) {
					used[j] = true
					continue next
				}
			}
			return false
		}
		return true
	}
	return equalValue(a, x, y)
}

// equalValue compares one value of a.
func equalValue(a *schema.Attribute, x, y any) bool {
	if blank(x) || blank(y) {
		return blank(x) && blank(y)
	}
	switch a.Type {
	case schema.Complex:
		for _, sub := range a.SubAttributes {
			if !equalValue(sub, get(object(x), sub.Name), get(object(y), sub.Name)) {
				return false
			}
		}
		return object(x) != nil && object(y) != nil
	case schema.String, schema.Reference, schema.Binary:
		xs, ok1 := x.(string)
		ys, ok2 := y.(string)
		if !ok1 || !ok2 {
			return false
		}
		return xs == ys || !a.CaseExact && foldASCII(xs) == foldASCII(ys)
	case schema.Boolean:
		xb, ok1 := asBool(x)
		yb, ok2 := asBool(y)
		return ok1 && ok2 && xb == yb
	case schema.Integer, schema.Decimal:
		xn, ok1 := number(x)
		yn, ok2 := number(y)
		if !ok1 || !ok2 {
			return false
		}
		if xn == yn {
			return true
		}
		xf, _ := xn.Float64()
		yf, _ := yn.Float64()
		return xf == yf
	case schema.DateTime:
		xt, ok1 := asTime(x)
		yt, ok2 := asTime(y)
		return ok1 && ok2 && xt.Equal(yt)
	}
	return false
}

// blank is an unassigned value: absent, null, "", or an empty array or
// object.
func blank(v any) bool {
	s, isString := v.(string)
	return empty(v) || isString && s == ""
}

// foldASCII folds as the directory does, so that PATCH and the store
// agree on which strings are the same.
func foldASCII(s string) string {
	return strings.Map(func(r rune) rune {
		if 'A' <= r && r <= 'Z' {
			return r + 'a' - 'A'
		}
		return r
	}, s)
}

func asBool(v any) (bool, bool) {
	switch x := v.(type) {
	case bool:
		return x, true
	case string:
		switch {
		case strings.EqualFold(x, "true"):
			return true, true
		case strings.EqualFold(x, "false"):
			return false, true
		}
	}
	return false, false
}

func asTime(v any) (time.Time, bool) {
	switch x := v.(type) {
	case time.Time:
		return x, true
	case string:
		t, err := time.Parse(time.RFC3339Nano, x)
		return t, err == nil
	}
	return time.Time{}, false
}
