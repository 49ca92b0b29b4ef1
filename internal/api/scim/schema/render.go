package schema

// Render returns the /Schemas representation of s (RFC 7643 §7) with
// meta.location = base + "/Schemas/" + s.ID.
func (s *Schema) Render(base string) map[string]any {
	attrs := make([]any, len(s.Attributes))
	for i, a := range s.Attributes {
		attrs[i] = a.render()
	}
	return map[string]any{
		"schemas":     []any{SchemaURN},
		"id":          s.ID,
		"name":        s.Name,
		"description": s.Description,
		"attributes":  attrs,
		"meta":        map[string]any{"resourceType": "Schema", "location": base + "/Schemas/" + s.ID},
	}
}

// render writes every characteristic, defaults included, because clients
// such as schema-discovering identity providers read them rather than
// assume RFC 7643's defaults.
func (a *Attribute) render() map[string]any {
	m := map[string]any{
		"name":        a.Name,
		"type":        string(a.Type),
		"multiValued": a.MultiValued,
		"description": a.Description,
		"required":    a.Required,
		"caseExact":   a.CaseExact,
		"mutability":  a.Mutability,
		"returned":    a.Returned,
		"uniqueness":  a.Uniqueness,
	}
	if len(a.CanonicalValues) > 0 {
		m["canonicalValues"] = anyList(a.CanonicalValues)
	}
	if a.Type == Reference {
		m["referenceTypes"] = anyList(a.ReferenceTypes)
	}
	if a.Type == Complex {
		subs := make([]any, len(a.SubAttributes))
		for i, s := range a.SubAttributes {
			subs[i] = s.render()
		}
		m["subAttributes"] = subs
	}
	return m
}

// Render returns the /ResourceTypes representation of r (RFC 7643 §6)
// with meta.location = base + "/ResourceTypes/" + r.Name.
func (r *Resource) Render(base string) map[string]any {
	exts := make([]any, len(r.Extensions))
	for i, e := range r.Extensions {
		exts[i] = map[string]any{"schema": e.ID, "required": false}
	}
	m := map[string]any{
		"schemas":     []any{ResourceTypeURN},
		"id":          r.Name,
		"name":        r.Name,
		"endpoint":    r.Endpoint,
		"description": r.Description,
		"schema":      r.Core.ID,
		"meta":        map[string]any{"resourceType": "ResourceType", "location": base + "/ResourceTypes/" + r.Name},
	}
	if len(exts) > 0 {
		m["schemaExtensions"] = exts
	}
	return m
}

// anyList copies a string list into the []any documents hold.
func anyList(xs []string) []any {
	out := make([]any, len(xs))
	for i, x := range xs {
		out[i] = x
	}
	return out
}
