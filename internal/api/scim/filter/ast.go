// Package filter parses SCIM filters and PATCH paths (RFC 7644 §§3.4.2.2,
// 3.5.2), compiles filters into the directory's query AST, and evaluates
// a value filter on one resource's values for PATCH.
//
// The parser is this package's own rather than
// github.com/scim2/filter-parser: that one (v2.2.1 and v2.3.1) rejects
// value filters of more than two terms or with parentheses
// (emails[type eq "work" and (value co "@x" or primary eq true)]), keeps
// string escapes undecoded ("O\"Brien" compares as O\"Brien), refuses
// lower-case \u escapes and surrounding spaces, and reports every error as
// "expected op.Or or[func func func func]", which no client can act on.
package filter

// Expr is a parsed filter.
type Expr interface{ isExpr() }

// And matches when every operand matches.
type And []Expr

// Or matches when any operand matches.
type Or []Expr

// Not inverts its operand: not (…).
type Not struct{ X Expr }

// Test is an attribute expression: Path Op Value, or Path pr. Value is a
// string, a bool, a json.Number, or nil for null and for pr.
type Test struct {
	Path  AttrPath
	Op    Op
	Value any
}

// ValuePath is attr[filter]: some value of a multi-valued complex
// attribute satisfies Filter, whose paths name its sub-attributes.
type ValuePath struct {
	Path   AttrPath
	Filter Expr
}

func (And) isExpr()       {}
func (Or) isExpr()        {}
func (Not) isExpr()       {}
func (Test) isExpr()      {}
func (ValuePath) isExpr() {}

// Op is an attribute operator, lower case.
type Op string

const (
	Eq Op = "eq"
	Ne Op = "ne"
	Co Op = "co"
	Sw Op = "sw"
	Ew Op = "ew"
	Gt Op = "gt"
	Ge Op = "ge"
	Lt Op = "lt"
	Le Op = "le"
	Pr Op = "pr"
)

var ops = map[string]Op{"eq": Eq, "ne": Ne, "co": Co, "sw": Sw, "ew": Ew, "gt": Gt, "ge": Ge, "lt": Lt, "le": Le, "pr": Pr}

// AttrPath is an attribute path as written: an optional schema URN, an
// attribute name, an optional sub-attribute name.
type AttrPath struct {
	URI, Name, Sub string
}

func (p AttrPath) String() string {
	s := p.Name
	if p.Sub != "" {
		s += "." + p.Sub
	}
	if p.URI != "" {
		s = p.URI + ":" + s
	}
	return s
}

// PatchPath is a PATCH operation's path (RFC 7644 §3.5.2): an attribute
// path, or attr[filter] optionally followed by .sub.
type PatchPath struct {
	Attr   AttrPath
	Filter Expr   // nil without a value filter
	Sub    string // the sub-attribute after the filter, if any
}

func (p PatchPath) String() string {
	s := p.Attr.String()
	if p.Filter != nil {
		s += "[" + Format(p.Filter) + "]"
	}
	if p.Sub != "" {
		s += "." + p.Sub
	}
	return s
}
