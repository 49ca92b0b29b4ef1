package patch

import (
	"maps"
	"slices"
	"strings"
)

// Documents use the schema's spelling of attribute names; a client's
// spelling differs only in case, so lookups ignore case and writes use the
// schema's spelling, dropping any other spelling of the same name.

func get(m map[string]any, name string) any {
	if m == nil {
		return nil
	}
	if v, ok := m[name]; ok {
		return v
	}
	for k, v := range m {
		if strings.EqualFold(k, name) {
			return v
		}
	}
	return nil
}

// set writes m[name] = v, or deletes name when v is empty: an empty
// complex or multi-valued attribute is unassigned (RFC 7644 §3.5.2.2).
func set(m map[string]any, name string, v any) {
	del(m, name)
	if !empty(v) {
		m[name] = v
	}
}

func del(m map[string]any, name string) {
	for k := range m {
		if strings.EqualFold(k, name) {
			delete(m, k)
		}
	}
}

func empty(v any) bool {
	switch x := v.(type) {
	case nil:
		return true
	case []any:
		return len(x) == 0
	case map[string]any:
		return len(x) == 0
	}
	return false
}

// object returns v as a JSON object, or nil.
func object(v any) map[string]any {
	m, _ := v.(map[string]any)
	return m
}

// list returns v as a JSON array; a document may hold a single value
// where the schema says multi-valued, which counts as a list of one.
func list(v any) []any {
	switch x := v.(type) {
	case nil:
		return nil
	case []any:
		return x
	}
	return []any{v}
}

// clone copies a document deeply, so that a failed PATCH leaves the
// original untouched. Slices of maps and of strings, which faces build,
// become []any like decoded JSON.
func clone(v any) any {
	switch x := v.(type) {
	case map[string]any:
		m := make(map[string]any, len(x))
		for k, y := range x {
			m[k] = clone(y)
		}
		return m
	case []any:
		out := make([]any, len(x))
		for i, y := range x {
			out[i] = clone(y)
		}
		return out
	case []map[string]any:
		out := make([]any, len(x))
		for i, y := range x {
			out[i] = clone(y)
		}
		return out
	case []string:
		out := make([]any, len(x))
		for i, y := range x {
			out[i] = y
		}
		return out
	}
	return v
}

// container returns the object that holds attributes of schema id: the
// document for the core schema, the extension's object otherwise, made
// when create is set.
func (a *applier) container(id string, create bool) map[string]any {
	if strings.EqualFold(id, a.r.Core.ID) {
		return a.doc
	}
	c := object(get(a.doc, id))
	if c == nil && create {
		c = map[string]any{} // tidy drops it if it stays empty
		del(a.doc, id)
		a.doc[id] = c
	}
	return c
}

// tidy drops extension objects left empty and keeps the document's
// schemas list naming exactly the extensions it holds (RFC 7643 §3).
func (a *applier) tidy() {
	for _, ext := range a.r.Extensions {
		if c, ok := get(a.doc, ext.ID).(map[string]any); ok && len(c) == 0 {
			del(a.doc, ext.ID)
		}
	}
	v, ok := a.doc["schemas"]
	if !ok {
		return
	}
	var urns []any
	for _, u := range list(v) {
		s, _ := u.(string)
		if ext := a.r.Extension(s); ext == nil || get(a.doc, ext.ID) != nil {
			urns = append(urns, u)
		}
	}
	for _, ext := range a.r.Extensions {
		has := slices.ContainsFunc(urns, func(u any) bool { s, _ := u.(string); return strings.EqualFold(s, ext.ID) })
		if !has && get(a.doc, ext.ID) != nil {
			urns = append(urns, ext.ID)
		}
	}
	a.doc["schemas"] = urns
}

// sortedKeys orders an object's keys, so that of several errors in one
// value the same one is reported every time.
func sortedKeys(m map[string]any) []string {
	return slices.Sorted(maps.Keys(m))
}
