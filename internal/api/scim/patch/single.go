package patch

import "github.com/gatehouse/gatehouse/internal/api/scim/schema"

// simple applies op to a single-valued simple attribute: add and replace
// set it (RFC 7644 §§3.5.2.1, 3.5.2.3), remove unsets it.
func (a *applier) simple(op string, p schema.Path, v any) error {
	if op == Remove || clears(v) {
		return a.unset(p)
	}
	nv, err := value(p.Attr, p.String(), v, true)
	if err != nil {
		return err
	}
	c := a.container(p.Schema, true)
	if err := checkChange(p.Attr.Mutability, p, get(c, p.Attr.Name), nv); err != nil || p.Attr.Mutability == schema.ReadOnly {
		return err // a readOnly attribute "changed" to its own value: nothing to do
	}
	set(c, p.Attr.Name, nv)
	return nil
}

// complex applies op to a single-valued complex attribute as a whole.
// add and replace both change only the sub-attributes the value names
// (RFC 7644 §3.5.2.3: "Sub-attributes that are not specified in the value
// parameter are left unchanged"), except that a bare value, which names
// only value, replaces the attribute: Entra ID sends a new manager so,
// and the old manager's displayName must not stay.
func (a *applier) complex(op string, p schema.Path, v any) error {
	if op == Remove || clears(v) {
		return a.unset(p)
	}
	readOnly := p.Attr.Mutability == schema.ReadOnly
	nv, wrapped, err := element(p.Attr, p.String(), v, readOnly)
	if err != nil {
		return err
	}
	c := a.container(p.Schema, true)
	cur := object(get(c, p.Attr.Name))
	next := map[string]any{}
	if !wrapped {
		for k, x := range cur {
			next[k] = x
		}
	}
	for k, x := range nv {
		next[k] = x
	}
	if readOnly {
		if !equal(p.Attr, cur, next) {
			return mutability("%s is readOnly", p)
		}
		return nil
	}
	for _, sub := range p.Attr.SubAttributes {
		if sub.Mutability != schema.Immutable {
			continue
		}
		if err := checkChange(sub.Mutability, p.WithSub(sub), get(cur, sub.Name), get(next, sub.Name)); err != nil {
			return err
		}
	}
	set(c, p.Attr.Name, next)
	return nil
}

// subAttr applies op to a sub-attribute of a single-valued complex
// attribute: name.givenName, manager.value.
func (a *applier) subAttr(op string, p schema.Path, v any) error {
	mut := effective(p.Attr, p.Sub)
	c := a.container(p.Schema, false)
	parent := object(get(c, p.Attr.Name))
	if op == Remove || clears(v) {
		if err := checkUnset(mut, p, get(parent, p.Sub.Name)); err != nil {
			return err
		}
		if parent != nil {
			parent = clone(parent).(map[string]any)
			del(parent, p.Sub.Name)
			set(c, p.Attr.Name, parent)
		}
		return nil
	}
	nv, err := value(p.Sub, p.String(), v, true)
	if err != nil {
		return err
	}
	if err := checkChange(mut, p, get(parent, p.Sub.Name), nv); err != nil || mut == schema.ReadOnly {
		return err
	}
	c = a.container(p.Schema, true)
	next := map[string]any{}
	for k, x := range parent {
		next[k] = x
	}
	set(next, p.Sub.Name, nv)
	set(c, p.Attr.Name, next)
	return nil
}

// unset removes a top-level attribute, or every attribute of a schema.
// RFC 7644 §3.5.2.2: removing a required or readOnly attribute is
// mutability.
func (a *applier) unset(p schema.Path) error {
	c := a.container(p.Schema, false)
	if err := checkUnset(p.Attr.Mutability, p, get(c, p.Attr.Name)); err != nil {
		return err
	}
	if c != nil {
		del(c, p.Attr.Name)
	}
	return nil
}

// checkUnset refuses to unassign a required or readOnly attribute, or an
// immutable one that has a value.
func checkUnset(mut string, p schema.Path, cur any) error {
	switch {
	case p.Leaf().Required:
		return mutability("%s is required and cannot be removed", p)
	case mut == schema.ReadOnly:
		return mutability("%s is readOnly", p)
	case mut == schema.Immutable && !blank(cur):
		return mutability("%s is immutable and has a value", p)
	}
	return nil
}

// checkChange refuses to change a readOnly attribute, or an immutable one
// that has a value (RFC 7643 §2.2; RFC 7644 §3.5.2 lets an immutable
// attribute without a value be added). Setting either to the value it
// has is no change.
func checkChange(mut string, p schema.Path, cur, next any) error {
	switch {
	case mut == schema.ReadOnly && !equal(p.Leaf(), cur, next):
		return mutability("%s is readOnly", p)
	case mut == schema.Immutable && !blank(cur) && !equal(p.Leaf(), cur, next):
		return mutability("%s is immutable and has a value", p)
	}
	return nil
}

// effective is a sub-attribute's mutability under its parent's: nothing
// inside a readOnly attribute can change.
func effective(parent, sub *schema.Attribute) string {
	if parent.Mutability == schema.ReadOnly {
		return schema.ReadOnly
	}
	return sub.Mutability
}
