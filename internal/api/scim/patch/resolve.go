package patch

import (
	"errors"

	"github.com/gatehouse/gatehouse/internal/api/scim/filter"
	"github.com/gatehouse/gatehouse/internal/api/scim/schema"
)

// target is a resolved PATCH path.
type target struct {
	path  schema.Path       // the attribute, and for attr.sub the sub-attribute
	match func(any) bool    // for attr[filter]: selects values
	expr  filter.Expr       // the filter, from which a missing value is made
	sub   *schema.Attribute // for attr[filter].sub
}

// resolve parses and resolves a PATCH path; every error is invalidPath
// (RFC 7644 §3.5.2).
func (a *applier) resolve(path string) (target, error) {
	pp, err := filter.ParsePath(path)
	if err != nil {
		return target{}, badPath("malformed path %q: %v", path, err)
	}
	p, err := a.r.Lookup(pp.Attr.URI, pp.Attr.Name, pp.Attr.Sub)
	if err != nil {
		return target{}, asPathError(err)
	}
	t := target{path: p}
	if pp.Filter == nil {
		if p.Sub != nil && p.Attr.MultiValued {
			// Which of the values? RFC 7644 gives no meaning to it.
			return target{}, badPath("%s names a sub-attribute of every value of %s: select values with a filter, as in %s[type eq \"work\"].%s",
				p, p.Attr.Name, p.Attr.Name, p.Sub.Name)
		}
		return t, nil
	}
	if !p.Attr.MultiValued || p.Attr.Type != schema.Complex {
		return target{}, badPath("a value filter selects values of a multi-valued complex attribute, which %s is not", p)
	}
	if t.match, err = filter.Matcher(pp.Filter, p.Attr); err != nil {
		return target{}, asPathError(err)
	}
	t.expr = pp.Filter
	if pp.Sub != "" {
		if t.sub = p.Attr.SubAttribute(pp.Sub); t.sub == nil {
			return target{}, badPath("unknown attribute %q", p.String()+"."+pp.Sub)
		}
	}
	return t, nil
}

func asPathError(err error) error {
	var se *schema.Error
	if errors.As(err, &se) {
		return se.Retype(schema.InvalidPath)
	}
	return err
}
