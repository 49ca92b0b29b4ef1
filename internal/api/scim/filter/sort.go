package filter

import (
	"errors"

	"github.com/gatehouse/gatehouse/internal/api/scim/schema"
	"github.com/gatehouse/gatehouse/internal/directory"
)

// Sort resolves a sortBy attribute (RFC 7644 §3.4.2.3) to the directory
// attribute lists sort on. A complex multi-valued attribute sorts by its
// value ("emails" by the e-mail address, as the RFC's primary-or-first
// value rule comes to with one stored address). RFC 7644 defines no
// scimType for a bad sortBy; errors are 400 invalidValue, the type §3.12
// gives a value "not compatible with … resource schema".
func Sort(path string, r *schema.Resource, t Targets) (directory.Attr, error) {
	p, err := r.Resolve(path)
	if err != nil {
		var se *schema.Error
		if errors.As(err, &se) {
			return "", se.Retype(schema.InvalidValue)
		}
		return "", err
	}
	if p.Leaf().Type == schema.Complex {
		v := p.Attr.ValueSub()
		if v == nil || !p.Attr.MultiValued {
			return "", schema.BadRequest(schema.InvalidValue, "cannot sort by %s, a complex attribute: name one of its sub-attributes", p)
		}
		p = p.WithSub(v)
	}
	tg, ok := t[p.Key()]
	if !ok || tg.Const != nil || directory.Attrs[tg.Attr].Membership {
		return "", schema.BadRequest(schema.InvalidValue, "cannot sort by %q", p.String())
	}
	if err := tg.fits(p); err != nil {
		return "", err
	}
	return tg.Attr, nil
}
