package filter

import (
	"encoding/json"
	"testing"

	"github.com/gatehouse/gatehouse/internal/api/scim/schema"
)

func attrOf(t *testing.T, r *schema.Resource, path string) *schema.Attribute {
	t.Helper()
	p, err := r.Resolve(path)
	if err != nil {
		t.Fatal(err)
	}
	return p.Leaf()
}

func TestMatcher(t *testing.T) {
	emails := attrOf(t, schema.UserResource, "emails")
	members := attrOf(t, schema.GroupResource, "members")
	work := map[string]any{"value": "Bab@Example.com", "type": "Work", "primary": true}
	home := map[string]any{"value": "b@home.org", "type": "home"}
	member := map[string]any{"value": "5", "$ref": "https://h/Users/5"}
	for _, c := range []struct {
		attr   *schema.Attribute
		filter string
		v      any
		want   bool
	}{
		{emails, `type eq "work"`, work, true},
		{emails, `TYPE EQ "WORK"`, work, true},
		{emails, `type eq "work"`, home, false},
		{emails, `type ne "work"`, home, true},
		{emails, `value ew "@EXAMPLE.COM"`, work, true},
		{emails, `value sw "bab"`, work, true},
		{emails, `value co "example"`, work, true},
		{emails, `value co "example"`, home, false},
		{emails, `value gt "a"`, work, true},
		{emails, `value lt "a"`, work, false},
		{emails, `primary eq true`, work, true},
		{emails, `primary eq true`, home, false}, // absent boolean
		{emails, `primary ne true`, home, true},
		{emails, `primary eq false`, work, false},
		{emails, `primary pr`, work, true},
		{emails, `primary pr`, home, false},
		{emails, `display pr`, work, false},
		{emails, `display eq ""`, work, true}, // an absent string is "", as in the directory
		{emails, `display ne "x"`, work, true},
		{emails, `display eq null`, work, true},
		{emails, `type ne null`, work, true},
		{emails, `not (type eq "home")`, work, true},
		{emails, `type eq "work" and primary eq true`, work, true},
		{emails, `type eq "home" or primary eq true`, work, true},
		{emails, `type eq "home" or primary eq true`, home, true},
		{emails, `type eq "other" or (primary eq true and value co "x")`, home, false},
		{emails, `type eq "work"`, "not an object", false},
		{emails, `type ne "work"`, "not an object", true},
		{emails, `type eq "work"`, map[string]any{"TYPE": "work"}, true}, // keys in any case
		{emails, `value eq "b@home.org"`, map[string]any{"value": 5}, false},
		{members, `value eq "5"`, member, true},
		{members, `value eq "6"`, member, false},
		{members, `$ref eq "HTTPS://H/Users/5"`, member, false}, // references are caseExact
		{members, `$ref eq "https://h/Users/5"`, member, true},
	} {
		e, err := Parse(c.filter)
		if err != nil {
			t.Fatalf("%s: %v", c.filter, err)
		}
		m, err := Matcher(e, c.attr)
		if err != nil {
			t.Errorf("%s: %v", c.filter, err)
			continue
		}
		if got := m(c.v); got != c.want {
			t.Errorf("%s on %v: got %v", c.filter, c.v, got)
		}
	}
}

func TestMatcherTypes(t *testing.T) {
	num := &schema.Attribute{Name: "n", Type: schema.Complex, MultiValued: true, SubAttributes: []*schema.Attribute{
		{Name: "i", Type: schema.Integer}, {Name: "d", Type: schema.Decimal}, {Name: "t", Type: schema.DateTime}}}
	v := map[string]any{"i": json.Number("9007199254740993"), "d": 1.5, "t": "2024-01-02T03:04:05Z"}
	for _, c := range []struct {
		filter string
		want   bool
	}{
		{`i eq 9007199254740993`, true}, // beyond float64's precision
		{`i eq 9007199254740992`, false},
		{`i gt 9007199254740992`, true},
		{`d ge 1.5`, true},
		{`d lt 1`, false},
		{`t gt "2024-01-02T03:04:04Z"`, true},
		{`t eq "2024-01-02T05:04:05+02:00"`, true},
		{`t lt "2024-01-01T00:00:00Z"`, false},
	} {
		e, _ := Parse(c.filter)
		m, err := Matcher(e, num)
		if err != nil {
			t.Errorf("%s: %v", c.filter, err)
			continue
		}
		if got := m(v); got != c.want {
			t.Errorf("%s: got %v", c.filter, got)
		}
	}
	simple := &schema.Attribute{Name: "tags", Type: schema.String, MultiValued: true}
	e, _ := Parse(`value sw "a"`)
	if m, err := Matcher(e, simple); err != nil || !m("abc") || m("b") {
		t.Errorf("simple multi-valued: %v", err)
	}
}

func TestMatcherErrors(t *testing.T) {
	emails := attrOf(t, schema.UserResource, "emails")
	for _, c := range []struct{ filter, detail string }{
		{`foo eq "x"`, `unknown attribute "emails.foo"`},
		{`primary gt true`, `operator gt does not apply to boolean emails.primary`},
		{`type eq 5`, `expected a string for emails.type`},
		{`primary eq "true"`, `expected true or false for emails.primary`},
		{`a.b eq "x"`, `inside emails[…] name a sub-attribute of emails, not a.b`},
		{`type eq "w" and (foo pr)`, `unknown attribute "emails.foo"`},
		{`not (foo pr)`, `unknown attribute "emails.foo"`},
	} {
		e, err := Parse(c.filter)
		if err != nil {
			t.Fatalf("%s: %v", c.filter, err)
		}
		_, err = Matcher(e, emails)
		wantSCIM(t, c.filter, err, schema.InvalidFilter, c.detail)
	}
	if _, err := Matcher(ValuePath{Path: AttrPath{Name: "x"}, Filter: Test{Path: AttrPath{Name: "y"}, Op: Pr}}, emails); err == nil {
		t.Error("nested value path matched")
	}
}

func TestField(t *testing.T) {
	m := map[string]any{"Value": "x"}
	if Field(m, "value") != "x" || Field(m, "Value") != "x" || Field(m, "other") != nil || Field("s", "value") != nil {
		t.Error("Field")
	}
}
