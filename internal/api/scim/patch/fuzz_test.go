package patch

import (
	"errors"
	"testing"

	"github.com/gatehouse/gatehouse/internal/api/scim/schema"
)

// FuzzPatch: no request body panics Parse, Apply or Members; every error
// is a 400 SCIM error; a failed Apply leaves the document as it was.
func FuzzPatch(f *testing.F) {
	for _, ops := range []string{
		`[{"op":"replace","value":{"active":false}}]`,
		`[{"op":"Replace","path":"active","value":"False"}]`,
		`[{"op":"Add","path":"members","value":[{"value":"5"}]}]`,
		`[{"op":"Remove","path":"members","value":[{"value":"5"}]}]`,
		`[{"op":"remove","path":"members[value eq \"5\"]"}]`,
		`[{"op":"replace","value":{"id":"7","displayName":"New"}}]`,
		`[{"op":"Replace","path":"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager","value":"26"}]`,
		`[{"op":"Add","path":"emails[type eq \"work\"].value","value":"x@y"}]`,
		`[{"op":"replace","path":"addresses[type eq \"work\"].streetAddress","value":"1 Main"}]`,
		`[{"op":"add","value":{"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User":{"department":"S"},"name.givenName":"B"}}]`,
		`[{"op":"remove","path":"emails[type eq \"work\"].primary"}]`,
		`[{"op":"replace","path":"emails","value":[{"value":"a","primary":true},{"value":"b"}]}]`,
	} {
		f.Add(body(ops))
	}
	f.Add([]byte(`{}`))
	f.Add([]byte(`not json`))
	f.Fuzz(func(t *testing.T, b []byte) {
		ops, err := Parse(b)
		if err != nil {
			mustBeSCIM(t, err)
			return
		}
		for _, c := range []struct {
			r   *schema.Resource
			src string
		}{{schema.UserResource, baseUser}, {schema.GroupResource, baseGroup}} {
			d := doc(t, c.src)
			before := canonical(t, d)
			if err := Apply(d, ops, c.r); err != nil {
				mustBeSCIM(t, err)
				if canonical(t, d) != before {
					t.Fatalf("a failed PATCH changed the document")
				}
			} else {
				canonical(t, d) // still marshals
			}
		}
		if _, _, _, _, _, _, err := Members(ops); err != nil {
			mustBeSCIM(t, err)
		}
	})
}

func mustBeSCIM(t *testing.T, err error) {
	t.Helper()
	var se *schema.Error
	if !errors.As(err, &se) || se.Status != 400 || se.ScimType == "" {
		t.Fatalf("not a SCIM 400: %v", err)
	}
}
