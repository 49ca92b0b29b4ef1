package scim

import (
	"encoding/json"
	"strings"

	"github.com/gatehouse/gatehouse/internal/api/scim/patch"
	"github.com/gatehouse/gatehouse/internal/api/scim/schema"
)

// rawBody reads the request body as one JSON object and returns it as
// bytes, for the patch package to parse.
func (c *call) rawBody() ([]byte, error) {
	obj, err := c.body()
	if err != nil {
		return nil, err
	}
	b, err := json.Marshal(obj)
	if err != nil {
		return nil, badRequest(typeInvalidSyntax, "The request body is not valid JSON.")
	}
	return b, nil
}

// applyPatch applies PATCH operations to a resource's SCIM representation
// and returns it normalized. An operation may not change a readOnly
// attribute (id, meta, groups; RFC 7644 §3.5.2 answers 400 mutability),
// though it may restate one unchanged, as Okta's rename of a group does
// with the group's id. password cannot be changed over SCIM at all.
func applyPatch(doc map[string]any, ops []patch.Operation, r *schema.Resource) (map[string]any, error) {
	before, _ := clone(doc).(map[string]any)
	if err := patch.Apply(doc, ops, r); err != nil {
		return nil, err
	}
	after, err := normalize(doc, r)
	if err != nil {
		return nil, err
	}
	for _, name := range []string{attrID, attrMeta} {
		if !sameValue(before[name], after[name]) {
			return nil, badRequest(typeMutability, "The "+name+" attribute is readOnly.")
		}
	}
	if err := readOnlyUnchanged(before, after, r.Core.Attributes, ""); err != nil {
		return nil, err
	}
	for _, ext := range r.Extensions {
		b, _ := before[ext.ID].(map[string]any)
		a, _ := after[ext.ID].(map[string]any)
		if err := readOnlyUnchanged(b, a, ext.Attributes, ext.ID+":"); err != nil {
			return nil, err
		}
	}
	if pw, ok := after["password"]; ok && !empty(pw) {
		return nil, errPasswordChange
	}
	return after, nil
}

var errPasswordChange = badRequest(typeMutability,
	"Passwords cannot be changed over SCIM (changePassword is not supported): users sign in through their identity provider.")

// readOnlyUnchanged refuses a change to a readOnly attribute. Sub-attributes
// are not checked: a readOnly sub-attribute (manager.$ref, members.display)
// is the service provider's to fill in and is ignored when written.
func readOnlyUnchanged(before, after map[string]any, attrs []*schema.Attribute, prefix string) error {
	for _, a := range attrs {
		if strings.EqualFold(a.Mutability, "readOnly") && !sameValue(before[a.Name], after[a.Name]) {
			return badRequest(typeMutability, "The "+prefix+a.Name+" attribute is readOnly.")
		}
	}
	return nil
}

// clone deep-copies a JSON value.
func clone(v any) any {
	switch x := v.(type) {
	case map[string]any:
		m := make(map[string]any, len(x))
		for k, y := range x {
			m[k] = clone(y)
		}
		return m
	case []any:
		l := make([]any, len(x))
		for i, y := range x {
			l[i] = clone(y)
		}
		return l
	}
	return v
}
