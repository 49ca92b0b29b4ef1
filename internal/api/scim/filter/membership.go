package filter

import (
	"github.com/gatehouse/gatehouse/internal/api/scim/schema"
	"github.com/gatehouse/gatehouse/internal/directory"
)

// checkMembershipBracket refuses what the directory cannot say about one
// member of many: members[not (…)] and members[value ne …] ("some member
// is not …"), and two values joined by and, which no single member can
// have at once.
func (c *compiler) checkMembershipBracket(p schema.Path, f Expr) error {
	isMember := func(x Test) bool {
		sub := p.Attr.SubAttribute(x.Path.Name)
		if sub == nil || x.Path.URI != "" || x.Path.Sub != "" {
			return false
		}
		tg, ok := c.t[p.WithSub(sub).Key()]
		return ok && tg.Const == nil && directory.Attrs[tg.Attr].Membership
	}
	var count func(Expr) (int, error)
	count = func(e Expr) (int, error) {
		switch x := e.(type) {
		case Test:
			if isMember(x) && x.Op == Eq {
				return 1, nil
			}
			return 0, nil
		case Not:
			if hasMember(x.X, isMember) {
				return 0, invalid("not (…) of a value inside %s[…] is not supported: put the not before %s[…]", p, p)
			}
			return 0, nil
		case Or:
			most := 0
			for _, y := range x {
				n, err := count(y)
				if err != nil {
					return 0, err
				}
				most = max(most, n)
			}
			return most, nil
		case And:
			total := 0
			for _, y := range x {
				n, err := count(y)
				if err != nil {
					return 0, err
				}
				total += n
			}
			if total > 1 {
				return 0, invalid("no single value of %s equals two values at once: join %s[…] filters with and instead", p, p)
			}
			return total, nil
		}
		return 0, nil
	}
	_, err := count(f)
	return err
}

func hasMember(e Expr, isMember func(Test) bool) bool {
	switch x := e.(type) {
	case Test:
		return isMember(x)
	case Not:
		return hasMember(x.X, isMember)
	case And:
		for _, y := range x {
			if hasMember(y, isMember) {
				return true
			}
		}
	case Or:
		for _, y := range x {
			if hasMember(y, isMember) {
				return true
			}
		}
	}
	return false
}
