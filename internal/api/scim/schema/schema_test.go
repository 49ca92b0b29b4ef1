package schema

import (
	"slices"
	"strings"
	"testing"
)

// Every attribute must carry valid characteristics: discovery renders
// them and clients trust them.
func TestDefinitionsWellFormed(t *testing.T) {
	types := []Type{String, Boolean, Decimal, Integer, DateTime, Binary, Reference, Complex}
	var check func(where string, attrs []*Attribute, depth int)
	check = func(where string, attrs []*Attribute, depth int) {
		seen := map[string]bool{}
		for _, a := range attrs {
			at := where + a.Name
			if seen[strings.ToLower(a.Name)] {
				t.Errorf("%s: duplicate name", at)
			}
			seen[strings.ToLower(a.Name)] = true
			if !slices.Contains(types, a.Type) {
				t.Errorf("%s: type %q", at, a.Type)
			}
			if !slices.Contains([]string{ReadOnly, ReadWrite, Immutable, WriteOnly}, a.Mutability) {
				t.Errorf("%s: mutability %q", at, a.Mutability)
			}
			if !slices.Contains([]string{Always, Never, Default, Request}, a.Returned) {
				t.Errorf("%s: returned %q", at, a.Returned)
			}
			if !slices.Contains([]string{None, Server, Global}, a.Uniqueness) {
				t.Errorf("%s: uniqueness %q", at, a.Uniqueness)
			}
			if a.Description == "" {
				t.Errorf("%s: no description", at)
			}
			if (a.Type == Complex) != (len(a.SubAttributes) > 0) {
				t.Errorf("%s: complex iff it has sub-attributes", at)
			}
			if (a.Type == Reference) != (len(a.ReferenceTypes) > 0) {
				t.Errorf("%s: reference iff it has reference types", at)
			}
			if depth > 0 && a.Type == Complex {
				t.Errorf("%s: complex sub-attribute (RFC 7643 §2.3.8 forbids)", at)
			}
			check(at+".", a.SubAttributes, depth+1)
		}
	}
	for _, s := range []*Schema{User, EnterpriseUser, Group} {
		if s.ID == "" || s.Name == "" || s.Description == "" {
			t.Errorf("%s: incomplete", s.ID)
		}
		check(s.Name+":", s.Attributes, 0)
	}
}

// The characteristics the rest of the server relies on.
func TestCharacteristics(t *testing.T) {
	get := func(r *Resource, path string) *Attribute {
		p, err := r.Resolve(path)
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		return p.Leaf()
	}
	for _, c := range []struct {
		r          *Resource
		path       string
		typ        Type
		mutability string
		returned   string
		caseExact  bool
		required   bool
		multi      bool
	}{
		{UserResource, "id", String, ReadOnly, Always, true, false, false},
		{UserResource, "externalId", String, ReadWrite, Default, true, false, false},
		{UserResource, "userName", String, ReadWrite, Default, false, true, false},
		{UserResource, "active", Boolean, ReadWrite, Default, false, false, false},
		{UserResource, "password", String, WriteOnly, Never, false, false, false},
		{UserResource, "emails", Complex, ReadWrite, Default, false, false, true},
		{UserResource, "emails.primary", Boolean, ReadWrite, Default, false, false, false},
		{UserResource, "groups", Complex, ReadOnly, Default, false, false, true},
		{UserResource, "groups.value", String, ReadOnly, Default, false, false, false},
		{UserResource, "meta", Complex, ReadOnly, Default, false, false, false},
		{UserResource, "meta.lastModified", DateTime, ReadOnly, Default, false, false, false},
		{UserResource, "profileUrl", Reference, ReadWrite, Default, true, false, false},
		{UserResource, "manager.value", String, ReadWrite, Default, false, false, false},
		{GroupResource, "displayName", String, ReadWrite, Default, false, true, false},
		{GroupResource, "members", Complex, ReadWrite, Default, false, false, true},
		{GroupResource, "members.value", String, Immutable, Default, false, false, false},
		{GroupResource, "members.display", String, ReadOnly, Default, false, false, false},
	} {
		a := get(c.r, c.path)
		if a.Type != c.typ || a.Mutability != c.mutability || a.Returned != c.returned ||
			a.CaseExact != c.caseExact || a.Required != c.required || a.MultiValued != c.multi {
			t.Errorf("%s: %+v", c.path, a)
		}
	}
	if got := get(UserResource, "userName").Uniqueness; got != Server {
		t.Errorf("userName uniqueness %s", got)
	}
	// Not stored, so not advertised.
	for _, name := range []string{"x509Certificates", "ims", "photos", "entitlements", "roles"} {
		if User.Attribute(name) != nil {
			t.Errorf("User advertises %s", name)
		}
	}
	if v := get(UserResource, "emails").ValueSub(); v == nil || v.Name != "value" {
		t.Error("emails has no value sub-attribute")
	}
	if get(UserResource, "name").ValueSub() != nil || get(UserResource, "userName").ValueSub() != nil {
		t.Error("ValueSub of an attribute without one")
	}
}

func TestResourceSchemas(t *testing.T) {
	if s := UserResource.Schemas(); len(s) != 2 || s[0] != User || s[1] != EnterpriseUser {
		t.Errorf("schemas %v", s)
	}
	if UserResource.Schema(strings.ToUpper(EnterpriseURN)) != EnterpriseUser || UserResource.Schema(GroupURN) != nil {
		t.Error("Schema lookup")
	}
	if UserResource.Extension(UserURN) != nil || UserResource.Extension(EnterpriseURN) != EnterpriseUser {
		t.Error("Extension lookup")
	}
}
