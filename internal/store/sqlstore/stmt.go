package sqlstore

import (
	"slices"
	"strconv"
	"strings"
)

// stmt is a static statement in both placeholder styles, rebound once when
// the package initialises rather than on every call.
type stmt struct{ plain, numbered string }

// statements lists every static statement, for adapters that prepare them.
var statements []*stmt

func newStmt(q string) *stmt {
	s := &stmt{plain: q, numbered: rebind(q)}
	statements = append(statements, s)
	return s
}

// rebind rewrites ? placeholders as $1, $2, ..., leaving quoted literals alone.
func rebind(q string) string {
	var b strings.Builder
	n, quoted := 0, false
	for i := 0; i < len(q); i++ {
		c := q[i]
		switch {
		case c == '\'':
			quoted = !quoted
		case c == '?' && !quoted:
			n++
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(n))
			continue
		}
		b.WriteByte(c)
	}
	return b.String()
}

// sqlBuf builds a statement per call (a list with a filter), writing
// placeholders in the dialect's style as it binds each argument.
type sqlBuf struct {
	strings.Builder
	args     []any
	numbered bool
}

// bind appends v as an argument and writes its placeholder.
func (b *sqlBuf) bind(v any) {
	b.args = append(b.args, v)
	if b.numbered {
		b.WriteByte('$')
		b.WriteString(strconv.Itoa(len(b.args)))
		return
	}
	b.WriteByte('?')
}

// column lists and placeholder lists for the static statements.

func qualify(alias string, cols []string) string {
	q := make([]string, len(cols))
	for i, c := range cols {
		q[i] = alias + "." + c
	}
	return strings.Join(q, ", ")
}

// insertSQL is the INSERT of one row of table setting cols.
func insertSQL(table string, cols []string) string {
	return "INSERT INTO " + table + " (" + strings.Join(cols, ", ") + ") VALUES (" + placeholders(len(cols)) + ")"
}

// versioned is the columns of a versioned row's write: its fields, then
// created_at, updated_at and version.
func versioned(fields []string) []string {
	return append(slices.Clone(fields), "created_at", "updated_at", "version")
}

func placeholders(n int) string {
	return strings.TrimSuffix(strings.Repeat("?, ", n), ", ")
}

func assignments(cols []string) string {
	return strings.Join(cols, " = ?, ") + " = ?"
}
