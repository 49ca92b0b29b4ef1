package scim

import (
	"strings"

	"github.com/gatehouse/gatehouse/internal/api/scim/schema"
)

// attrRef names an attribute of a resource's representation: an
// extension's URN ("" for the core schema and the common attributes), the
// attribute and, optionally, one of its sub-attributes, all canonical.
type attrRef struct {
	ext, attr, sub string
}

// projection is what attributes and excludedAttributes ask a response to
// show (RFC 7644 §3.4.2.5, §3.9).
type projection struct {
	only, except []attrRef
	// restricted is set when attributes was given, even if it named
	// nothing the resource has: then only what is always returned shows.
	restricted bool
}

// parseProjection reads attribute lists. Names that no schema of the
// resource defines are ignored: they only shape an answer, and naming an
// attribute a resource does not have asks for nothing.
func parseProjection(r *schema.Resource, attributes, excluded []string) *projection {
	p := &projection{restricted: len(attributes) > 0}
	for _, name := range attributes {
		if ref, ok := resolveRef(r, name); ok {
			p.only = append(p.only, ref)
		}
	}
	for _, name := range excluded {
		if ref, ok := resolveRef(r, name); ok {
			p.except = append(p.except, ref)
		}
	}
	return p
}

// splitList splits a comma-separated parameter value.
func splitList(s string) []string {
	var out []string
	for _, part := range strings.Split(s, ",") {
		if part = strings.TrimSpace(part); part != "" {
			out = append(out, part)
		}
	}
	return out
}

// resolveRef resolves an attribute path such as "name.givenName",
// "emails.value", "meta.lastModified", or one prefixed by a schema URN.
func resolveRef(r *schema.Resource, name string) (attrRef, bool) {
	// A URN prefix of the core schema may be dropped.
	if len(name) > len(r.Core.ID)+1 && strings.EqualFold(name[:len(r.Core.ID)+1], r.Core.ID+":") {
		name = name[len(r.Core.ID)+1:]
	}
	if ext := extension(r, name); ext != nil {
		return attrRef{ext: ext.ID}, true
	}
	head, sub, _ := strings.Cut(name, ".")
	switch strings.ToLower(head) {
	case "id":
		return attrRef{attr: attrID}, sub == ""
	case "externalid":
		return attrRef{attr: attrExternalID}, sub == ""
	case "meta":
		if sub == "" {
			return attrRef{attr: attrMeta}, true
		}
		for _, s := range []string{"resourceType", "created", "lastModified", "location", "version"} {
			if strings.EqualFold(s, sub) {
				return attrRef{attr: attrMeta, sub: s}, true
			}
		}
		return attrRef{}, false
	}
	p, err := r.Resolve(name)
	if err != nil || p.Attr == nil {
		return attrRef{}, false
	}
	ref := attrRef{attr: p.Attr.Name}
	if !strings.EqualFold(p.Schema, r.Core.ID) {
		ref.ext = p.Schema
	}
	if p.Sub != nil {
		ref.sub = p.Sub.Name
	}
	return ref, true
}

// wants reports whether a core attribute is to be shown at all, so that
// one that costs a query (a user's groups, a group's members) is read only
// when it is.
func (p *projection) wants(attr string) bool {
	if p.restricted {
		for _, ref := range p.only {
			if ref.ext == "" && ref.attr == attr {
				return true
			}
		}
		return false
	}
	for _, ref := range p.except {
		if ref.ext == "" && ref.attr == attr && ref.sub == "" {
			return false
		}
	}
	return true
}

// returned returns an attribute's "returned" characteristic; the common
// attributes' are RFC 7643 §3.1's.
func returned(r *schema.Resource, ref attrRef) string {
	switch {
	case ref.ext == "" && ref.attr == attrID:
		return "always"
	case ref.ext == "" && (ref.attr == attrExternalID || ref.attr == attrMeta):
		return "default"
	}
	attrs := r.Core.Attributes
	if ref.ext != "" {
		if e := extension(r, ref.ext); e != nil {
			attrs = e.Attributes
		}
	}
	if a := find(attrs, ref.attr); a != nil && a.Returned != "" {
		return strings.ToLower(a.Returned)
	}
	return "default"
}

// apply shapes a resource's representation. id and schemas are always
// shown, as is any attribute whose "returned" is "always".
func (p *projection) apply(doc map[string]any, r *schema.Resource) map[string]any {
	if !p.restricted && len(p.except) == 0 {
		return doc
	}
	out := doc
	if p.restricted {
		out = map[string]any{attrSchemas: doc[attrSchemas], attrID: doc[attrID]}
		for k, v := range doc {
			if strings.HasPrefix(k, "urn:") {
				continue
			}
			if returned(r, attrRef{attr: k}) == "always" {
				out[k] = v
			}
		}
		for _, ref := range p.only {
			copyRef(doc, out, ref)
		}
	}
	for _, ref := range p.except {
		if returned(r, attrRef{ext: ref.ext, attr: ref.attr}) == "always" {
			continue
		}
		deleteRef(out, ref)
	}
	// schemas names the extensions the answer still shows.
	if list, ok := out[attrSchemas].([]any); ok {
		kept := make([]any, 0, len(list))
		for _, s := range list {
			if u, _ := s.(string); u == r.Core.ID || out[u] != nil {
				kept = append(kept, s)
			}
		}
		out[attrSchemas] = kept
	}
	return out
}

// container returns the object an attribute reference lives in: the
// document, or its extension's object (created in dst when create is set).
func container(doc map[string]any, ext string, create bool) map[string]any {
	if ext == "" {
		return doc
	}
	m, _ := doc[ext].(map[string]any)
	if m == nil && create {
		m = map[string]any{}
		doc[ext] = m
	}
	return m
}

func copyRef(src, dst map[string]any, ref attrRef) {
	if ref.attr == "" { // a whole extension
		if v, ok := src[ref.ext]; ok {
			dst[ref.ext] = v
		}
		return
	}
	from := container(src, ref.ext, false)
	if from == nil {
		return
	}
	v, ok := from[ref.attr]
	if !ok {
		return
	}
	to := container(dst, ref.ext, true)
	if ref.sub == "" {
		to[ref.attr] = v
		return
	}
	switch x := v.(type) {
	case map[string]any:
		sv, ok := x[ref.sub]
		if !ok {
			return
		}
		m, _ := to[ref.attr].(map[string]any)
		if m == nil {
			m = map[string]any{}
			to[ref.attr] = m
		}
		m[ref.sub] = sv
	case []any:
		list, _ := to[ref.attr].([]any)
		if len(list) != len(x) {
			list = make([]any, len(x))
			for i := range list {
				list[i] = map[string]any{}
			}
			to[ref.attr] = list
		}
		for i, item := range x {
			if m, ok := item.(map[string]any); ok {
				if sv, ok := m[ref.sub]; ok {
					list[i].(map[string]any)[ref.sub] = sv
				}
			}
		}
	}
}

func deleteRef(doc map[string]any, ref attrRef) {
	if ref.attr == "" {
		delete(doc, ref.ext)
		return
	}
	m := container(doc, ref.ext, false)
	if m == nil {
		return
	}
	if ref.sub == "" {
		delete(m, ref.attr)
	} else {
		// Copy on write: doc may share values with the stored document.
		switch x := m[ref.attr].(type) {
		case map[string]any:
			c := clone(x).(map[string]any)
			delete(c, ref.sub)
			m[ref.attr] = c
		case []any:
			c := clone(x).([]any)
			for _, item := range c {
				if im, ok := item.(map[string]any); ok {
					delete(im, ref.sub)
				}
			}
			m[ref.attr] = c
		}
	}
	if ref.ext != "" && len(m) == 0 {
		delete(doc, ref.ext)
	}
}

// projection reads the attributes and excludedAttributes parameters of a
// request for one resource.
func (c *call) projection(k *kind) (*projection, error) {
	attrs, _, err := c.param("attributes")
	if err != nil {
		return nil, err
	}
	excl, _, err := c.param("excludedAttributes")
	if err != nil {
		return nil, err
	}
	return parseProjection(k.res, splitList(attrs), splitList(excl)), nil
}
