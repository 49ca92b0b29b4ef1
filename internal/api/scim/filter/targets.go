package filter

import (
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/gatehouse/gatehouse/internal/api/scim/schema"
	"github.com/gatehouse/gatehouse/internal/directory"
)

// Target says what a SCIM attribute path compiles to.
type Target struct {
	Attr directory.Attr // the directory attribute; see directory.Attrs for its type
	// ID: the SCIM value is a decimal string naming an int64 (id,
	// members.value, groups.value).
	ID bool
	// Const, when non-nil, is the attribute's one value for every resource
	// (emails.type is "work", emails.primary is true): comparisons are
	// decided while compiling. Const is a string, bool, int64 or
	// time.Time, as the attribute's SCIM type calls for.
	Const any
}

// Targets maps canonical paths (schema.Path.Key: lower case, without the
// core URN: "username", "name.givenname", "emails.value",
// "meta.lastmodified", "urn:…:enterprise:2.0:user:department") to
// targets. A path the schema has but Targets lacks is not filterable.
type Targets map[string]Target

// Check verifies t against r: every key is a canonical path of r, every
// target's directory type fits the SCIM type, and string attributes agree
// on caseExact, so that a mistake in the table fails a test rather than
// compiling a filter that answers wrongly. Compile makes the same checks
// on the targets a filter uses.
func (t Targets) Check(r *schema.Resource) error {
	var errs []error
	for key, tg := range t {
		p, err := r.Resolve(key)
		if err != nil {
			errs = append(errs, fmt.Errorf("target %q: %v", key, err))
			continue
		}
		if p.Key() != key {
			errs = append(errs, fmt.Errorf("target %q: the canonical key is %q", key, p.Key()))
		}
		if p.Leaf().Type == schema.Complex {
			errs = append(errs, fmt.Errorf("target %q: a complex attribute compiles through its sub-attributes", key))
			continue
		}
		if err := tg.fits(p); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// fits reports a target that cannot represent p's values faithfully.
// This is the server's mistake, not the client's: a plain error.
func (tg Target) fits(p schema.Path) error {
	a := p.Leaf()
	if tg.Const != nil {
		if !constFits(a.Type, tg.Const) {
			return fmt.Errorf("target %q: constant %v (%T) does not fit SCIM type %s", p.Key(), tg.Const, tg.Const, a.Type)
		}
		return nil
	}
	info, ok := directory.Attrs[tg.Attr]
	if !ok {
		return fmt.Errorf("target %q: unknown directory attribute %q", p.Key(), tg.Attr)
	}
	if tg.ID {
		if a.Type != schema.String || info.Type != directory.TypeInt {
			return fmt.Errorf("target %q: an id target needs a SCIM string and a directory integer", p.Key())
		}
		return nil
	}
	if info.Membership {
		return fmt.Errorf("target %q: membership attribute %s needs ID", p.Key(), tg.Attr)
	}
	want := map[schema.Type]directory.AttrType{
		schema.String: directory.TypeString, schema.Reference: directory.TypeString, schema.Binary: directory.TypeString,
		schema.Boolean: directory.TypeBool, schema.Integer: directory.TypeInt, schema.DateTime: directory.TypeTime,
	}[a.Type]
	if want == 0 || info.Type != want {
		return fmt.Errorf("target %q: SCIM type %s does not fit directory attribute %s", p.Key(), a.Type, tg.Attr)
	}
	if want == directory.TypeString && info.CaseExact != a.CaseExact {
		return fmt.Errorf("target %q: SCIM caseExact is %v but directory attribute %s has CaseExact %v",
			p.Key(), a.CaseExact, tg.Attr, info.CaseExact)
	}
	return nil
}

func constFits(t schema.Type, v any) bool {
	switch v.(type) {
	case string:
		return t == schema.String || t == schema.Reference || t == schema.Binary
	case time.Time:
		return t == schema.DateTime
	case bool:
		return t == schema.Boolean
	case int64:
		return t == schema.Integer
	}
	return false
}

// parseID reads a SCIM id as the directory's int64. Only the canonical
// decimal spelling names a resource: "007" and "+7" are other strings
// than "7", which SCIM compares exactly.
func parseID(s string) (int64, bool) {
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || strconv.FormatInt(n, 10) != s {
		return 0, false
	}
	return n, true
}
