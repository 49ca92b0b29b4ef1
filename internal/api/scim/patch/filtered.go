package patch

import (
	"github.com/gatehouse/gatehouse/internal/api/scim/filter"
	"github.com/gatehouse/gatehouse/internal/api/scim/schema"
)

// filtered applies op to the values of a multi-valued attribute that a
// value filter selects, or to one sub-attribute of each.
func (a *applier) filtered(op string, t target, v any) error {
	p := t.path
	if p.Attr.Mutability == schema.ReadOnly {
		return mutability("%s is readOnly", p)
	}
	c := a.container(p.Schema, true)
	cur := clone(list(get(c, p.Attr.Name))).([]any)
	var hits []int
	for i, x := range cur {
		if t.match(x) {
			hits = append(hits, i)
		}
	}
	where := p.String() + "[" + filter.Format(t.expr) + "]"
	if len(hits) == 0 && op == Remove {
		return noTarget("no value of %s matches %s", p, where)
	}
	var next []any
	var err error
	if t.sub == nil {
		next, err = a.filteredValues(op, t, v, cur, hits, where)
	} else {
		next, err = a.filteredSub(op, t, v, cur, hits, where)
	}
	if err != nil {
		return err
	}
	if primaries(next) > 1 {
		return badValue("more than one value of %s is primary", p)
	}
	if p.Attr.Required && len(next) == 0 {
		return checkUnset(p.Attr.Mutability, p, cur)
	}
	set(c, p.Attr.Name, next)
	return nil
}

// filteredValues replaces (or, for add, merges into) or removes whole
// selected values.
func (a *applier) filteredValues(op string, t target, v any, cur []any, hits []int, where string) ([]any, error) {
	p := t.path
	if op == Remove || clears(v) {
		return drop(cur, hits), nil // a whole value goes, immutable parts and all
	}
	nv, _, err := element(p.Attr, where, v, false)
	if err != nil {
		return nil, err
	}
	if len(hits) == 0 {
		base, ok := valueOf(t.expr, p.Attr)
		if !ok {
			return nil, noTarget("no value of %s matches %s", p, where)
		}
		cur = append(cur, merged(base, nv))
		hits = []int{len(cur) - 1}
	} else {
		for _, i := range hits {
			next := nv
			if op == Add {
				next = merged(object(cur[i]), nv)
			}
			if err := keepsImmutable(p, cur[i], next); err != nil {
				return nil, err
			}
			cur[i] = clone(next)
		}
	}
	made := 0
	for _, i := range hits {
		if isPrimary(cur[i]) {
			made++
			cur = onlyPrimary(cur, i)
		}
	}
	if made > 1 {
		return nil, badValue("%s selects %d values; only one can be primary", where, len(hits))
	}
	return cur, nil
}

// filteredSub sets or removes one sub-attribute of the selected values.
func (a *applier) filteredSub(op string, t target, v any, cur []any, hits []int, where string) ([]any, error) {
	p := t.path.WithSub(t.sub)
	mut := effective(t.path.Attr, t.sub)
	if op == Remove || clears(v) {
		for _, i := range hits {
			if err := checkUnset(mut, p, get(object(cur[i]), t.sub.Name)); err != nil {
				return nil, err
			}
			m := object(cur[i])
			del(m, t.sub.Name)
			if hollow(t.path.Attr, m) {
				cur[i] = nil
			}
		}
		return compact(cur), nil
	}
	nv, err := value(t.sub, p.String(), v, true)
	if err != nil {
		return nil, err
	}
	if len(hits) == 0 {
		base, ok := valueOf(t.expr, t.path.Attr)
		if !ok {
			return nil, noTarget("no value of %s matches %s", t.path, where)
		}
		if mut == schema.ReadOnly {
			return nil, mutability("%s is readOnly", p)
		}
		set(base, t.sub.Name, nv)
		cur = append(cur, base)
		hits = []int{len(cur) - 1}
	}
	for _, i := range hits {
		m := object(cur[i])
		if m == nil {
			return nil, badValue("a value of %s is not an object", t.path)
		}
		if err := checkChange(mut, p, get(m, t.sub.Name), nv); err != nil {
			return nil, err
		}
		if mut != schema.ReadOnly {
			set(m, t.sub.Name, nv)
		}
	}
	if isPrimary(map[string]any{t.sub.Name: nv}) {
		if len(hits) > 1 {
			return nil, badValue("%s selects %d values; only one can be primary", where, len(hits))
		}
		cur = onlyPrimary(cur, hits[0])
	}
	return cur, nil
}

// keepsImmutable refuses to change or remove an immutable sub-attribute
// of a selected value: members[value eq "5"].value cannot become "6".
func keepsImmutable(p schema.Path, cur, next any) error {
	for _, sub := range p.Attr.SubAttributes {
		if sub.Mutability == schema.Immutable {
			if err := checkChange(sub.Mutability, p.WithSub(sub), get(object(cur), sub.Name), get(object(next), sub.Name)); err != nil {
				return err
			}
		}
	}
	return nil
}

// valueOf makes the value a filter describes, when it is eq terms joined
// by and: emails[type eq "work"] describes {"type": "work"}. Entra ID adds
// values by replacing emails[type eq "work"].value when there is none.
func valueOf(e filter.Expr, a *schema.Attribute) (map[string]any, bool) {
	m := map[string]any{}
	var walk func(filter.Expr) bool
	walk = func(e filter.Expr) bool {
		switch x := e.(type) {
		case filter.And:
			for _, y := range x {
				if !walk(y) {
					return false
				}
			}
			return true
		case filter.Test:
			sub := a.SubAttribute(x.Path.Name)
			if x.Op != filter.Eq || x.Value == nil || sub == nil || sub.Mutability == schema.ReadOnly {
				return false
			}
			v, err := value(sub, sub.Name, x.Value, false)
			if err != nil {
				return false
			}
			if old := get(m, sub.Name); old != nil && !equalValue(sub, old, v) {
				return false // type eq "work" and type eq "home"
			}
			m[sub.Name] = v
			return true
		}
		return false
	}
	return m, walk(e)
}

func merged(base, over map[string]any) map[string]any {
	m := make(map[string]any, len(base)+len(over))
	for k, v := range base {
		m[k] = v
	}
	for k, v := range over {
		set(m, k, v)
	}
	return m
}

func drop(xs []any, idx []int) []any {
	for _, i := range idx {
		xs[i] = nil
	}
	return compact(xs)
}

func compact(xs []any) []any {
	var out []any
	for _, x := range xs {
		if x != nil {
			out = append(out, x)
		}
	}
	return out
}

// hollow reports a value left with nothing but its labels (type, primary,
// display) after a sub-attribute's removal: Entra ID clears a phone number
// by removing phoneNumbers[type eq "mobile"].value, and a number with no
// number is no value at all.
func hollow(a *schema.Attribute, m map[string]any) bool {
	for k, v := range m {
		switch sub := a.SubAttribute(k); {
		case blank(v):
		case sub != nil && (sub.Name == "type" || sub.Name == "primary" || sub.Name == "display"):
		default:
			return false
		}
	}
	return true
}
