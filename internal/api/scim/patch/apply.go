package patch

import (
	"maps"
	"strings"

	"github.com/gatehouse/gatehouse/internal/api/scim/schema"
)

// Apply applies ops in order to doc, the resource as SCIM JSON: attribute
// names as the schema spells them, extension attributes in an object under
// the extension's URN, numbers as json.Number. Paths resolve through r.
// doc changes only if every operation succeeds.
//
// What RFC 7644 §3.5.2 leaves open is decided as Okta and Entra ID need:
//   - add and replace of a single-valued complex attribute change only the
//     sub-attributes the value names (§3.5.2.3), with or without a path;
//     a bare value for one with a value sub-attribute (Entra ID's manager
//     "26") replaces it whole with {"value": "26"};
//   - replace, or add, with "", null or [] removes the target (Entra ID);
//   - attr[filter].sub that matches no value, under add or replace, adds
//     a value made of the filter's eq terms and sub (Entra ID's
//     emails[type eq "work"].value); a filter that is no conjunction of
//     eq terms is noTarget;
//   - remove of a multi-valued attribute with a value removes those
//     values (Entra ID's members), matched by their "value";
//   - a readOnly attribute may be "changed" to the value it has (Okta
//     sends a group's own id in a rename); otherwise, and for an
//     immutable attribute that has a value, the change is mutability;
//   - readOnly sub-attributes inside a value (members' display) are
//     ignored, as in a PUT (§3.5.1), while a path naming one is
//     mutability;
//   - a value made primary makes every other value of its attribute not
//     primary (§3.5.2).
func Apply(doc map[string]any, ops []Operation, r *schema.Resource) error {
	a := &applier{doc: clone(doc).(map[string]any), r: r}
	// Errors are not numbered: a face may pass the operations Members
	// left, whose positions are not the request's; details name the path.
	for _, op := range ops {
		if err := op.check(); err != nil {
			return err
		}
		if err := a.apply(op); err != nil {
			return err
		}
	}
	a.tidy()
	clear(doc)
	maps.Copy(doc, a.doc)
	return nil
}

type applier struct {
	doc map[string]any
	r   *schema.Resource
}

func (a *applier) apply(op Operation) error {
	if op.Path == "" {
		return a.object(op.Op, a.r.Core, op.Value.(map[string]any))
	}
	if s := a.r.Schema(op.Path); s != nil {
		return a.wholeSchema(op, s)
	}
	t, err := a.resolve(op.Path)
	if err != nil {
		return err
	}
	return a.target(op.Op, t, op.Value)
}

// object applies add or replace of an object of attributes to schema s:
// the value of a PATCH without a path (s the core schema), or of one
// whose path is an extension's URN. Keys may be attribute names, dotted
// sub-attribute paths ("name.givenName"), full paths with a URN, paths
// with a value filter ("emails[type eq \"work\"].value"), and extension
// URNs holding objects, all of which Entra ID and Okta send.
func (a *applier) object(op string, s *schema.Schema, obj map[string]any) error {
	for _, k := range sortedKeys(obj) {
		v := obj[k]
		if strings.EqualFold(k, "schemas") && s == a.r.Core {
			continue // the resource's own list, kept by tidy
		}
		if ext := a.r.Extension(k); ext != nil && s == a.r.Core {
			if err := a.wholeSchema(Operation{Op: op, Path: ext.ID, Value: v}, ext); err != nil {
				return err
			}
			continue
		}
		path := k
		if s != a.r.Core {
			path = s.ID + ":" + k
		}
		t, err := a.resolve(path)
		if err != nil {
			return err
		}
		if err := a.target(op, t, v); err != nil {
			return err
		}
	}
	return nil
}

// wholeSchema applies op to every attribute of s at once: its path is
// the schema's URN.
func (a *applier) wholeSchema(op Operation, s *schema.Schema) error {
	if op.Op == Remove || clears(op.Value) && op.Op == Replace {
		for _, attr := range s.Attributes {
			if err := a.unset(schema.Path{Schema: s.ID, Attr: attr}); err != nil {
				return err
			}
		}
		return nil
	}
	obj, ok := op.Value.(map[string]any)
	if !ok {
		return badValue("expected an object of %s attributes", s.ID)
	}
	return a.object(op.Op, s, obj)
}

// target applies op with value v to a resolved path.
func (a *applier) target(op string, t target, v any) error {
	p := t.path
	switch {
	case t.match != nil:
		return a.filtered(op, t, v)
	case p.Sub != nil:
		return a.subAttr(op, p, v)
	case p.Attr.MultiValued:
		return a.multi(op, p, v)
	case p.Attr.Type == schema.Complex:
		return a.complex(op, p, v)
	}
	return a.simple(op, p, v)
}
