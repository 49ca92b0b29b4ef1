package filter

import "github.com/gatehouse/gatehouse/internal/directory"

// The directory's constants: an empty And matches everything, an empty Or
// nothing. Comparisons decided while compiling (a Const target, an id
// that is no number) become these, and the helpers below fold them away
// so that the store sees no dead branches.
var (
	matchAll  directory.Expr = directory.And{}
	matchNone directory.Expr = directory.Or{}
)

func isAll(e directory.Expr) bool  { a, ok := e.(directory.And); return ok && len(a) == 0 }
func isNone(e directory.Expr) bool { o, ok := e.(directory.Or); return ok && len(o) == 0 }

func decided(b bool) directory.Expr {
	if b {
		return matchAll
	}
	return matchNone
}

func and(xs ...directory.Expr) directory.Expr {
	return flatten[directory.And](xs, matchAll, matchNone, isNone)
}
func or(xs ...directory.Expr) directory.Expr {
	return flatten[directory.Or](xs, matchNone, matchAll, isAll)
}

// flatten flattens xs into one And or Or (S), dropping its unit (TRUE for And,
// FALSE for Or), answering zero when an operand decides the whole, and
// leaving out repeated tests.
func flatten[S interface {
	~[]directory.Expr
	directory.Expr
}](xs []directory.Expr, unit, zero directory.Expr, isZero func(directory.Expr) bool) directory.Expr {
	var out S
	for _, x := range xs {
		if isZero(x) {
			return zero
		}
		if inner, ok := x.(S); ok {
			for _, y := range inner {
				out = appendNew(out, y)
			}
			continue
		}
		out = appendNew(out, x)
	}
	switch len(out) {
	case 0:
		return unit
	case 1:
		return out[0]
	}
	return out
}

func not(x directory.Expr) directory.Expr {
	switch {
	case isAll(x):
		return matchNone
	case isNone(x):
		return matchAll
	}
	if n, ok := x.(directory.Not); ok {
		return n.X // the directory's Not is an exact complement
	}
	return directory.Not{X: x}
}

// appendNew appends x unless xs already holds the same test: guards
// repeat when a filter names one multi-valued attribute twice.
func appendNew[S ~[]directory.Expr](xs S, x directory.Expr) S {
	for _, y := range xs {
		if sameTest(x, y) {
			return xs
		}
	}
	return append(xs, x)
}

func sameTest(x, y directory.Expr) bool {
	switch a := x.(type) {
	case directory.Present:
		b, ok := y.(directory.Present)
		return ok && a == b
	case directory.Compare:
		b, ok := y.(directory.Compare)
		if !ok || a.Attr != b.Attr || a.Op != b.Op {
			return false
		}
		switch v := a.Value.(type) {
		case string:
			w, ok := b.Value.(string)
			return ok && v == w
		case bool:
			w, ok := b.Value.(bool)
			return ok && v == w
		case int64:
			w, ok := b.Value.(int64)
			return ok && v == w
		}
	}
	return false
}
