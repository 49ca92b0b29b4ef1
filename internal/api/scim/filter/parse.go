package filter

import (
	"strconv"
	"strings"
)

// maxDepth bounds nesting of parentheses and not, so that a hostile
// filter cannot exhaust the stack; no real filter nests a tenth as deep.
const maxDepth = 32

// Parse parses a filter (RFC 7644 §3.4.2.2): attribute expressions with
// eq ne co sw ew gt ge lt le pr, and, or, not, parentheses and value
// paths, with operators, keywords and literals in any case. "and" binds
// tighter than "or". Inside a value path's brackets the whole grammar
// applies except another value path (RFC 7644's valFilter).
func Parse(s string) (Expr, error) {
	p, err := newParser(s)
	if err != nil {
		return nil, err
	}
	e, err := p.or()
	if err != nil {
		return nil, err
	}
	if t := p.peek(); t.kind != tEOF {
		return nil, p.unexpected(t, "and, or or the end of the filter")
	}
	return e, nil
}

// ParsePath parses a PATCH path (RFC 7644 §3.5.2): attrPath, or
// attrPath[valFilter] optionally followed by .subAttr.
func ParsePath(s string) (PatchPath, error) {
	p, err := newParser(s)
	if err != nil {
		return PatchPath{}, err
	}
	t := p.next()
	if t.kind != tWord {
		return PatchPath{}, p.unexpected(t, "an attribute name")
	}
	attr, err := splitPath(t)
	if err != nil {
		return PatchPath{}, err
	}
	pp := PatchPath{Attr: attr}
	if p.peek().kind == tLBrack {
		vp, err := p.valuePath(attr, t.pos)
		if err != nil {
			return PatchPath{}, err
		}
		pp.Filter = vp.Filter
		if p.peek().kind == tDot {
			p.next()
			sub := p.next()
			if sub.kind != tWord || !isName(sub.text) {
				return PatchPath{}, p.unexpected(sub, "a sub-attribute name")
			}
			pp.Sub = sub.text
		}
	}
	if t := p.peek(); t.kind != tEOF {
		return PatchPath{}, p.unexpected(t, "the end of the path")
	}
	return pp, nil
}

type parser struct {
	toks      []token
	i         int
	depth     int
	inBracket bool
}

func newParser(s string) (*parser, error) {
	toks, err := lex(s)
	if err != nil {
		return nil, err
	}
	if toks[0].kind == tEOF {
		return nil, syntaxErr(0, "empty expression")
	}
	return &parser{toks: toks}, nil
}

func (p *parser) peek() token { return p.toks[p.i] }

func (p *parser) next() token {
	t := p.toks[p.i]
	if t.kind != tEOF {
		p.i++
	}
	return t
}

// keyword reports whether the next token is the word w, in any case.
func (p *parser) keyword(w string) bool {
	t := p.peek()
	return t.kind == tWord && strings.EqualFold(t.text, w)
}

func (p *parser) or() (Expr, error) {
	return p.chain("or", p.and, func(xs []Expr) Expr { return Or(xs) })
}

func (p *parser) and() (Expr, error) {
	return p.chain("and", p.unary, func(xs []Expr) Expr { return And(xs) })
}

// chain parses operand {op operand} into one n-ary node, or the operand
// alone.
func (p *parser) chain(op string, operand func() (Expr, error), build func([]Expr) Expr) (Expr, error) {
	x, err := operand()
	if err != nil {
		return nil, err
	}
	xs := []Expr{x}
	for p.keyword(op) {
		p.next()
		y, err := operand()
		if err != nil {
			return nil, err
		}
		xs = append(xs, y)
	}
	if len(xs) == 1 {
		return x, nil
	}
	return build(xs), nil
}

func (p *parser) unary() (Expr, error) {
	t := p.peek()
	switch {
	case t.kind == tLParen:
		p.next()
		return p.group(t)
	case p.keyword("not") && p.toks[p.i+1].kind == tLParen:
		p.next()
		p.next()
		x, err := p.group(t)
		if err != nil {
			return nil, err
		}
		return Not{X: x}, nil
	case t.kind == tWord:
		return p.attrExp()
	}
	return nil, p.unexpected(t, "an attribute name, not or (")
}

// group parses the inside of parentheses opened at open, and the closing
// parenthesis.
func (p *parser) group(open token) (Expr, error) {
	if p.depth++; p.depth > maxDepth {
		return nil, syntaxErr(open.pos, "filter nests more than %d deep", maxDepth)
	}
	x, err := p.or()
	if err != nil {
		return nil, err
	}
	if t := p.next(); t.kind != tRParen {
		return nil, p.unexpected(t, ")")
	}
	p.depth--
	return x, nil
}

func (p *parser) attrExp() (Expr, error) {
	t := p.next()
	path, err := splitPath(t)
	if err != nil {
		return nil, err
	}
	if p.peek().kind == tLBrack {
		return p.valuePath(path, t.pos)
	}
	opTok := p.next()
	op, ok := ops[strings.ToLower(opTok.text)]
	if opTok.kind != tWord || !ok {
		return nil, p.unexpected(opTok, "an operator (eq, ne, co, sw, ew, gt, ge, lt, le, pr) after "+quote(t.text))
	}
	if op == Pr {
		return Test{Path: path, Op: Pr}, nil
	}
	v, err := p.value(opTok)
	if err != nil {
		return nil, err
	}
	return Test{Path: path, Op: op, Value: v}, nil
}

// value parses a comparison value: a JSON string or number, or true,
// false or null in any case.
func (p *parser) value(op token) (any, error) {
	t := p.next()
	switch t.kind {
	case tString, tNumber:
		return t.val, nil
	case tWord:
		switch strings.ToLower(t.text) {
		case "true":
			return true, nil
		case "false":
			return false, nil
		case "null":
			return nil, nil
		}
	}
	return nil, p.unexpected(t, "a value (a string in double quotes, a number, true, false or null) after "+op.text)
}

func (p *parser) valuePath(path AttrPath, pos int) (ValuePath, error) {
	open := p.next() // [
	if p.inBracket {
		return ValuePath{}, syntaxErr(open.pos, "value filters cannot nest")
	}
	if path.Sub != "" {
		return ValuePath{}, syntaxErr(pos, "a value filter follows an attribute, not a sub-attribute (%s)", path)
	}
	p.inBracket = true
	x, err := p.or()
	p.inBracket = false
	if err != nil {
		return ValuePath{}, err
	}
	if t := p.next(); t.kind != tRBrack {
		return ValuePath{}, p.unexpected(t, "]")
	}
	return ValuePath{Path: path, Filter: x}, nil
}

func (p *parser) unexpected(t token, want string) *SyntaxError {
	if t.kind == tEOF {
		return syntaxErr(t.pos, "expected %s, found the end", want)
	}
	return syntaxErr(t.pos, "expected %s, found %s", want, quote(t.text))
}

func quote(s string) string {
	const max = 40
	if len(s) > max {
		s = s[:max] + "…"
	}
	return strconv.Quote(s)
}

// splitPath splits a word into [URI ":"] name ["." sub]. A URN holds
// colons and dots ("…:2.0:User"), so the attribute starts after the last
// colon.
func splitPath(t token) (AttrPath, error) {
	var p AttrPath
	rest := t.text
	if i := strings.LastIndexByte(rest, ':'); i >= 0 {
		p.URI, rest = rest[:i], rest[i+1:]
	}
	name, sub, dotted := strings.Cut(rest, ".")
	if !isName(name) || (dotted && !isName(sub)) {
		return AttrPath{}, syntaxErr(t.pos, "malformed attribute path %s", quote(t.text))
	}
	p.Name, p.Sub = name, sub
	return p, nil
}

// isName reports whether s is an ATTRNAME (RFC 7644 §3.10), allowing the
// "$" of "$ref".
func isName(s string) bool {
	if s == "" || !isWordStart(s[0]) {
		return false
	}
	for i := 1; i < len(s); i++ {
		if c := s[i]; !isAlpha(c) && !isDigit(c) && c != '-' && c != '_' {
			return false
		}
	}
	return true
}
