package schema

import "strings"

// Path is a resolved attribute path: "name.givenName",
// "urn:ietf:params:scim:schemas:core:2.0:User:userName", the enterprise
// "manager.value", "emails", "meta.lastModified". Schema is the URN of
// the schema Attr belongs to; Sub is nil for a top-level attribute.
type Path struct {
	Schema    string
	Attr, Sub *Attribute
	core      bool // Schema is the resource's core schema
}

// Leaf returns the attribute the path ends at: Sub, or Attr.
func (p Path) Leaf() *Attribute {
	if p.Sub != nil {
		return p.Sub
	}
	return p.Attr
}

// String spells the path as the schema does, with the URN for an
// extension attribute only: "name.givenName",
// "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value".
func (p Path) String() string {
	s := p.Attr.Name
	if p.Sub != nil {
		s += "." + p.Sub.Name
	}
	if !p.core {
		s = p.Schema + ":" + s
	}
	return s
}

// Key is String in lower case: the canonical key under which tables such
// as the filter package's Targets name the path.
func (p Path) Key() string { return strings.ToLower(p.String()) }

// WithSub returns the path to sub, a sub-attribute of p's attribute.
func (p Path) WithSub(sub *Attribute) Path {
	p.Sub = sub
	return p
}

// Resolve resolves an attribute path without a value filter, with or
// without a schema URN prefix, without regard to case (RFC 7643 §2.1).
// An attribute of an extension may be named without its URN when no other
// schema of r has an attribute of that name (RFC 7644 §3.10 asks clients
// to qualify them, but does not require it). The error is a 400
// invalidPath, which a caller resolving a filter or sortBy retypes.
func (r *Resource) Resolve(path string) (Path, error) {
	uri, rest := "", path
	if strings.Contains(path, ":") {
		s := r.schemaPrefix(path)
		if s == nil {
			if r.Schema(path) != nil {
				return Path{}, BadRequest(InvalidPath, "%q names a schema, not an attribute", path)
			}
			return Path{}, BadRequest(InvalidPath, "unknown attribute %q", path)
		}
		uri, rest = s.ID, path[len(s.ID)+1:]
	}
	name, sub, dotted := strings.Cut(rest, ".")
	if name == "" || (dotted && (sub == "" || strings.Contains(sub, "."))) {
		return Path{}, BadRequest(InvalidPath, "malformed attribute path %q", path)
	}
	return r.Lookup(uri, name, sub)
}

// schemaPrefix returns the schema whose URN, followed by a colon, starts
// path.
func (r *Resource) schemaPrefix(path string) *Schema {
	for _, s := range r.Schemas() {
		n := len(s.ID)
		if len(path) > n+1 && path[n] == ':' && strings.EqualFold(path[:n], s.ID) {
			return s
		}
	}
	return nil
}

// Lookup resolves a path already split into its schema URN (empty when
// not given), attribute name and sub-attribute name (empty for none), as
// a filter or PATCH path parser splits it.
func (r *Resource) Lookup(uri, name, sub string) (Path, error) {
	spelled := name
	if sub != "" {
		spelled += "." + sub
	}
	if uri != "" {
		spelled = uri + ":" + spelled
	}
	var p Path
	if uri != "" {
		s := r.Schema(uri)
		if s == nil {
			return Path{}, BadRequest(InvalidPath, "unknown attribute %q: %s is not a schema of %s resources", spelled, uri, r.Name)
		}
		p = Path{Schema: s.ID, Attr: s.Attribute(name), core: s == r.Core}
	} else {
		p = r.unqualified(name)
	}
	if p.Attr == nil {
		return Path{}, BadRequest(InvalidPath, "unknown attribute %q", spelled)
	}
	if sub == "" {
		return p, nil
	}
	if p.Attr.Type != Complex {
		return Path{}, BadRequest(InvalidPath, "unknown attribute %q: %s has no sub-attributes", spelled, p.Attr.Name)
	}
	if p.Sub = p.Attr.SubAttribute(sub); p.Sub == nil {
		return Path{}, BadRequest(InvalidPath, "unknown attribute %q", spelled)
	}
	return p, nil
}

// unqualified finds a top-level attribute named without a URN: in the
// core schema, else in the one extension that has it.
func (r *Resource) unqualified(name string) Path {
	if a := r.Core.Attribute(name); a != nil {
		return Path{Schema: r.Core.ID, Attr: a, core: true}
	}
	var found Path
	for _, s := range r.Extensions {
		if a := s.Attribute(name); a != nil {
			if found.Attr != nil {
				return Path{} // ambiguous: the client must qualify it
			}
			found = Path{Schema: s.ID, Attr: a}
		}
	}
	return found
}
