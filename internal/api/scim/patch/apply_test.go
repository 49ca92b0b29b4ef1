package patch

import (
	"strings"
	"testing"

	"github.com/gatehouse/gatehouse/internal/api/scim/schema"
)

const ent = schema.EnterpriseURN

// A user as the face would render it.
const baseUser = `{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"id":"7","userName":"bjensen",
	"name":{"givenName":"Barbara","familyName":"Jensen"},"displayName":"Babs","active":true,
	"emails":[{"value":"b@example.com","type":"work","primary":true}],
	"meta":{"resourceType":"User","created":"2024-01-01T00:00:00Z","lastModified":"2024-01-01T00:00:00Z","version":"W/\"1\""}}`

// userWith returns baseUser with some members replaced or added (and
// members whose value is nil removed).
func userWith(t testing.TB, changes map[string]any) string {
	d := doc(t, baseUser)
	for k, v := range changes {
		if v == nil {
			delete(d, k)
			continue
		}
		d[k] = v
	}
	return canonical(t, d)
}

func j(t testing.TB, s string) any {
	return doc(t, `{"v":`+s+`}`)["v"]
}

type applyCase struct {
	name string
	doc  string // the resource; baseUser when empty
	ops  string // the Operations array
	want string // the document after; empty when an error is wanted
	// the error wanted
	scimType, detail string
}

func runApply(t *testing.T, r *schema.Resource, base string, cases []applyCase) {
	t.Helper()
	for _, c := range cases {
		src := c.doc
		if src == "" {
			src = base
		}
		d := doc(t, src)
		before := canonical(t, d)
		ops, err := Parse(body(c.ops))
		if err == nil {
			err = Apply(d, ops, r)
		}
		if c.want == "" {
			wantSCIM(t, c.name, err, c.scimType, c.detail)
			if got := canonical(t, d); got != before {
				t.Errorf("%s: a failed PATCH changed the document:\n %s", c.name, got)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s: %v", c.name, err)
			continue
		}
		if got, want := canonical(t, d), canonical(t, doc(t, c.want)); got != want {
			t.Errorf("%s:\n got  %s\n want %s", c.name, got, want)
		}
	}
}

func TestApplyUser(t *testing.T) {
	emails := func(s string) map[string]any { return map[string]any{"emails": j(t, s)} }
	schemasExt := j(t, `["urn:ietf:params:scim:schemas:core:2.0:User","`+ent+`"]`)
	runApply(t, schema.UserResource, baseUser, []applyCase{
		// Identity providers' requests, as they send them.
		{name: "Okta deactivate", ops: `[{"op":"replace","value":{"active":false}}]`,
			want: userWith(t, map[string]any{"active": false})},
		{name: "Entra ID disable with a string", ops: `[{"op":"Replace","path":"active","value":"False"}]`,
			want: userWith(t, map[string]any{"active": false})},
		{name: "Entra ID enable with a string", doc: userWith(t, map[string]any{"active": false}),
			ops: `[{"op":"Replace","path":"active","value":"True"}]`, want: baseUser},
		{name: "Entra ID no-path object with string boolean", ops: `[{"op":"replace","value":{"active":"false"}}]`,
			want: userWith(t, map[string]any{"active": false})},
		{name: "Entra ID manager as a bare id", doc: userWith(t, map[string]any{"schemas": schemasExt, ent: j(t, `{"manager":{"value":"3","displayName":"Old Boss"}}`)}),
			ops:  `[{"op":"Replace","path":"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager","value":"26"}]`,
			want: userWith(t, map[string]any{"schemas": schemasExt, ent: j(t, `{"manager":{"value":"26"}}`)})},
		{name: "Entra ID work e-mail, replacing", ops: `[{"op":"Replace","path":"emails[type eq \"work\"].value","value":"new@example.com"}]`,
			want: userWith(t, emails(`[{"value":"new@example.com","type":"work","primary":true}]`))},
		{name: "Entra ID work e-mail, creating", doc: userWith(t, map[string]any{"emails": nil}),
			ops:  `[{"op":"Add","path":"emails[type eq \"work\"].value","value":"new@example.com"}]`,
			want: userWith(t, emails(`[{"value":"new@example.com","type":"work"}]`))},
		{name: "Entra ID address, created then extended",
			ops: `[{"op":"Replace","path":"addresses[type eq \"work\"].streetAddress","value":"1 Main St"},
				{"op":"Replace","path":"addresses[type eq \"work\"].locality","value":"Springfield"}]`,
			want: userWith(t, map[string]any{"addresses": j(t, `[{"type":"work","streetAddress":"1 Main St","locality":"Springfield"}]`)})},
		{name: "Entra ID mobile number, created", ops: `[{"op":"Add","path":"phoneNumbers[type eq \"mobile\"].value","value":"+1 555 0100"}]`,
			want: userWith(t, map[string]any{"phoneNumbers": j(t, `[{"type":"mobile","value":"+1 555 0100"}]`)})},
		{name: "Entra ID mobile number, cleared with an empty string",
			doc:  userWith(t, map[string]any{"phoneNumbers": j(t, `[{"type":"mobile","value":"1"},{"type":"work","value":"2"}]`)}),
			ops:  `[{"op":"Replace","path":"phoneNumbers[type eq \"mobile\"].value","value":""}]`,
			want: userWith(t, map[string]any{"phoneNumbers": j(t, `[{"type":"work","value":"2"}]`)})},
		{name: "Entra ID clearing what is not there", ops: `[{"op":"Replace","path":"phoneNumbers[type eq \"fax\"].value","value":""}]`,
			want: baseUser},
		{name: "Entra ID no-path object with filtered and dotted keys",
			ops:  `[{"op":"add","value":{"emails[type eq \"work\"].value":"x@example.com","name.givenName":"Barb","title":"CEO"}}]`,
			want: userWith(t, map[string]any{"title": "CEO", "name": j(t, `{"givenName":"Barb","familyName":"Jensen"}`), "emails": j(t, `[{"value":"x@example.com","type":"work","primary":true}]`)})},
		{name: "Entra ID title cleared with null", doc: userWith(t, map[string]any{"title": "CEO"}),
			ops: `[{"op":"Replace","path":"title","value":null}]`, want: baseUser},
		{name: "Entra ID title cleared with an empty string", doc: userWith(t, map[string]any{"title": "CEO"}),
			ops: `[{"op":"Replace","path":"title","value":""}]`, want: baseUser},

		// Single-valued attributes.
		{name: "add sets", ops: `[{"op":"add","path":"displayName","value":"B"}]`, want: userWith(t, map[string]any{"displayName": "B"})},
		{name: "op in upper case", ops: `[{"op":"ADD","path":"nickName","value":"Babs"}]`, want: userWith(t, map[string]any{"nickName": "Babs"})},
		{name: "path in another case", ops: `[{"op":"replace","path":"DISPLAYNAME","value":"B"}]`, want: userWith(t, map[string]any{"displayName": "B"})},
		{name: "core URN path", ops: `[{"op":"replace","path":"urn:ietf:params:scim:schemas:core:2.0:User:displayName","value":"B"}]`,
			want: userWith(t, map[string]any{"displayName": "B"})},
		{name: "remove", ops: `[{"op":"remove","path":"displayName"}]`, want: userWith(t, map[string]any{"displayName": nil})},
		{name: "remove what is not there", ops: `[{"op":"remove","path":"title"}]`, want: baseUser},
		{name: "password is written", ops: `[{"op":"replace","value":{"password":"s3cret!"}}]`, want: userWith(t, map[string]any{"password": "s3cret!"})},
		{name: "a document key in another case is respelled", doc: `{"id":"7","USERNAME":"x"}`,
			ops: `[{"op":"replace","path":"userName","value":"y"}]`, want: `{"id":"7","userName":"y"}`},

		// Complex attributes: replace and add change only the named sub-attributes.
		{name: "sub-attribute path", ops: `[{"op":"replace","path":"name.givenName","value":"B"}]`,
			want: userWith(t, map[string]any{"name": j(t, `{"givenName":"B","familyName":"Jensen"}`)})},
		{name: "replace of a complex attribute merges", ops: `[{"op":"replace","path":"name","value":{"familyName":"J"}}]`,
			want: userWith(t, map[string]any{"name": j(t, `{"givenName":"Barbara","familyName":"J"}`)})},
		{name: "no-path replace of a complex attribute merges", ops: `[{"op":"replace","value":{"name":{"givenName":"B"}}}]`,
			want: userWith(t, map[string]any{"name": j(t, `{"givenName":"B","familyName":"Jensen"}`)})},
		{name: "names in any case are respelled", ops: `[{"op":"replace","value":{"NAME":{"GIVENNAME":"B"}}}]`,
			want: userWith(t, map[string]any{"name": j(t, `{"givenName":"B","familyName":"Jensen"}`)})},
		{name: "null sub-attribute in a value is no change", ops: `[{"op":"replace","path":"name","value":{"givenName":"B","middleName":null}}]`,
			want: userWith(t, map[string]any{"name": j(t, `{"givenName":"B","familyName":"Jensen"}`)})},
		{name: "removing the last sub-attribute unassigns the attribute",
			ops:  `[{"op":"remove","path":"name.givenName"},{"op":"remove","path":"name.familyName"}]`,
			want: userWith(t, map[string]any{"name": nil})},
		{name: "remove a complex attribute", ops: `[{"op":"remove","path":"name"}]`, want: userWith(t, map[string]any{"name": nil})},

		// The enterprise extension.
		{name: "full-URN key", ops: `[{"op":"add","value":{"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department":"Sales"}}]`,
			want: userWith(t, map[string]any{"schemas": schemasExt, ent: j(t, `{"department":"Sales"}`)})},
		{name: "extension URN key holding an object",
			ops:  `[{"op":"replace","value":{"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User":{"employeeNumber":"42","manager":{"value":"26"}}}}]`,
			want: userWith(t, map[string]any{"schemas": schemasExt, ent: j(t, `{"employeeNumber":"42","manager":{"value":"26"}}`)})},
		{name: "extension URN path", ops: `[{"op":"replace","path":"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User","value":{"division":"X"}}]`,
			want: userWith(t, map[string]any{"schemas": schemasExt, ent: j(t, `{"division":"X"}`)})},
		{name: "unqualified extension attribute", ops: `[{"op":"add","path":"costCenter","value":"4130"}]`,
			want: userWith(t, map[string]any{"schemas": schemasExt, ent: j(t, `{"costCenter":"4130"}`)})},
		{name: "manager object merges", doc: userWith(t, map[string]any{"schemas": schemasExt, ent: j(t, `{"manager":{"value":"3","displayName":"Boss"}}`)}),
			ops:  `[{"op":"replace","path":"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager","value":{"value":"26"}}]`,
			want: userWith(t, map[string]any{"schemas": schemasExt, ent: j(t, `{"manager":{"value":"26","displayName":"Boss"}}`)})},
		{name: "removing the last extension attribute drops the extension",
			doc:  userWith(t, map[string]any{"schemas": schemasExt, ent: j(t, `{"manager":{"value":"3"}}`)}),
			ops:  `[{"op":"Remove","path":"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager","value":[{"value":"3"}]}]`,
			want: baseUser},
		{name: "remove a whole extension", doc: userWith(t, map[string]any{"schemas": schemasExt, ent: j(t, `{"department":"S","division":"D"}`)}),
			ops: `[{"op":"remove","path":"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"}]`, want: baseUser},

		// Multi-valued attributes.
		{name: "add appends", ops: `[{"op":"add","path":"emails","value":[{"value":"h@home.org","type":"home"}]}]`,
			want: userWith(t, emails(`[{"value":"b@example.com","type":"work","primary":true},{"value":"h@home.org","type":"home"}]`))},
		{name: "add of one object appends", ops: `[{"op":"add","path":"emails","value":{"value":"h@home.org","type":"home"}}]`,
			want: userWith(t, emails(`[{"value":"b@example.com","type":"work","primary":true},{"value":"h@home.org","type":"home"}]`))},
		{name: "add of a value already there is no change", ops: `[{"op":"add","path":"emails","value":[{"value":"B@EXAMPLE.COM","type":"work","primary":"true"}]}]`,
			want: baseUser},
		{name: "add of a primary value demotes the old one", ops: `[{"op":"add","path":"emails","value":[{"value":"h@home.org","type":"home","primary":true}]}]`,
			want: userWith(t, emails(`[{"value":"b@example.com","type":"work"},{"value":"h@home.org","type":"home","primary":true}]`))},
		{name: "no-path add appends", ops: `[{"op":"add","value":{"emails":[{"value":"h@home.org"}]}}]`,
			want: userWith(t, emails(`[{"value":"b@example.com","type":"work","primary":true},{"value":"h@home.org"}]`))},
		{name: "replace replaces all", ops: `[{"op":"replace","path":"emails","value":[{"value":"n@x.org","type":"other"}]}]`,
			want: userWith(t, emails(`[{"value":"n@x.org","type":"other"}]`))},
		{name: "replace drops duplicates", ops: `[{"op":"replace","path":"emails","value":[{"value":"n@x.org"},{"value":"N@X.ORG"}]}]`,
			want: userWith(t, emails(`[{"value":"n@x.org"}]`))},
		{name: "replace with [] removes", ops: `[{"op":"replace","path":"emails","value":[]}]`, want: userWith(t, map[string]any{"emails": nil})},
		{name: "remove all", ops: `[{"op":"remove","path":"emails"}]`, want: userWith(t, map[string]any{"emails": nil})},
		{name: "remove by value", ops: `[{"op":"remove","path":"emails","value":[{"value":"b@example.com"}]}]`,
			want: userWith(t, map[string]any{"emails": nil})},
		{name: "remove by value that is not there", ops: `[{"op":"remove","path":"emails","value":[{"value":"z@x"}]}]`, want: baseUser},
		{name: "remove with a filter", doc: userWith(t, emails(`[{"value":"a@x","type":"work"},{"value":"b@x","type":"home"}]`)),
			ops: `[{"op":"remove","path":"emails[type eq \"work\"]"}]`, want: userWith(t, emails(`[{"value":"b@x","type":"home"}]`))},
		{name: "remove the last value with a filter", ops: `[{"op":"remove","path":"emails[type eq \"work\"]"}]`,
			want: userWith(t, map[string]any{"emails": nil})},
		{name: "remove a sub-attribute with a filter", ops: `[{"op":"remove","path":"emails[type eq \"work\"].primary"}]`,
			want: userWith(t, emails(`[{"value":"b@example.com","type":"work"}]`))},
		{name: "replace whole values with a filter", ops: `[{"op":"replace","path":"emails[type eq \"work\"]","value":{"value":"n@x.org","type":"work"}}]`,
			want: userWith(t, emails(`[{"value":"n@x.org","type":"work"}]`))},
		{name: "add to values with a filter merges", ops: `[{"op":"add","path":"emails[type eq \"work\"]","value":{"display":"Work"}}]`,
			want: userWith(t, emails(`[{"value":"b@example.com","type":"work","primary":true,"display":"Work"}]`))},
		{name: "replace with a filter that matches nothing makes the value", ops: `[{"op":"replace","path":"emails[type eq \"home\"]","value":{"value":"h@x"}}]`,
			want: userWith(t, emails(`[{"value":"b@example.com","type":"work","primary":true},{"value":"h@x","type":"home"}]`))},
		{name: "filter in any case, with and", ops: `[{"op":"replace","path":"EMAILS[TYPE EQ \"WORK\" and primary eq true].VALUE","value":"n@x"}]`,
			want: userWith(t, emails(`[{"value":"n@x","type":"work","primary":true}]`))},
		{name: "making a value primary demotes the others",
			doc:  userWith(t, emails(`[{"value":"a@x","type":"work","primary":true},{"value":"b@x","type":"home"}]`)),
			ops:  `[{"op":"replace","path":"emails[type eq \"home\"].primary","value":true}]`,
			want: userWith(t, emails(`[{"value":"a@x","type":"work"},{"value":"b@x","type":"home","primary":true}]`))},
		{name: "string boolean in a value", ops: `[{"op":"replace","path":"emails","value":[{"value":"a@x","primary":"True"}]}]`,
			want: userWith(t, emails(`[{"value":"a@x","primary":true}]`))},
		{name: "a face's []map and []string documents",
			doc:  `{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"id":"7","userName":"u","emails":[{"value":"a@x"}]}`,
			ops:  `[{"op":"add","path":"emails","value":[{"value":"b@x"}]}]`,
			want: `{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"id":"7","userName":"u","emails":[{"value":"a@x"},{"value":"b@x"}]}`},

		// readOnly, immutable and required.
		{name: "id set to its own value", ops: `[{"op":"replace","value":{"id":"7","displayName":"B"}}]`,
			want: userWith(t, map[string]any{"displayName": "B"})},
		{name: "id changed", ops: `[{"op":"replace","value":{"id":"8"}}]`, scimType: schema.Mutability, detail: "id is readOnly"},
		{name: "id removed", ops: `[{"op":"remove","path":"id"}]`, scimType: schema.Mutability, detail: "id is readOnly"},
		{name: "meta changed", ops: `[{"op":"replace","path":"meta.version","value":"W/\"9\""}]`, scimType: schema.Mutability, detail: "meta.version is readOnly"},
		{name: "meta in a no-path value", ops: `[{"op":"replace","value":{"meta":{"resourceType":"Group"}}}]`, scimType: schema.Mutability, detail: "meta is readOnly"},
		{name: "meta sent back unchanged", ops: `[{"op":"replace","value":{"meta":{"resourceType":"User"}}}]`, want: baseUser},
		{name: "groups added", ops: `[{"op":"add","path":"groups","value":[{"value":"3"}]}]`, scimType: schema.Mutability, detail: "groups is readOnly"},
		{name: "groups removed", ops: `[{"op":"remove","path":"groups"}]`, scimType: schema.Mutability, detail: "groups is readOnly"},
		{name: "groups with a filter", ops: `[{"op":"remove","path":"groups[value eq \"3\"]"}]`, scimType: schema.Mutability, detail: "groups is readOnly"},
		{name: "userName removed", ops: `[{"op":"remove","path":"userName"}]`, scimType: schema.Mutability, detail: "userName is required and cannot be removed"},
		{name: "userName cleared", ops: `[{"op":"replace","path":"userName","value":""}]`, scimType: schema.Mutability, detail: "userName is required"},

		// Errors.
		{name: "unknown attribute", ops: `[{"op":"replace","path":"nickname2","value":"x"}]`, scimType: schema.InvalidPath, detail: `unknown attribute "nickname2"`},
		{name: "unknown attribute in a no-path value", ops: `[{"op":"replace","value":{"ims":[]}}]`, scimType: schema.InvalidPath, detail: `unknown attribute "ims"`},
		{name: "unknown sub-attribute", ops: `[{"op":"replace","path":"name.foo","value":"x"}]`, scimType: schema.InvalidPath, detail: `unknown attribute "name.foo"`},
		{name: "unknown sub-attribute in a value", ops: `[{"op":"add","path":"emails","value":[{"value":"x","foo":1}]}]`, scimType: schema.InvalidPath, detail: `unknown attribute "emails.foo"`},
		{name: "unknown sub-attribute after a filter", ops: `[{"op":"replace","path":"emails[type eq \"work\"].foo","value":"x"}]`, scimType: schema.InvalidPath, detail: `unknown attribute "emails.foo"`},
		{name: "unknown sub-attribute in a filter", ops: `[{"op":"replace","path":"emails[foo eq \"work\"].value","value":"x"}]`, scimType: schema.InvalidPath, detail: `unknown attribute "emails.foo"`},
		{name: "type mismatch in a filter", ops: `[{"op":"replace","path":"emails[primary eq \"yes\"].value","value":"x"}]`, scimType: schema.InvalidPath, detail: `expected true or false for emails.primary`},
		{name: "sub-attribute of every value", ops: `[{"op":"replace","path":"emails.value","value":"x"}]`, scimType: schema.InvalidPath, detail: "emails.value names a sub-attribute of every value of emails"},
		{name: "filter on a single-valued attribute", ops: `[{"op":"replace","path":"name[givenName eq \"x\"].familyName","value":"x"}]`, scimType: schema.InvalidPath, detail: "which name is not"},
		{name: "schema URN of another resource", ops: `[{"op":"replace","path":"urn:ietf:params:scim:schemas:core:2.0:Group:displayName","value":"x"}]`, scimType: schema.InvalidPath, detail: "is not a schema of User resources"},
		{name: "filter that matches nothing, remove", ops: `[{"op":"remove","path":"emails[type eq \"home\"]"}]`, scimType: schema.NoTarget, detail: `no value of emails matches emails[type eq "home"]`},
		{name: "filter that matches nothing and cannot make a value", ops: `[{"op":"replace","path":"emails[value co \"@\"].type","value":"home"}]`,
			doc: userWith(t, map[string]any{"emails": nil}), scimType: schema.NoTarget, detail: "no value of emails matches"},
		{name: "filter with conflicting terms", ops: `[{"op":"replace","path":"emails[type eq \"a\" and type eq \"b\"].value","value":"x"}]`, scimType: schema.NoTarget, detail: "no value of emails matches"},
		{name: "boolean expected", ops: `[{"op":"replace","path":"active","value":5}]`, scimType: schema.InvalidValue, detail: "expected true or false for active"},
		{name: "boolean string not true or false", ops: `[{"op":"replace","path":"active","value":"yes"}]`, scimType: schema.InvalidValue, detail: "expected true or false for active"},
		{name: "string expected", ops: `[{"op":"replace","path":"userName","value":5}]`, scimType: schema.InvalidValue, detail: "expected a string for userName"},
		{name: "object expected", ops: `[{"op":"replace","path":"name","value":"Babs"}]`, scimType: schema.InvalidValue, detail: "expected an object of sub-attributes for name"},
		{name: "object expected, array sent", ops: `[{"op":"add","path":"emails","value":[["x"]]}]`, scimType: schema.InvalidValue, detail: "expected an object of sub-attributes for emails"},
		{name: "two primaries", ops: `[{"op":"replace","path":"emails","value":[{"value":"a","primary":true},{"value":"b","primary":true}]}]`, scimType: schema.InvalidValue, detail: "more than one value of emails is primary"},
		{name: "extension URN path with a non-object", ops: `[{"op":"add","path":"` + ent + `","value":"x"}]`, scimType: schema.InvalidValue, detail: "expected an object of " + ent + " attributes"},
		{name: "all or nothing", ops: `[{"op":"replace","path":"displayName","value":"B"},{"op":"replace","path":"nickname2","value":"x"}]`,
			scimType: schema.InvalidPath, detail: `unknown attribute "nickname2"`},
	})
}

const baseGroup = `{"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"],"id":"7","displayName":"Admins",
	"members":[{"value":"5","display":"Bab","$ref":"https://h/Users/5"},{"value":"6"}]}`

func TestApplyGroup(t *testing.T) {
	group := func(members string) string {
		return `{"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"],"id":"7","displayName":"Admins","members":` + members + `}`
	}
	runApply(t, schema.GroupResource, baseGroup, []applyCase{
		{name: "Okta rename with its own id", ops: `[{"op":"replace","value":{"id":"7","displayName":"New"}}]`,
			want: strings.Replace(baseGroup, "Admins", "New", 1)},
		{name: "Okta rename with another id", ops: `[{"op":"replace","value":{"id":"8","displayName":"New"}}]`,
			scimType: schema.Mutability, detail: "id is readOnly"},
		{name: "Entra ID add member", ops: `[{"op":"Add","path":"members","value":[{"value":"9","$ref":null}]}]`,
			want: group(`[{"value":"5","display":"Bab","$ref":"https://h/Users/5"},{"value":"6"},{"value":"9"}]`)},
		{name: "add a member already there", ops: `[{"op":"Add","path":"members","value":[{"value":"6"}]}]`, want: baseGroup},
		{name: "a member's display is ignored", ops: `[{"op":"add","path":"members","value":[{"value":"9","display":"x@example.com"}]}]`,
			want: group(`[{"value":"5","display":"Bab","$ref":"https://h/Users/5"},{"value":"6"},{"value":"9"}]`)},
		{name: "Entra ID remove member with a value", ops: `[{"op":"Remove","path":"members","value":[{"value":"5"}]}]`,
			want: group(`[{"value":"6"}]`)},
		{name: "Okta remove member with a filter", ops: `[{"op":"remove","path":"members[value eq \"5\"]"}]`,
			want: group(`[{"value":"6"}]`)},
		{name: "remove a member that is not there", ops: `[{"op":"remove","path":"members[value eq \"9\"]"}]`,
			scimType: schema.NoTarget, detail: `no value of members matches members[value eq "9"]`},
		{name: "remove all members", ops: `[{"op":"remove","path":"members"}]`,
			want: `{"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"],"id":"7","displayName":"Admins"}`},
		{name: "replace members", ops: `[{"op":"replace","path":"members","value":[{"value":"1"},{"value":"2"}]}]`,
			want: group(`[{"value":"1"},{"value":"2"}]`)},
		{name: "a member's value is immutable", ops: `[{"op":"replace","path":"members[value eq \"5\"].value","value":"6"}]`,
			scimType: schema.Mutability, detail: "members.value is immutable"},
		{name: "a member cannot become another", ops: `[{"op":"replace","path":"members[value eq \"5\"]","value":{"value":"9"}}]`,
			scimType: schema.Mutability, detail: "members.value is immutable"},
		{name: "a member's display is readOnly by path", ops: `[{"op":"replace","path":"members[value eq \"5\"].display","value":"x"}]`,
			scimType: schema.Mutability, detail: "members.display is readOnly"},
		{name: "displayName is required", ops: `[{"op":"remove","path":"displayName"}]`,
			scimType: schema.Mutability, detail: "displayName is required"},
	})
}

// Faces build documents in Go: []string, []map[string]any, Go integers.
// Apply reads them and writes decoded-JSON shapes.
func TestApplyGoDocument(t *testing.T) {
	d := map[string]any{
		"schemas":  []string{schema.UserURN},
		"id":       "7",
		"userName": "u",
		"emails":   []map[string]any{{"value": "a@x", "primary": true}},
	}
	ops := []Operation{
		{Op: Add, Path: "emails", Value: []any{map[string]any{"value": "b@x"}}},
		{Op: Replace, Path: ent + ":department", Value: "S"},
	}
	if err := Apply(d, ops, schema.UserResource); err != nil {
		t.Fatal(err)
	}
	want := `{"emails":[{"primary":true,"value":"a@x"},{"value":"b@x"}],"id":"7",` +
		`"schemas":["urn:ietf:params:scim:schemas:core:2.0:User","` + ent + `"],` +
		`"` + ent + `":{"department":"S"},"userName":"u"}`
	if got := canonical(t, d); got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
	// A failed PATCH leaves even Go shapes alone.
	before := map[string]any{"id": "7", "userName": "u", "emails": []map[string]any{{"value": "a@x"}}}
	err := Apply(before, []Operation{{Op: Add, Path: "emails", Value: []any{map[string]any{"value": "b@x"}}}, {Op: Remove, Path: "userName"}}, schema.UserResource)
	wantSCIM(t, "failed", err, schema.Mutability, "userName is required")
	if _, isMaps := before["emails"].([]map[string]any); !isMaps || len(before["emails"].([]map[string]any)) != 1 {
		t.Errorf("document changed: %v", before)
	}
}
