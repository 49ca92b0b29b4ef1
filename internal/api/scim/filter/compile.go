package filter

import (
	"errors"

	"github.com/gatehouse/gatehouse/internal/api/scim/schema"
	"github.com/gatehouse/gatehouse/internal/directory"
)

// Compile parses a filter (RFC 7644 §3.4.2.2) against the resource's
// schema and compiles it into a directory filter; nothing is evaluated in
// memory. A client's mistake is a *schema.Error 400 invalidFilter with a
// precise detail; a plain error means t itself is wrong (see
// Targets.Check), which the face answers as a server error.
//
// A multi-valued attribute matches when some value does (RFC 7644
// §3.4.2.2), so a test of its sub-attributes also requires that a value
// exist: with Const targets emails[type eq "work"] is "has an e-mail",
// not every user, and emails.value ne "x" leaves out users without one.
func Compile(expr string, r *schema.Resource, t Targets) (directory.Expr, error) {
	if len(expr) > directory.MaxFilterBytes {
		return nil, schema.BadRequest(schema.InvalidFilter, "the filter %s", directory.MsgFilterBytes)
	}
	e, err := Parse(expr)
	if err != nil {
		return nil, syntaxError(err)
	}
	c := &compiler{r: r, t: t}
	out, err := c.expr(e)
	if err != nil {
		return nil, err
	}
	if de, ok := directory.AsError(directory.CheckFilterSize(out)); ok {
		return nil, schema.BadRequest(schema.InvalidFilter, "the filter %s", de.Fields["filter"][0])
	}
	return out, nil
}

func syntaxError(err error) error {
	var se *SyntaxError
	if errors.As(err, &se) {
		return schema.BadRequest(schema.InvalidFilter, "%s", se.Error())
	}
	return err
}

type compiler struct {
	r      *schema.Resource
	t      Targets
	parent *schema.Path // the attribute whose brackets are being compiled
}

func (c *compiler) expr(e Expr) (directory.Expr, error) {
	switch x := e.(type) {
	case And:
		xs, err := c.all(x)
		if err != nil {
			return nil, err
		}
		return and(xs...), nil
	case Or:
		xs, err := c.all(x)
		if err != nil {
			return nil, err
		}
		return or(xs...), nil
	case Not:
		y, err := c.expr(x.X)
		if err != nil {
			return nil, err
		}
		return not(y), nil
	case ValuePath:
		return c.valuePath(x)
	case Test:
		return c.test(x)
	}
	return nil, invalid("malformed filter")
}

func (c *compiler) all(xs []Expr) ([]directory.Expr, error) {
	out := make([]directory.Expr, len(xs))
	for i, x := range xs {
		y, err := c.expr(x)
		if err != nil {
			return nil, err
		}
		out[i] = y
	}
	return out, nil
}

func (c *compiler) valuePath(v ValuePath) (directory.Expr, error) {
	p, err := c.r.Lookup(v.Path.URI, v.Path.Name, "")
	if err != nil {
		return nil, retype(err)
	}
	if p.Attr.Type != schema.Complex {
		return nil, invalid("%s has no sub-attributes to filter in brackets", p)
	}
	if err := c.checkMembershipBracket(p, v.Filter); err != nil {
		return nil, err
	}
	inner := &compiler{r: c.r, t: c.t, parent: &p}
	f, err := inner.expr(v.Filter)
	if err != nil {
		return nil, err
	}
	return c.guard(p, f), nil
}

func (c *compiler) test(x Test) (directory.Expr, error) {
	p, err := c.resolve(x.Path)
	if err != nil {
		return nil, err
	}
	f, err := c.compare(p, x)
	if err != nil {
		return nil, err
	}
	if c.parent != nil {
		return f, nil // the brackets guard the whole filter
	}
	return c.guard(p, f), nil
}

// resolve resolves a test's path: against the schema, or inside brackets
// as a sub-attribute of the bracketed attribute. A complex multi-valued
// attribute with a value sub-attribute stands for it ("emails co" is
// "emails.value co", RFC 7644 §3.4.2.2's own example).
func (c *compiler) resolve(ap AttrPath) (schema.Path, error) {
	var p schema.Path
	if c.parent != nil {
		if ap.URI != "" || ap.Sub != "" {
			return p, invalid("inside %s[…] name a sub-attribute of %s, not %s", c.parent, c.parent, ap)
		}
		sub := c.parent.Attr.SubAttribute(ap.Name)
		if sub == nil {
			return p, invalid("unknown attribute %q", c.parent.String()+"."+ap.Name)
		}
		return c.parent.WithSub(sub), nil
	}
	p, err := c.r.Lookup(ap.URI, ap.Name, ap.Sub)
	if err != nil {
		return p, retype(err)
	}
	if p.Leaf().Type == schema.Complex {
		if v := p.Attr.ValueSub(); v != nil && p.Attr.MultiValued {
			return p.WithSub(v), nil
		}
		return p, invalid("%s is complex: filter on a sub-attribute such as %s.%s", p, p, p.Attr.SubAttributes[0].Name)
	}
	return p, nil
}

func retype(err error) error {
	var se *schema.Error
	if errors.As(err, &se) {
		return se.Retype(schema.InvalidFilter)
	}
	return err
}

// target returns the target of p, checked against the schema.
func (c *compiler) target(p schema.Path) (Target, error) {
	tg, ok := c.t[p.Key()]
	if !ok {
		return tg, invalid("attribute %q cannot be filtered", p.String())
	}
	return tg, tg.fits(p)
}

func (c *compiler) compare(p schema.Path, x Test) (directory.Expr, error) {
	tg, err := c.target(p)
	if err != nil {
		return nil, err
	}
	a, name := p.Leaf(), p.String()
	if x.Op == Pr {
		if tg.Const != nil {
			return matchAll, nil
		}
		return directory.Present{Attr: tg.Attr}, nil
	}
	want, err := comparand(name, a, x.Op, x.Value)
	if err != nil {
		return nil, err
	}
	switch {
	case tg.Const != nil && want == nil:
		return decided(x.Op == Ne), nil
	case tg.Const != nil:
		return decided(holds(a, x.Op, tg.Const, want)), nil
	case want == nil: // eq null: absent; ne null: present
		if x.Op == Eq {
			return not(directory.Present{Attr: tg.Attr}), nil
		}
		return directory.Present{Attr: tg.Attr}, nil
	case tg.ID:
		return c.compareID(p, tg, x.Op, want.(string))
	}
	return directory.Compare{Attr: tg.Attr, Op: directory.Op(x.Op), Value: want}, nil
}

// compareID compiles a test of an identifier. SCIM ids are strings: only
// equality is meaningful, and a string that is no id of this server
// matches nothing rather than being an error.
func (c *compiler) compareID(p schema.Path, tg Target, op Op, s string) (directory.Expr, error) {
	if op != Eq && op != Ne {
		return nil, invalid("operator %s does not apply to %s, an identifier: use eq or ne", op, p)
	}
	if op == Ne && directory.Attrs[tg.Attr].Membership {
		// "Some member is not 5" is what SCIM's ne means for a multi-valued
		// attribute; the directory can only say "5 is not a member".
		return nil, invalid("operator ne does not apply to %s, which has many values: use not (%s eq %q)", p, p, s)
	}
	n, ok := parseID(s)
	if !ok {
		return decided(op == Ne), nil
	}
	return directory.Compare{Attr: tg.Attr, Op: directory.Op(op), Value: n}, nil
}

// guard makes a test of a multi-valued attribute's sub-attributes also
// require that the attribute have a value, unless f already does.
func (c *compiler) guard(p schema.Path, f directory.Expr) directory.Expr {
	if !p.Attr.MultiValued {
		return f
	}
	v := p.Attr.ValueSub()
	if v == nil {
		return f
	}
	tg, ok := c.t[p.WithSub(v).Key()]
	if !ok || tg.Const != nil || tg.fits(p.WithSub(v)) != nil || requires(f, tg.Attr) {
		return f
	}
	return and(directory.Present{Attr: tg.Attr}, f)
}

// requires reports whether f can only match where attr is present.
func requires(f directory.Expr, attr directory.Attr) bool {
	switch x := f.(type) {
	case directory.Present:
		return x.Attr == attr
	case directory.Compare:
		// eq, and co, sw and ew with a non-empty operand, fail on the
		// empty string the directory stores for an absent value.
		if x.Attr != attr {
			return false
		}
		s, isString := x.Value.(string)
		switch x.Op {
		case directory.OpEq:
			return !isString || s != ""
		case directory.OpCo, directory.OpSw, directory.OpEw:
			return s != ""
		}
		return false
	case directory.And:
		for _, y := range x {
			if requires(y, attr) {
				return true
			}
		}
		return false
	case directory.Or:
		for _, y := range x {
			if !requires(y, attr) {
				return false
			}
		}
		return true
	}
	return false
}
