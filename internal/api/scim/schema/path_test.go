package schema

import (
	"errors"
	"testing"
)

func TestResolve(t *testing.T) {
	const ent = EnterpriseURN
	for _, c := range []struct {
		r                 *Resource
		path              string
		schema, attr, sub string
		key               string
	}{
		{UserResource, "userName", UserURN, "userName", "", "username"},
		{UserResource, "USERNAME", UserURN, "userName", "", "username"},
		{UserResource, "name.givenName", UserURN, "name", "givenName", "name.givenname"},
		{UserResource, "NAME.GIVENNAME", UserURN, "name", "givenName", "name.givenname"},
		{UserResource, UserURN + ":userName", UserURN, "userName", "", "username"},
		{UserResource, "URN:IETF:PARAMS:SCIM:SCHEMAS:CORE:2.0:USER:userName", UserURN, "userName", "", "username"},
		{UserResource, UserURN + ":name.familyName", UserURN, "name", "familyName", "name.familyname"},
		{UserResource, ent + ":manager.value", ent, "manager", "value", "urn:ietf:params:scim:schemas:extension:enterprise:2.0:user:manager.value"},
		{UserResource, ent + ":department", ent, "department", "", "urn:ietf:params:scim:schemas:extension:enterprise:2.0:user:department"},
		// An extension attribute without its URN, when unambiguous.
		{UserResource, "department", ent, "department", "", "urn:ietf:params:scim:schemas:extension:enterprise:2.0:user:department"},
		{UserResource, "emails", UserURN, "emails", "", "emails"},
		{UserResource, "emails.value", UserURN, "emails", "value", "emails.value"},
		{UserResource, "groups.$ref", UserURN, "groups", "$ref", "groups.$ref"},
		{UserResource, "meta.lastModified", UserURN, "meta", "lastModified", "meta.lastmodified"},
		{UserResource, "id", UserURN, "id", "", "id"},
		{GroupResource, "members.value", GroupURN, "members", "value", "members.value"},
		{GroupResource, GroupURN + ":displayName", GroupURN, "displayName", "", "displayname"},
	} {
		p, err := c.r.Resolve(c.path)
		if err != nil {
			t.Errorf("%s: %v", c.path, err)
			continue
		}
		sub := ""
		if p.Sub != nil {
			sub = p.Sub.Name
		}
		if p.Schema != c.schema || p.Attr.Name != c.attr || sub != c.sub || p.Key() != c.key {
			t.Errorf("%s: got %s %s.%s key %s", c.path, p.Schema, p.Attr.Name, sub, p.Key())
		}
		if p.Leaf() != p.Attr && p.Leaf() != p.Sub {
			t.Errorf("%s: leaf", c.path)
		}
	}
}

func TestResolveErrors(t *testing.T) {
	for _, c := range []struct {
		r      *Resource
		path   string
		detail string
	}{
		{UserResource, "nickname2", `unknown attribute "nickname2"`},
		{UserResource, "name.foo", `unknown attribute "name.foo"`},
		{UserResource, "userName.x", `unknown attribute "userName.x": userName has no sub-attributes`},
		{UserResource, "name.givenName.x", `malformed attribute path "name.givenName.x"`},
		{UserResource, "", `malformed attribute path ""`},
		{UserResource, ".x", `malformed attribute path ".x"`},
		{UserResource, "name.", `malformed attribute path "name."`},
		{UserResource, "urn:foo:bar", `unknown attribute "urn:foo:bar"`},
		{UserResource, EnterpriseURN, `"` + EnterpriseURN + `" names a schema, not an attribute`},
		{UserResource, GroupURN + ":displayName", `unknown attribute "` + GroupURN + `:displayName"`},
		{UserResource, "members", `unknown attribute "members"`},
		{GroupResource, "userName", `unknown attribute "userName"`},
		{GroupResource, "department", `unknown attribute "department"`},
	} {
		_, err := c.r.Resolve(c.path)
		var se *Error
		if !errors.As(err, &se) || se.Status != 400 || se.ScimType != InvalidPath || se.Detail != c.detail {
			t.Errorf("%q: got %v, want invalidPath %q", c.path, err, c.detail)
		}
	}
}

func TestLookup(t *testing.T) {
	p, err := UserResource.Lookup(EnterpriseURN, "Manager", "DisplayName")
	if err != nil || p.String() != EnterpriseURN+":manager.displayName" {
		t.Errorf("got %v %v", p, err)
	}
	if _, err := UserResource.Lookup("urn:x", "userName", ""); err == nil {
		t.Error("unknown schema resolved")
	}
	p, _ = UserResource.Lookup("", "name", "")
	if q := p.WithSub(p.Attr.SubAttribute("givenname")); q.String() != "name.givenName" {
		t.Errorf("WithSub: %s", q)
	}
}

// Two extensions with an attribute of one name make it ambiguous without
// its URN.
func TestResolveAmbiguous(t *testing.T) {
	other := &Schema{ID: "urn:example:x", Attributes: []*Attribute{str("department", "d")}}
	r := &Resource{Name: "User", Core: User, Extensions: []*Schema{EnterpriseUser, other}}
	if _, err := r.Resolve("department"); err == nil {
		t.Error("ambiguous attribute resolved")
	}
	if p, err := r.Resolve("urn:example:x:department"); err != nil || p.Schema != "urn:example:x" {
		t.Errorf("qualified: %v %v", p, err)
	}
}

func TestErrorRetype(t *testing.T) {
	e := BadRequest(InvalidPath, "unknown attribute %q", "x")
	f := e.Retype(InvalidFilter)
	if e.ScimType != InvalidPath || f.ScimType != InvalidFilter || f.Detail != e.Detail || f.Status != 400 {
		t.Errorf("retype: %+v %+v", e, f)
	}
	if got := f.Error(); got != `scim 400 invalidFilter: unknown attribute "x"` {
		t.Errorf("Error() = %q", got)
	}
	if got := (&Error{Status: 404, Detail: "gone"}).Error(); got != "scim 404: gone" {
		t.Errorf("Error() = %q", got)
	}
}
