package filter

import (
	"errors"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/gatehouse/gatehouse/internal/api/scim/schema"
	d "github.com/gatehouse/gatehouse/internal/directory"
)

func cmp(a d.Attr, op d.Op, v any) d.Compare { return d.Compare{Attr: a, Op: op, Value: v} }

func TestCompileUsers(t *testing.T) {
	when := time.Date(2011, 5, 13, 4, 42, 34, 0, time.UTC)
	email := d.Present{Attr: d.UserEmail}
	for _, c := range []struct {
		filter string
		want   d.Expr
	}{
		{`userName eq "bjensen"`, cmp(d.UserUsername, d.OpEq, "bjensen")},
		{`USERNAME EQ "bjensen"`, cmp(d.UserUsername, d.OpEq, "bjensen")},
		{`userName Eq "x" AND active Eq TRUE`, d.And{cmp(d.UserUsername, d.OpEq, "x"), cmp(d.UserEnabled, d.OpEq, true)}},
		{`urn:ietf:params:scim:schemas:core:2.0:User:userName sw "J"`, cmp(d.UserUsername, d.OpSw, "J")},
		{`name.familyName co "O'Malley"`, cmp(d.UserLastName, d.OpCo, "O'Malley")},
		{`userName eq "O\"Brien \u00e9\\"`, cmp(d.UserUsername, d.OpEq, `O"Brien é\`)},
		{`displayName gt "m"`, cmp(d.UserDisplayName, d.OpGt, "m")},
		{`externalId eq "abc"`, cmp(d.UserExternalID, d.OpEq, "abc")},
		{`locale ew "US"`, cmp(d.UserLocale, d.OpEw, "US")},
		{`active eq true`, cmp(d.UserEnabled, d.OpEq, true)},
		{`active eq FALSE`, cmp(d.UserEnabled, d.OpEq, false)},
		{`active ne true`, cmp(d.UserEnabled, d.OpNe, true)},
		{`active pr`, d.Present{Attr: d.UserEnabled}},
		{`meta.lastModified gt "2011-05-13T04:42:34Z"`, cmp(d.UserUpdatedAt, d.OpGt, when)},
		{`meta.lastModified ge "2011-05-13T06:42:34+02:00"`, cmp(d.UserUpdatedAt, d.OpGe, when.In(time.FixedZone("", 7200)))},
		{`meta.created lt "2011-05-13T04:42:34.5Z"`, cmp(d.UserCreatedAt, d.OpLt, when.Add(500*time.Millisecond))},
		{`meta.resourceType eq "User"`, d.And{}},
		{`meta.resourceType eq "Group"`, d.Or{}},
		// ids: decimal strings; anything else names no resource.
		{`id eq "42"`, cmp(d.UserID, d.OpEq, int64(42))},
		{`id ne "42"`, cmp(d.UserID, d.OpNe, int64(42))},
		{`id eq "abc"`, d.Or{}},
		{`id eq "007"`, d.Or{}},
		{`id eq "99999999999999999999"`, d.Or{}},
		{`id ne "abc"`, d.And{}},
		{`id eq "abc" or userName eq "x"`, cmp(d.UserUsername, d.OpEq, "x")},
		{`id eq "abc" and userName eq "x"`, d.Or{}},
		{`id pr`, d.Present{Attr: d.UserID}},
		{`id eq "1" or id eq "2"`, d.Or{cmp(d.UserID, d.OpEq, int64(1)), cmp(d.UserID, d.OpEq, int64(2))}},
		// null
		{`userName eq null`, d.Not{X: d.Present{Attr: d.UserUsername}}},
		{`userName ne NULL`, d.Present{Attr: d.UserUsername}},
		{`meta.resourceType eq null`, d.Or{}},
		// logic and precedence
		{`not (userName eq "a")`, d.Not{X: cmp(d.UserUsername, d.OpEq, "a")}},
		{`not(not(userName eq "a"))`, cmp(d.UserUsername, d.OpEq, "a")},
		{`userName eq "a" or userName eq "b" and active eq true`,
			d.Or{cmp(d.UserUsername, d.OpEq, "a"), d.And{cmp(d.UserUsername, d.OpEq, "b"), cmp(d.UserEnabled, d.OpEq, true)}}},
		{`(userName eq "a" or userName eq "b") and active eq true`,
			d.And{d.Or{cmp(d.UserUsername, d.OpEq, "a"), cmp(d.UserUsername, d.OpEq, "b")}, cmp(d.UserEnabled, d.OpEq, true)}},
		{`  ( ( userName pr ) )  `, d.Present{Attr: d.UserUsername}},
		// multi-valued: a value must exist; Const decided while compiling.
		{`emails[type eq "work" and value co "@example.com"]`, cmp(d.UserEmail, d.OpCo, "@example.com")},
		{`emails[type eq "work"]`, email},
		{`emails[TYPE eq "WORK"]`, email},
		{`emails[type eq "home"]`, d.Or{}},
		{`emails.type eq "work"`, email},
		{`emails.type ne "home"`, email},
		{`emails[primary eq true]`, email},
		{`emails[not (type eq "home")]`, email},
		{`not (emails[type eq "home"])`, d.And{}},
		{`emails[type eq "work" and (value co "@x" or primary eq true)]`, email},
		{`emails co "example.com"`, cmp(d.UserEmail, d.OpCo, "example.com")},
		{`emails pr`, email},
		{`emails.value ne "a@x"`, d.And{email, cmp(d.UserEmail, d.OpNe, "a@x")}},
		{`emails.value gt "a"`, d.And{email, cmp(d.UserEmail, d.OpGt, "a")}},
		{`emails.value eq "a@x"`, cmp(d.UserEmail, d.OpEq, "a@x")},
		{`emails[value eq ""]`, d.And{email, cmp(d.UserEmail, d.OpEq, "")}},
		{`emails[type eq "work"] and emails[value sw "a"]`, d.And{email, cmp(d.UserEmail, d.OpSw, "a")}},
		{`displayName eq "x" and not (emails co "example.com" or emails.value co "example.org")`,
			d.And{cmp(d.UserDisplayName, d.OpEq, "x"), d.Not{X: d.Or{cmp(d.UserEmail, d.OpCo, "example.com"), cmp(d.UserEmail, d.OpCo, "example.org")}}}},
		{`name[givenName eq "B"]`, cmp(d.UserFirstName, d.OpEq, "B")},
		{`groups[value eq "3"]`, cmp(d.UserGroup, d.OpEq, int64(3))},
		{`groups.value eq "3"`, cmp(d.UserGroup, d.OpEq, int64(3))},
		{`groups pr`, d.Present{Attr: d.UserGroup}},
	} {
		got, err := Compile(c.filter, schema.UserResource, UserTargets)
		if err != nil {
			t.Errorf("%s: %v", c.filter, err)
			continue
		}
		if !reflect.DeepEqual(got, c.want) {
			t.Errorf("%s:\n got  %#v\n want %#v", c.filter, got, c.want)
		}
		if err := d.CheckExpr(got); err != nil {
			t.Errorf("%s: CheckExpr: %v", c.filter, err)
		}
	}
}

func TestCompileGroups(t *testing.T) {
	member := func(n int64) d.Expr { return cmp(d.GroupMember, d.OpEq, n) }
	for _, c := range []struct {
		filter string
		want   d.Expr
	}{
		{`displayName eq "Admins"`, cmp(d.GroupName, d.OpEq, "Admins")},
		{`members[value eq "5"]`, member(5)},
		{`members.value eq "5"`, member(5)},
		{`members[value eq "5" or value eq "6"]`, d.Or{member(5), member(6)}},
		{`members[value eq "x"]`, d.Or{}},
		{`not (members[value eq "5"])`, d.Not{X: member(5)}},
		{`members[type eq "User"]`, d.Present{Attr: d.GroupMember}},
		{`members[type eq "Group"]`, d.Or{}},
		{`members[type eq "User" and value eq "5"]`, member(5)},
		{`members[value pr and value eq "5"]`, d.And{d.Present{Attr: d.GroupMember}, member(5)}},
		{`members pr`, d.Present{Attr: d.GroupMember}},
		{`members[value eq "5"] and members[value eq "6"]`, d.And{member(5), member(6)}},
		// Entra ID's membership check.
		{`id eq "7" and members[value eq "5"]`, d.And{cmp(d.GroupID, d.OpEq, int64(7)), member(5)}},
		{`externalId eq "X"`, cmp(d.GroupExternalID, d.OpEq, "X")},
	} {
		got, err := Compile(c.filter, schema.GroupResource, GroupTargets)
		if err != nil {
			t.Errorf("%s: %v", c.filter, err)
			continue
		}
		if !reflect.DeepEqual(got, c.want) {
			t.Errorf("%s:\n got  %#v\n want %#v", c.filter, got, c.want)
		}
		if err := d.CheckExpr(got); err != nil {
			t.Errorf("%s: CheckExpr: %v", c.filter, err)
		}
	}
}

func TestCompileErrors(t *testing.T) {
	ent := schema.EnterpriseURN
	for _, c := range []struct {
		r      *schema.Resource
		filter string
		detail string
	}{
		{schema.UserResource, `nickname2 eq "x"`, `unknown attribute "nickname2"`},
		{schema.UserResource, `title eq "x"`, `attribute "title" cannot be filtered`},
		{schema.UserResource, `password eq "x"`, `attribute "password" cannot be filtered`},
		{schema.UserResource, ent + `:department eq "x"`, `attribute "` + ent + `:department" cannot be filtered`},
		{schema.UserResource, `active gt true`, `operator gt does not apply to boolean active`},
		{schema.UserResource, `active co "t"`, `operator co does not apply to boolean active`},
		{schema.UserResource, `userName eq 5`, `expected a string for userName`},
		{schema.UserResource, `userName eq true`, `expected a string for userName`},
		{schema.UserResource, `active eq "true"`, `expected true or false for active`},
		{schema.UserResource, `meta.created gt "yesterday"`, `expected an RFC 3339 date-time such as "2024-01-02T03:04:05Z" for meta.created`},
		{schema.UserResource, `meta.created co "2020"`, `operator co does not apply to dateTime meta.created`},
		{schema.UserResource, `userName gt null`, `operator gt cannot compare with null; use eq null, ne null or pr`},
		{schema.UserResource, `id gt "5"`, `operator gt does not apply to id, an identifier: use eq or ne`},
		{schema.UserResource, `id sw "5"`, `operator sw does not apply to id, an identifier: use eq or ne`},
		{schema.UserResource, `id eq 5`, `expected a string for id`},
		{schema.UserResource, `name eq "x"`, `name is complex: filter on a sub-attribute such as name.formatted`},
		{schema.UserResource, `meta pr`, `meta is complex: filter on a sub-attribute such as meta.resourceType`},
		{schema.UserResource, `userName[value eq "x"]`, `userName has no sub-attributes to filter in brackets`},
		{schema.UserResource, `emails[foo eq "x"]`, `unknown attribute "emails.foo"`},
		{schema.UserResource, `emails[name.givenName eq "x"]`, `inside emails[…] name a sub-attribute of emails, not name.givenName`},
		{schema.UserResource, `urn:foo:userName eq "x"`, `unknown attribute "urn:foo:userName": urn:foo is not a schema of User resources`},
		{schema.UserResource, `groups.value ne "3"`, `operator ne does not apply to groups.value, which has many values: use not (groups.value eq "3")`},
		{schema.GroupResource, `members[value ne "5"]`, `operator ne does not apply to members.value, which has many values: use not (members.value eq "5")`},
		{schema.GroupResource, `members.value ne "5"`, `operator ne does not apply to members.value, which has many values: use not (members.value eq "5")`},
		{schema.GroupResource, `members[value eq "5" and value eq "6"]`, `no single value of members equals two values at once: join members[…] filters with and instead`},
		{schema.GroupResource, `members[not (value eq "5")]`, `not (…) of a value inside members[…] is not supported: put the not before members[…]`},
		{schema.GroupResource, `members.display eq "x"`, `attribute "members.display" cannot be filtered`},
		{schema.GroupResource, `userName eq "x"`, `unknown attribute "userName"`},
		// syntax
		{schema.UserResource, ``, `empty expression at position 1`},
		{schema.UserResource, `   `, `empty expression at position 1`},
		{schema.UserResource, `userName eq`, `expected a value (a string in double quotes, a number, true, false or null) after eq, found the end at position 12`},
		{schema.UserResource, `userName xx "a"`, `expected an operator (eq, ne, co, sw, ew, gt, ge, lt, le, pr) after "userName", found "xx" at position 10`},
		{schema.UserResource, `userName`, `expected an operator (eq, ne, co, sw, ew, gt, ge, lt, le, pr) after "userName", found the end at position 9`},
		{schema.UserResource, `(userName eq "a"`, `expected ), found the end at position 17`},
		{schema.UserResource, `userName eq "a")`, `expected and, or or the end of the filter, found ")" at position 16`},
		{schema.UserResource, `userName eq "a" and`, `expected an attribute name, not or (, found the end at position 20`},
		{schema.UserResource, `emails[type eq "work"`, `expected ], found the end at position 22`},
		{schema.UserResource, `emails[value[type eq "x"]]`, `value filters cannot nest at position 13`},
		{schema.UserResource, `emails.value[type eq "x"]`, `a value filter follows an attribute, not a sub-attribute (emails.value) at position 1`},
		{schema.UserResource, `userName eq "unterminated`, `unterminated string at position 13`},
		{schema.UserResource, `userName eq "a` + "\t" + `b"`, "malformed string \"a\tb\" at position 13"},
		{schema.UserResource, `userName eq 'a'`, `unexpected character '\'' at position 13`},
		{schema.UserResource, `userName eq 01`, `malformed number "01" at position 13`},
		{schema.UserResource, `name.givenName.x eq "a"`, `malformed attribute path "name.givenName.x" at position 1`},
		{schema.UserResource, `urn:x: eq "a"`, `malformed attribute path "urn:x:" at position 1`},
		{schema.UserResource, `userName eq "a" and or`, `expected an operator (eq, ne, co, sw, ew, gt, ge, lt, le, pr) after "or", found the end at position 23`},
		{schema.UserResource, strings.Repeat("(", 40) + "userName pr" + strings.Repeat(")", 40), `filter nests more than 32 deep at position 33`},
	} {
		_, err := Compile(c.filter, c.r, userOrGroup(c.r))
		wantSCIM(t, c.filter, err, schema.InvalidFilter, c.detail)
	}
}

func userOrGroup(r *schema.Resource) Targets {
	if r == schema.GroupResource {
		return GroupTargets
	}
	return UserTargets
}

// A mistaken Targets table is the server's error, not the client's.
func TestCompileBadTargets(t *testing.T) {
	bad := Targets{"username": {Attr: d.UserExternalID}}
	_, err := Compile(`userName eq "x"`, schema.UserResource, bad)
	if err == nil || strings.Contains(err.Error(), "scim 400") {
		t.Errorf("got %v, want a plain error", err)
	}
	if !strings.Contains(err.Error(), "caseExact") {
		t.Errorf("error does not name caseExact: %v", err)
	}
}

func TestSort(t *testing.T) {
	for _, c := range []struct {
		r    *schema.Resource
		path string
		want d.Attr
	}{
		{schema.UserResource, "userName", d.UserUsername},
		{schema.UserResource, "USERNAME", d.UserUsername},
		{schema.UserResource, "meta.lastModified", d.UserUpdatedAt},
		{schema.UserResource, "emails", d.UserEmail},
		{schema.UserResource, "emails.value", d.UserEmail},
		{schema.UserResource, "id", d.UserID},
		{schema.UserResource, schema.UserURN + ":name.familyName", d.UserLastName},
		{schema.GroupResource, "displayName", d.GroupName},
	} {
		got, err := Sort(c.path, c.r, userOrGroup(c.r))
		if err != nil || got != c.want {
			t.Errorf("%s: %v %v", c.path, got, err)
		}
	}
	for _, c := range []struct {
		r      *schema.Resource
		path   string
		detail string
	}{
		{schema.UserResource, "title", `cannot sort by "title"`},
		{schema.UserResource, "nickname2", `unknown attribute "nickname2"`},
		{schema.UserResource, "name", `cannot sort by name, a complex attribute: name one of its sub-attributes`},
		{schema.UserResource, "emails.type", `cannot sort by "emails.type"`},
		{schema.UserResource, "groups", `cannot sort by "groups.value"`},
		{schema.GroupResource, "members.value", `cannot sort by "members.value"`},
		{schema.UserResource, "", `malformed attribute path ""`},
	} {
		_, err := Sort(c.path, c.r, userOrGroup(c.r))
		wantSCIM(t, c.path, err, schema.InvalidValue, c.detail)
	}
	if _, err := Sort("userName", schema.UserResource, Targets{"username": {Attr: d.UserClientID}}); err == nil {
		t.Error("a caseExact mismatch sorted")
	}
}

// A filter over the directory's size limits is an invalidFilter, decided
// before any query is planned.
func TestCompileSizeLimits(t *testing.T) {
	member := func(n int) string {
		terms := make([]string, n)
		for i := range terms {
			terms[i] = `members[value eq "` + strconv.Itoa(i+1) + `"]`
		}
		return strings.Join(terms, " or ")
	}
	if _, err := Compile(member(d.MaxMembershipTests), schema.GroupResource, GroupTargets); err != nil {
		t.Errorf("%d membership tests: %v", d.MaxMembershipTests, err)
	}
	_, err := Compile(member(d.MaxMembershipTests+1), schema.GroupResource, GroupTargets)
	var se *schema.Error
	if !errors.As(err, &se) || se.Status != 400 || se.ScimType != schema.InvalidFilter ||
		se.Detail != "the filter may test group membership at most 20 times" {
		t.Errorf("%d membership tests: %v", d.MaxMembershipTests+1, err)
	}
	names := make([]string, d.MaxFilterTests+1)
	for i := range names {
		names[i] = `displayName eq "g` + strconv.Itoa(i) + `"`
	}
	if _, err := Compile(strings.Join(names, " or "), schema.GroupResource, GroupTargets); !errors.As(err, &se) ||
		se.ScimType != schema.InvalidFilter {
		t.Errorf("%d comparisons: %v", len(names), err)
	}
}
