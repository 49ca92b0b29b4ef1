package filter

import (
	"encoding/json"
	"strings"
)

// Format writes e back as a filter that Parse reads as e: for error
// details, logs and tests.
func Format(e Expr) string {
	var b strings.Builder
	format(&b, e)
	return b.String()
}

func format(b *strings.Builder, e Expr) {
	switch x := e.(type) {
	case And:
		join(b, x, " and ")
	case Or:
		join(b, x, " or ")
	case Not:
		b.WriteString("not (")
		format(b, x.X)
		b.WriteString(")")
	case ValuePath:
		b.WriteString(x.Path.String())
		b.WriteString("[")
		format(b, x.Filter)
		b.WriteString("]")
	case Test:
		b.WriteString(x.Path.String())
		b.WriteString(" ")
		b.WriteString(string(x.Op))
		if x.Op != Pr {
			b.WriteString(" ")
			writeValue(b, x.Value)
		}
	}
}

// join parenthesizes every operand that is itself an And or Or, which
// keeps precedence without remembering the input's parentheses.
func join(b *strings.Builder, xs []Expr, sep string) {
	for i, x := range xs {
		if i > 0 {
			b.WriteString(sep)
		}
		switch x.(type) {
		case And, Or:
			b.WriteString("(")
			format(b, x)
			b.WriteString(")")
		default:
			format(b, x)
		}
	}
}

func writeValue(b *strings.Builder, v any) {
	switch x := v.(type) {
	case nil:
		b.WriteString("null")
	case json.Number:
		b.WriteString(x.String())
	default:
		j, _ := json.Marshal(x) // a string or a bool, which always marshal
		b.Write(j)
	}
}
