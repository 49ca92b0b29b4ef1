package patch

import "github.com/gatehouse/gatehouse/internal/api/scim/schema"

// multi applies op to a whole multi-valued attribute: add appends the
// values not already there (RFC 7644 §3.5.2.1), replace replaces them all
// (§3.5.2.3), remove without a value removes them all (§3.5.2.2) and
// with a value removes those values.
func (a *applier) multi(op string, p schema.Path, v any) error {
	switch {
	case op == Remove && v == nil, op == Replace && clears(v):
		return a.unset(p)
	case op == Add && clears(v):
		return nil // nothing to add
	}
	readOnly := p.Attr.Mutability == schema.ReadOnly
	items, err := elements(p.Attr, p.String(), v, readOnly)
	if err != nil {
		return err
	}
	c := a.container(p.Schema, true)
	cur := list(get(c, p.Attr.Name))
	var next []any
	switch op {
	case Remove:
		next = without(p.Attr, cur, items)
	case Add:
		next = clone(cur).([]any)
		for _, x := range items {
			if index(p.Attr, next, x) >= 0 {
				continue // already there (RFC 7644 §3.5.2.1: no change)
			}
			next = append(next, x)
			if isPrimary(x) {
				next = onlyPrimary(next, len(next)-1)
			}
		}
	case Replace:
		for _, x := range items {
			if index(p.Attr, next, x) < 0 {
				next = append(next, x)
			}
		}
	}
	if primaries(next) > 1 {
		return badValue("more than one value of %s is primary", p)
	}
	if readOnly {
		if !equal(p.Attr, cur, next) {
			return mutability("%s is readOnly", p)
		}
		return nil
	}
	if p.Attr.Required && len(next) == 0 {
		return checkUnset(p.Attr.Mutability, p, cur)
	}
	set(c, p.Attr.Name, next)
	return nil
}

// without removes from xs the values that match one of items: by the
// value sub-attribute when the item has one (Entra ID removes members as
// [{"value": "5"}]), else whole.
func without(a *schema.Attribute, xs, items []any) []any {
	var out []any
	for _, x := range xs {
		keep := true
		for _, it := range items {
			if matchesItem(a, x, it) {
				keep = false
				break
			}
		}
		if keep {
			out = append(out, x)
		}
	}
	return out
}

func matchesItem(a *schema.Attribute, x, item any) bool {
	if sub := a.ValueSub(); sub != nil && get(object(item), sub.Name) != nil {
		return equalValue(sub, get(object(x), sub.Name), get(object(item), sub.Name))
	}
	return equalValue(a, x, item)
}

// index returns the index of the value of xs equal to x, or -1.
func index(a *schema.Attribute, xs []any, x any) int {
	for i, y := range xs {
		if equalValue(a, x, y) {
			return i
		}
	}
	return -1
}

func isPrimary(v any) bool {
	b, _ := asBool(get(object(v), "primary"))
	return b
}

func primaries(xs []any) int {
	n := 0
	for _, x := range xs {
		if isPrimary(x) {
			n++
		}
	}
	return n
}

// onlyPrimary makes every value but xs[keep] not primary: RFC 7644
// §3.5.2, "a PATCH operation that sets a value's primary sub-attribute to
// true SHALL cause the server to automatically set primary to false for
// any other values". Not primary is written as no primary member.
func onlyPrimary(xs []any, keep int) []any {
	for i, x := range xs {
		if m := object(x); i != keep && m != nil && isPrimary(m) {
			del(m, "primary")
		}
	}
	return xs
}
