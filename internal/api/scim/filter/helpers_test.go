package filter

import (
	"errors"
	"testing"

	"github.com/gatehouse/gatehouse/internal/api/scim/schema"
	"github.com/gatehouse/gatehouse/internal/directory"
)

// wantSCIM fails unless err is a 400 *schema.Error of scimType with
// detail (any detail when detail is empty).
func wantSCIM(t *testing.T, what string, err error, scimType, detail string) {
	t.Helper()
	var se *schema.Error
	if !errors.As(err, &se) || se.Status != 400 || se.ScimType != scimType || (detail != "" && se.Detail != detail) {
		t.Errorf("%s:\n got  %v\n want 400 %s %q", what, err, scimType, detail)
	}
}

func TestTargetsCheck(t *testing.T) {
	if err := UserTargets.Check(schema.UserResource); err != nil {
		t.Errorf("user targets: %v", err)
	}
	if err := GroupTargets.Check(schema.GroupResource); err != nil {
		t.Errorf("group targets: %v", err)
	}
	for _, c := range []struct {
		name string
		t    Targets
	}{
		{"not canonical", Targets{"userName": {Attr: directory.UserUsername}}},
		{"unknown path", Targets{"nickname2": {Attr: directory.UserUsername}}},
		{"complex", Targets{"name": {Attr: directory.UserFirstName}}},
		{"unknown directory attribute", Targets{"username": {Attr: "user.nope"}}},
		{"type mismatch", Targets{"active": {Attr: directory.UserUsername}}},
		{"caseExact: SCIM false, directory true", Targets{"username": {Attr: directory.UserExternalID}}},
		{"caseExact: SCIM true, directory false", Targets{"externalid": {Attr: directory.UserUsername}}},
		{"id on a string attribute", Targets{"id": {Attr: directory.UserUsername, ID: true}}},
		{"membership without ID", Targets{"groups.value": {Attr: directory.UserGroup}}},
		{"const of the wrong type", Targets{"emails.primary": {Const: "yes"}}},
		{"decimal has no directory type", Targets{"active": {Attr: directory.UserID}}},
	} {
		if err := c.t.Check(schema.UserResource); err == nil {
			t.Errorf("%s: Check passed", c.name)
		}
	}
}
