package filter

import (
	"errors"
	"reflect"
	"testing"

	"github.com/gatehouse/gatehouse/internal/api/scim/schema"
	"github.com/gatehouse/gatehouse/internal/directory"
)

var seedFilters = []string{
	`userName eq "bjensen"`,
	`name.familyName co "O'Malley"`,
	`userName sw "J"`,
	`urn:ietf:params:scim:schemas:core:2.0:User:userName sw "J"`,
	`title pr`,
	`meta.lastModified gt "2011-05-13T04:42:34Z"`,
	`meta.lastModified lt "2011-05-13T04:42:34Z"`,
	`title pr and userType eq "Employee"`,
	`title pr or userType eq "Intern"`,
	`schemas eq "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"`,
	`userType eq "Employee" and (emails co "example.com" or emails.value co "example.org")`,
	`userType ne "Employee" and not (emails co "example.com" or emails.value co "example.org")`,
	`userType eq "Employee" and (emails.type eq "work")`,
	`userType eq "Employee" and emails[type eq "work" and value co "@example.com"]`,
	`emails[type eq "work" and value co "@example.com"] or ims[type eq "xmpp" and value co "@foo.com"]`,
	`emails[type eq "work" and (value co "@x" or primary eq true)]`,
	`members[value eq "5"]`,
	`id eq "7" and members[value eq "5"]`,
	`externalId eq "abc" and active eq TRUE`,
	`userName eq "O\"Brien \u00e9"`,
	`a gt -1.5e3 or b le 0`,
	`not(not(a pr))`,
	`((a eq null))`,
	`urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value eq "5"`,
	`emails[value[x eq 1]]`,
	`(a pr`,
	`a eq "`,
}

// FuzzCompile: no input panics; every error is a 400 invalidFilter; every
// result passes the directory's own check; what parses formats back to
// the same tree.
func FuzzCompile(f *testing.F) {
	for _, s := range seedFilters {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, r := range []*schema.Resource{schema.UserResource, schema.GroupResource} {
			e, err := Compile(s, r, userOrGroup(r))
			if err != nil {
				var se *schema.Error
				if !errors.As(err, &se) || se.Status != 400 || se.ScimType != schema.InvalidFilter {
					t.Fatalf("%q: %v", s, err)
				}
				continue
			}
			if err := directory.CheckExpr(e); err != nil {
				t.Fatalf("%q compiled to %#v: %v", s, e, err)
			}
		}
		if e, err := Parse(s); err == nil {
			e2, err := Parse(Format(e))
			if err != nil || !reflect.DeepEqual(e, e2) {
				t.Fatalf("%q -> %q: %v", s, Format(e), err)
			}
		}
	})
}

// FuzzParsePath: no input panics, and every error is a SyntaxError.
func FuzzParsePath(f *testing.F) {
	for _, s := range []string{`members`, `members[value eq "5"]`, `emails[type eq "work"].value`, `name.givenName`,
		`urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager`, `a[b pr].`, `a[`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		p, err := ParsePath(s)
		if err != nil {
			var se *SyntaxError
			if !errors.As(err, &se) {
				t.Fatalf("%q: %v", s, err)
			}
			return
		}
		if p.Attr.Name == "" {
			t.Fatalf("%q: no attribute", s)
		}
	})
}
