package filter

import (
	"encoding/json"
	"reflect"
	"testing"
)

func TestParseTree(t *testing.T) {
	path := func(name string) AttrPath { return AttrPath{Name: name} }
	for _, c := range []struct {
		in   string
		want Expr
	}{
		{`a eq "x"`, Test{Path: path("a"), Op: Eq, Value: "x"}},
		{`a PR`, Test{Path: path("a"), Op: Pr}},
		{`a gt -1.5e3`, Test{Path: path("a"), Op: Gt, Value: json.Number("-1.5e3")}},
		{`a eq True`, Test{Path: path("a"), Op: Eq, Value: true}},
		{`a eq null`, Test{Path: path("a"), Op: Eq, Value: nil}},
		{`$ref eq "x"`, Test{Path: path("$ref"), Op: Eq, Value: "x"}},
		{`a pr or b pr and c pr`, Or{Test{Path: path("a"), Op: Pr}, And{Test{Path: path("b"), Op: Pr}, Test{Path: path("c"), Op: Pr}}}},
		{`a pr and b pr and c pr`, And{Test{Path: path("a"), Op: Pr}, Test{Path: path("b"), Op: Pr}, Test{Path: path("c"), Op: Pr}}},
		{`not (a pr)`, Not{X: Test{Path: path("a"), Op: Pr}}},
		{`NOT(a pr)`, Not{X: Test{Path: path("a"), Op: Pr}}},
		{`not pr`, Test{Path: path("not"), Op: Pr}}, // an attribute named "not"
		{`e[t eq "w" and v co "@"]`, ValuePath{Path: path("e"),
			Filter: And{Test{Path: path("t"), Op: Eq, Value: "w"}, Test{Path: path("v"), Op: Co, Value: "@"}}}},
		{`urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value eq "5"`, Test{
			Path: AttrPath{URI: "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User", Name: "manager", Sub: "value"},
			Op:   Eq, Value: "5"}},
		{`a eq"x"and(b pr)`, And{Test{Path: path("a"), Op: Eq, Value: "x"}, Test{Path: path("b"), Op: Pr}}},
	} {
		got, err := Parse(c.in)
		if err != nil {
			t.Errorf("%s: %v", c.in, err)
			continue
		}
		if !reflect.DeepEqual(got, c.want) {
			t.Errorf("%s:\n got  %#v\n want %#v", c.in, got, c.want)
		}
	}
}

// Format writes what Parse reads back to the same tree.
func TestFormatRoundTrip(t *testing.T) {
	for _, in := range seedFilters {
		e, err := Parse(in)
		if err != nil {
			continue
		}
		out := Format(e)
		e2, err := Parse(out)
		if err != nil || !reflect.DeepEqual(e, e2) {
			t.Errorf("%s -> %s -> %#v, %v", in, out, e2, err)
		}
	}
	if got := Format(And{Or{Test{Path: AttrPath{Name: "a"}, Op: Pr}, Test{Path: AttrPath{Name: "b"}, Op: Eq, Value: "x\"y"}},
		Not{X: Test{Path: AttrPath{Name: "c"}, Op: Gt, Value: json.Number("1")}}}); got != `(a pr or b eq "x\"y") and not (c gt 1)` {
		t.Errorf("Format: %s", got)
	}
}

func TestParsePath(t *testing.T) {
	for _, c := range []struct {
		in   string
		want PatchPath
	}{
		{`members`, PatchPath{Attr: AttrPath{Name: "members"}}},
		{`name.givenName`, PatchPath{Attr: AttrPath{Name: "name", Sub: "givenName"}}},
		{`members[value eq "5"]`, PatchPath{Attr: AttrPath{Name: "members"}, Filter: Test{Path: AttrPath{Name: "value"}, Op: Eq, Value: "5"}}},
		{`emails[type eq "work"].value`, PatchPath{Attr: AttrPath{Name: "emails"}, Filter: Test{Path: AttrPath{Name: "type"}, Op: Eq, Value: "work"}, Sub: "value"}},
		{`addresses[type eq "work" and primary eq true].streetAddress`, PatchPath{Attr: AttrPath{Name: "addresses"},
			Filter: And{Test{Path: AttrPath{Name: "type"}, Op: Eq, Value: "work"}, Test{Path: AttrPath{Name: "primary"}, Op: Eq, Value: true}},
			Sub:    "streetAddress"}},
		{`urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager`, PatchPath{
			Attr: AttrPath{URI: "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User", Name: "manager"}}},
		{` emails [ type eq "work" ] . value `, PatchPath{Attr: AttrPath{Name: "emails"}, Filter: Test{Path: AttrPath{Name: "type"}, Op: Eq, Value: "work"}, Sub: "value"}},
	} {
		got, err := ParsePath(c.in)
		if err != nil {
			t.Errorf("%s: %v", c.in, err)
			continue
		}
		if !reflect.DeepEqual(got, c.want) {
			t.Errorf("%s:\n got  %#v\n want %#v", c.in, got, c.want)
		}
	}
	for _, c := range []struct{ in, msg string }{
		{``, `empty expression at position 1`},
		{`emails[type eq "work"]value`, `expected the end of the path, found "value" at position 23`},
		{`emails[type eq "work"].`, `expected a sub-attribute name, found the end at position 24`},
		{`emails[type eq "work"].value.x`, `expected a sub-attribute name, found "value.x" at position 24`},
		{`emails.value[type eq "x"]`, `a value filter follows an attribute, not a sub-attribute (emails.value) at position 1`},
		{`a b`, `expected the end of the path, found "b" at position 3`},
		{`"a"`, `expected an attribute name, found "\"a\"" at position 1`},
		{`emails[type eq "work"]]`, `expected the end of the path, found "]" at position 23`},
		{`name..x`, `malformed attribute path "name..x" at position 1`},
	} {
		_, err := ParsePath(c.in)
		if err == nil || err.Error() != c.msg {
			t.Errorf("%q: got %v, want %s", c.in, err, c.msg)
		}
	}
	p, _ := ParsePath(`emails[type eq "work"].value`)
	if p.String() != `emails[type eq "work"].value` {
		t.Errorf("String: %s", p)
	}
}
