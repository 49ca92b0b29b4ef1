package sqlstore

import (
	"fmt"
	"strings"
	"time"

	"github.com/gatehouse/gatehouse/internal/directory"
)

// attrColumns maps the attributes an entity's lists accept to the columns
// that store them.
type attrColumns map[directory.Attr]string

func (c attrColumns) lookup(a directory.Attr) (string, directory.AttrInfo, error) {
	col, ok := c[a]
	if !ok {
		return "", directory.AttrInfo{}, fmt.Errorf("sqlstore: attribute %q does not apply to this list", a)
	}
	return col, directory.Attrs[a], nil
}

// sortColumn is lookup for an ORDER BY key: a membership attribute is a
// relation, not a value a row has, so nothing sorts by it.
func (c attrColumns) sortColumn(a directory.Attr) (string, directory.AttrInfo, error) {
	col, info, err := c.lookup(a)
	if err == nil && info.Membership {
		err = fmt.Errorf("sqlstore: attribute %q is a membership, which cannot sort a list", a)
	}
	return col, info, err
}

// memberships says how each membership attribute relates a list's row to
// a table of links: its column in attrColumns is the row's id, which
// table.row holds, and the compared value is an id table.other holds.
// Every direction has an index that starts with row and goes on with
// other: members' (user_id, group_id) and, for user members, the unique
// (group_id, user_id); team_users' primary key (team_id, user_id).
var memberships = map[directory.Attr]struct{ table, row, other string }{
	directory.UserGroup:   {table: "members", row: "user_id", other: "group_id"},
	directory.GroupMember: {table: "members", row: "group_id", other: "user_id"},
	directory.TeamMember:  {table: "team_users", row: "team_id", other: "user_id"},
}

// membership writes a membership attribute's test as a correlated
// subquery: eq is EXISTS a members row that links the row to the value,
// ne is NOT EXISTS one, and pr (c.Op empty) is EXISTS any user member (for
// a group) or any group (for a user). EXISTS is TRUE or FALSE, never NULL,
// so a NOT around it is its exact complement, as around a column's test.
func (b *sqlBuf) membership(col string, c directory.Compare) error {
	rel, ok := memberships[c.Attr]
	if !ok {
		return fmt.Errorf("sqlstore: membership attribute %q has no relation", c.Attr)
	}
	switch c.Op {
	case directory.OpEq, "":
	case directory.OpNe:
		b.WriteString("NOT ")
	default:
		return fmt.Errorf("sqlstore: membership attribute %q takes only eq, ne and pr, not %s", c.Attr, c.Op)
	}
	b.WriteString("EXISTS (SELECT 1 FROM ")
	b.WriteString(rel.table)
	b.WriteString(" mm WHERE mm.")
	b.WriteString(rel.row)
	b.WriteString(" = ")
	b.WriteString(col)
	b.WriteString(" AND mm.")
	b.WriteString(rel.other)
	if c.Op == "" {
		b.WriteString(" IS NOT NULL)")
		return nil
	}
	b.WriteString(" = ")
	b.bind(c.Value)
	b.WriteByte(')')
	return nil
}

// folds reports whether an attribute compares case-insensitively: the
// column through lower(), as its index does, and the value through
// foldASCII.
func folds(info directory.AttrInfo) bool {
	return info.Type == directory.TypeString && !info.CaseExact
}

// foldASCII lower-cases a value as lower() does a column: ASCII letters
// only, which is what SQLite's lower() and PostgreSQL's under COLLATE "C"
// both do. Applying lower() to a parameter instead would fold by the
// parameter's collation, which in PostgreSQL is the database default and
// may fold far more (ICU en-US lower-cases Ä; "C" does not).
func foldASCII(s string) string {
	return strings.Map(func(r rune) rune {
		if 'A' <= r && r <= 'Z' {
			return r + 'a' - 'A'
		}
		return r
	}, s)
}

var sqlOps = map[directory.Op]string{
	directory.OpEq: " = ", directory.OpNe: " <> ",
	directory.OpGt: " > ", directory.OpGe: " >= ",
	directory.OpLt: " < ", directory.OpLe: " <= ",
}

// filter writes e as a SQL condition, every value a bound parameter. The
// expression must have passed directory.CheckExpr.
//
// Every filterable column is NOT NULL (an absent string is empty), so each
// comparison is TRUE or FALSE, never NULL: NOT and ne therefore keep the
// rows where an attribute is absent instead of losing them to SQL's
// three-valued logic.
func (b *sqlBuf) filter(cols attrColumns, e directory.Expr) error {
	switch x := e.(type) {
	case nil:
		b.WriteString("1 = 1")
	case directory.And:
		if len(x) == 0 {
			b.WriteString("1 = 1")
			return nil
		}
		return b.join(cols, " AND ", x)
	case directory.Or:
		if len(x) == 0 {
			b.WriteString("1 = 0")
			return nil
		}
		if sameAttrEq(x) {
			return b.in(cols, x)
		}
		return b.join(cols, " OR ", x)
	case directory.Not:
		b.WriteString("NOT (")
		if err := b.filter(cols, x.X); err != nil {
			return err
		}
		b.WriteByte(')')
	case directory.Present:
		col, info, err := cols.lookup(x.Attr)
		if err != nil {
			return err
		}
		if info.Membership {
			return b.membership(col, directory.Compare{Attr: x.Attr})
		}
		b.WriteString(col)
		if info.Type == directory.TypeString {
			b.WriteString(" <> ''")
		} else {
			b.WriteString(" IS NOT NULL")
		}
	case directory.Compare:
		return b.compare(cols, x)
	default:
		return fmt.Errorf("sqlstore: unknown expression %T", e)
	}
	return nil
}

// maxFlat is the most operands join writes as one flat list. SQLite
// parses a OR b OR c ... into a tree as deep as the list is long and
// refuses one deeper than 1000, which a long Or that is no IN list (one of
// memberships, or of several attributes) would reach; a longer list is
// split in halves, nested, as deep as the logarithm of its length.
const maxFlat = 64

func (b *sqlBuf) join(cols attrColumns, op string, xs []directory.Expr) error {
	if len(xs) > maxFlat {
		half := len(xs) / 2
		b.WriteByte('(')
		if err := b.join(cols, op, xs[:half]); err != nil {
			return err
		}
		b.WriteString(op)
		if err := b.join(cols, op, xs[half:]); err != nil {
			return err
		}
		b.WriteByte(')')
		return nil
	}
	b.WriteByte('(')
	for i, x := range xs {
		if i > 0 {
			b.WriteString(op)
		}
		if err := b.filter(cols, x); err != nil {
			return err
		}
	}
	b.WriteByte(')')
	return nil
}

func (b *sqlBuf) compare(cols attrColumns, c directory.Compare) error {
	col, info, err := cols.lookup(c.Attr)
	if err != nil {
		return err
	}
	if info.Membership {
		return b.membership(col, c)
	}
	fold := folds(info)
	if v, ok := c.Value.(string); ok && strings.IndexByte(v, 0) >= 0 {
		// No stored string holds NUL (PostgreSQL cannot store one, and the
		// directory refuses control characters), and PostgreSQL refuses it
		// even as a parameter: the comparison is decided here.
		if c.Op == directory.OpNe {
			b.WriteString("1 = 1")
		} else {
			b.WriteString("1 = 0")
		}
		return nil
	}
	if c.Op == directory.OpSw {
		b.prefix(col, fold, c.Value.(string))
		return nil
	}
	b.operand(col, fold)
	switch c.Op {
	case directory.OpCo, directory.OpEw:
		b.WriteString(" LIKE ")
		b.value(likePattern(c.Op, c.Value.(string)), fold)
		b.WriteString(` ESCAPE '\'`)
	default:
		b.WriteString(sqlOps[c.Op])
		b.value(c.Value, fold)
	}
	return nil
}

// sameAttrEq reports whether an Or only tests one column attribute for
// equality, which compiles to IN: the provisioning batches send hundreds
// of ids so. A membership attribute has no column to test with IN; its Or
// stays an OR of subqueries.
func sameAttrEq(or directory.Or) bool {
	first, ok := or[0].(directory.Compare)
	if !ok || len(or) < 2 || directory.Attrs[first.Attr].Membership {
		return false
	}
	for _, x := range or {
		c, ok := x.(directory.Compare)
		if !ok || c.Op != directory.OpEq || c.Attr != first.Attr {
			return false
		}
	}
	return true
}

func (b *sqlBuf) in(cols attrColumns, or directory.Or) error {
	for _, x := range or {
		if v, ok := x.(directory.Compare).Value.(string); ok && strings.IndexByte(v, 0) >= 0 {
			return b.join(cols, " OR ", or) // compare decides each NUL value
		}
	}
	col, info, err := cols.lookup(or[0].(directory.Compare).Attr)
	if err != nil {
		return err
	}
	fold := folds(info)
	b.operand(col, fold)
	b.WriteString(" IN (")
	for i, x := range or {
		if i > 0 {
			b.WriteString(", ")
		}
		b.value(x.(directory.Compare).Value, fold)
	}
	b.WriteByte(')')
	return nil
}

func (b *sqlBuf) operand(col string, fold bool) {
	if fold {
		b.WriteString("lower(")
		b.WriteString(col)
		b.WriteByte(')')
		return
	}
	b.WriteString(col)
}

func (b *sqlBuf) value(v any, fold bool) {
	switch x := v.(type) {
	case time.Time:
		v = micros(x)
	case string:
		if fold {
			v = foldASCII(x)
		}
	}
	b.bind(v)
}

var likeEscaper = strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)

// likePattern turns a co or ew operand into a LIKE pattern that matches it
// literally.
func likePattern(op directory.Op, s string) string {
	s = likeEscaper.Replace(s)
	if op == directory.OpEw {
		return "%" + s
	}
	return "%" + s + "%"
}

// prefix writes sw as the range of strings that start with p, which an
// index on the operand serves, unlike LIKE on lower(col). Text compares by
// bytes in every store (SQLite's BINARY, PostgreSQL's "C").
func (b *sqlBuf) prefix(col string, fold bool, p string) {
	if fold {
		p = foldASCII(p)
	}
	b.operand(col, fold)
	b.WriteString(" >= ")
	b.bind(p)
	// The strings starting with p sort before p with its last byte
	// incremented; a 0xFF byte cannot be incremented (nor occur in UTF-8),
	// and a prefix of nothing but those has no upper bound.
	hi := []byte(p)
	for len(hi) > 0 && hi[len(hi)-1] == 0xFF {
		hi = hi[:len(hi)-1]
	}
	if len(hi) == 0 {
		return
	}
	hi[len(hi)-1]++
	b.WriteString(" AND ")
	b.operand(col, fold)
	b.WriteString(" < ")
	b.bind(string(hi))
}

// orderBy writes the ORDER BY clause: the query's keys, then the entity's
// unique id column so that equal keys never make pages overlap or skip.
func (b *sqlBuf) orderBy(cols attrColumns, keys []directory.SortKey, id string) error {
	return b.orderByDir(cols, keys, id, false)
}

// orderByDir is orderBy, or with reverse its exact reverse: every key and
// the id turned the other way. The id makes the order total, and every
// sortable column is NOT NULL, so the reverse order lists the same rows
// back to front.
func (b *sqlBuf) orderByDir(cols attrColumns, keys []directory.SortKey, id string, reverse bool) error {
	b.WriteString(" ORDER BY ")
	for _, k := range keys {
		col, info, err := cols.sortColumn(k.Attr)
		if err != nil {
			return err
		}
		b.operand(col, folds(info))
		if k.Desc != reverse {
			b.WriteString(" DESC")
		}
		b.WriteString(", ")
	}
	b.WriteString(id)
	if reverse {
		b.WriteString(" DESC")
	}
	return nil
}
