package scim

import (
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"reflect"
	"slices"
	"strings"

	"github.com/gatehouse/gatehouse/internal/api/scim/schema"
)

// Common attributes (RFC 7643 §3.1): every resource has them, and they
// belong to no schema.
const (
	attrID         = "id"
	attrExternalID = "externalId"
	attrMeta       = "meta"
	attrSchemas    = "schemas"
)

// checkSchemas checks a resource body's "schemas": present, a list of
// strings, naming the resource's core schema, and naming no schema of
// another resource type. URNs the face does not know are let through, as
// Entra ID names its own (…:ADSCIM:Group) beside the core Group schema.
func checkSchemas(doc map[string]any, r *schema.Resource) error {
	raw, ok := doc[attrSchemas]
	if !ok || raw == nil {
		return badRequest(typeInvalidSyntax, `The request body must name its schemas in "schemas", including "`+r.Core.ID+`".`)
	}
	list, ok := raw.([]any)
	if !ok {
		return badRequest(typeInvalidSyntax, `"schemas" must be an array of schema URNs.`)
	}
	core := false
	for _, v := range list {
		s, ok := v.(string)
		if !ok {
			return badRequest(typeInvalidSyntax, `"schemas" must be an array of schema URNs.`)
		}
		switch {
		case strings.EqualFold(s, r.Core.ID):
			core = true
		case extension(r, s) != nil:
		case knownSchema(s):
			return badRequest(typeInvalidSyntax, `"schemas" names `+quote(s)+`, which is not a schema of `+r.Name+" resources.")
		}
	}
	if !core {
		return badRequest(typeInvalidSyntax, `"schemas" must include "`+r.Core.ID+`".`)
	}
	return nil
}

// knownSchema reports whether urn is one of the schemas or messages SCIM
// defines, which a resource body must not name unless it is its own.
func knownSchema(urn string) bool {
	for _, s := range []string{schema.UserURN, schema.EnterpriseURN, schema.GroupURN, schema.ErrorURN, schema.ListURN,
		schema.PatchOpURN, schema.SearchURN, schema.BulkRequestURN, schema.BulkResponseURN} {
		if strings.EqualFold(s, urn) {
			return true
		}
	}
	return false
}

// extension returns the resource's extension schema named urn, or nil.
func extension(r *schema.Resource, urn string) *schema.Schema {
	for _, e := range r.Extensions {
		if strings.EqualFold(e.ID, urn) {
			return e
		}
	}
	return nil
}

func quote(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// normalize checks a resource's attributes against its schemas and returns
// them under their canonical names, since SCIM attribute names match
// without regard to case (RFC 7643 §2.1). Values must have their
// attribute's type; a boolean may also be the string "true" or "false" in
// any case (Entra ID sends "False"), and a complex attribute with a
// "value" sub-attribute may be given as that value alone (Entra ID sends
// the enterprise manager as its id). Null, and an empty string, list or
// object, leave an attribute unassigned (RFC 7644 §3.5.1). A non-empty
// attribute that no schema defines is refused, so that a value sent is
// never silently dropped; readOnly attributes are kept for the caller to
// ignore (POST, PUT) or refuse (PATCH).
func normalize(doc map[string]any, r *schema.Resource) (map[string]any, error) {
	out := make(map[string]any, len(doc))
	var invalid []error
	// Sorted, so that of several mistakes the same one is reported, and
	// every invalid value in the same order.
	for _, k := range slices.Sorted(maps.Keys(doc)) {
		name, v, err := normalizeMember(r, k, doc[k])
		var se *scimError
		if errors.As(err, &se) && se.scimType == typeInvalidValue {
			invalid = append(invalid, err)
			continue
		}
		if err != nil {
			return nil, err
		}
		if name == "" {
			continue // unassigned
		}
		if _, dup := out[name]; dup {
			return nil, badRequest(typeInvalidSyntax, "The attribute "+quote(name)+" is given more than once.")
		}
		out[name] = v
	}
	// The valid members come back beside the error, for the caller to
	// check its own rules on and name every invalid attribute at once.
	return out, invalidValues(invalid...)
}

// normalizeMember checks one top-level member of a resource and returns
// its canonical name ("" when it leaves its attribute unassigned).
func normalizeMember(r *schema.Resource, k string, v any) (string, any, error) {
	switch {
	case k == attrSchemas:
		return k, v, nil
	case strings.EqualFold(k, attrID):
		return attrID, v, nil // readOnly: kept as sent, for the caller
	case strings.EqualFold(k, attrMeta):
		return attrMeta, v, nil
	}
	if ext := extension(r, k); ext != nil {
		if empty(v) {
			return "", nil, nil
		}
		m, ok := v.(map[string]any)
		if !ok {
			return "", nil, badRequest(typeInvalidValue, "The "+quote(ext.ID)+" extension must be an object.")
		}
		n, err := normalizeAttrs(m, ext.Attributes, ext.ID+":")
		if err != nil || len(n) == 0 {
			return "", nil, err
		}
		return ext.ID, n, nil
	}
	a := find(r.Core.Attributes, k)
	if a == nil {
		if empty(v) {
			return "", nil, nil
		}
		return "", nil, badRequest(typeInvalidSyntax, "The attribute "+quote(k)+" is not an attribute of "+r.Name+" resources.")
	}
	n, err := normalizeValue(a, v, "")
	if err != nil || n == nil {
		return "", nil, err
	}
	return a.Name, n, nil
}

func normalizeAttrs(m map[string]any, attrs []*schema.Attribute, prefix string) (map[string]any, error) {
	out := make(map[string]any, len(m))
	for _, k := range slices.Sorted(maps.Keys(m)) {
		v := m[k]
		a := find(attrs, k)
		if a == nil {
			if empty(v) {
				continue
			}
			return nil, badRequest(typeInvalidSyntax, "The attribute "+quote(prefix+k)+" is not defined by its schema.")
		}
		n, err := normalizeValue(a, v, prefix)
		if err != nil {
			return nil, err
		}
		if n == nil {
			continue
		}
		if _, dup := out[a.Name]; dup {
			return nil, badRequest(typeInvalidSyntax, "The attribute "+quote(prefix+a.Name)+" is given more than once.")
		}
		out[a.Name] = n
	}
	return out, nil
}

// find returns the attribute named name, compared without regard to case.
func find(attrs []*schema.Attribute, name string) *schema.Attribute {
	for _, a := range attrs {
		if strings.EqualFold(a.Name, name) {
			return a
		}
	}
	return nil
}

// empty reports whether v assigns nothing: null, "", [] or {}.
func empty(v any) bool {
	switch x := v.(type) {
	case nil:
		return true
	case string:
		return x == ""
	case []any:
		return len(x) == 0
	case map[string]any:
		return len(x) == 0
	}
	return false
}

// typeName is an attribute's type as RFC 7643 §2.3 names it, in lower case.
func typeName(a *schema.Attribute) string { return strings.ToLower(fmt.Sprint(a.Type)) }

// normalizeValue checks one attribute's value; nil means unassigned.
func normalizeValue(a *schema.Attribute, v any, prefix string) (any, error) {
	if empty(v) {
		return nil, nil
	}
	name := prefix + a.Name
	if a.MultiValued {
		list, ok := v.([]any)
		if !ok {
			return nil, badRequest(typeInvalidValue, "The "+name+" attribute must be an array.")
		}
		out := make([]any, 0, len(list))
		for _, item := range list {
			n, err := normalizeSingle(a, item, name)
			if err != nil {
				return nil, err
			}
			if n != nil {
				out = append(out, n)
			}
		}
		if len(out) == 0 {
			return nil, nil
		}
		return out, nil
	}
	return normalizeSingle(a, v, name)
}

func normalizeSingle(a *schema.Attribute, v any, name string) (any, error) {
	if empty(v) {
		return nil, nil
	}
	switch typeName(a) {
	case "complex":
		m, ok := v.(map[string]any)
		if !ok {
			// {"value": v} given as v alone.
			if s, isStr := v.(string); isStr && find(a.SubAttributes, "value") != nil {
				m = map[string]any{"value": s}
			} else {
				return nil, badRequest(typeInvalidValue, "The "+name+" attribute must be an object.")
			}
		}
		out := make(map[string]any, len(m))
		for _, k := range slices.Sorted(maps.Keys(m)) {
			sv := m[k]
			sa := find(a.SubAttributes, k)
			if sa == nil {
				if empty(sv) {
					continue
				}
				return nil, badRequest(typeInvalidSyntax, "The attribute "+quote(name+"."+k)+" is not defined by its schema.")
			}
			n, err := normalizeSingle(sa, sv, name+"."+sa.Name)
			if err != nil {
				return nil, err
			}
			if n == nil {
				continue
			}
			if _, dup := out[sa.Name]; dup {
				return nil, badRequest(typeInvalidSyntax, "The attribute "+quote(name+"."+sa.Name)+" is given more than once.")
			}
			out[sa.Name] = n
		}
		if len(out) == 0 {
			return nil, nil
		}
		return out, nil
	case "boolean":
		switch x := v.(type) {
		case bool:
			return x, nil
		case string:
			switch strings.ToLower(x) {
			case "true":
				return true, nil
			case "false":
				return false, nil
			}
		}
		return nil, badRequest(typeInvalidValue, "The "+name+" attribute must be true or false.")
	case "integer":
		if n, ok := v.(json.Number); ok {
			if _, err := n.Int64(); err == nil {
				return n, nil
			}
		}
		return nil, badRequest(typeInvalidValue, "The "+name+" attribute must be an integer.")
	case "decimal":
		if n, ok := v.(json.Number); ok {
			return n, nil
		}
		return nil, badRequest(typeInvalidValue, "The "+name+" attribute must be a number.")
	default: // string, reference, dateTime, binary
		s, ok := v.(string)
		if !ok {
			return nil, badRequest(typeInvalidValue, "The "+name+" attribute must be a string.")
		}
		return s, nil
	}
}

// sameValue reports whether two attribute values are equal, treating an
// unassigned value and an empty one alike.
func sameValue(a, b any) bool {
	if empty(a) && empty(b) {
		return true
	}
	return reflect.DeepEqual(a, b)
}
