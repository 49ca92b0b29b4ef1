package sqlstore

import (
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/gatehouse/gatehouse/internal/directory"
)

func TestFilterSQL(t *testing.T) {
	when := time.Date(2024, 1, 2, 3, 4, 5, 6000, time.UTC)
	for _, c := range []struct {
		filter directory.Expr
		sql    string
		args   []any
	}{
		{directory.Eq(directory.UserUsername, "Bob"), "lower(u.username) = $1", []any{"bob"}},
		{directory.Eq(directory.UserSource, "scim"), "u.source = $1", []any{"scim"}},
		{directory.Compare{Attr: directory.UserEmail, Op: directory.OpCo, Value: `50%_a\b`},
			`lower(u.email) LIKE $1 ESCAPE '\'`, []any{`%50\%\_a\\b%`}},
		{directory.Eq(directory.UserUsername, "ÄBC"), "lower(u.username) = $1", []any{"Äbc"}},
		{directory.Compare{Attr: directory.UserExternalID, Op: directory.OpEw, Value: "x"},
			`u.external_id LIKE $1 ESCAPE '\'`, []any{"%x"}},
		{directory.Compare{Attr: directory.UserUsername, Op: directory.OpSw, Value: "Ab_Ä"},
			"lower(u.username) >= $1 AND lower(u.username) < $2", []any{"ab_Ä", "ab_Å"}},
		{directory.Compare{Attr: directory.UserExternalID, Op: directory.OpSw, Value: "X"},
			"u.external_id >= $1 AND u.external_id < $2", []any{"X", "Y"}},
		{directory.Compare{Attr: directory.UserCreatedAt, Op: directory.OpGe, Value: when},
			"u.created_at >= $1", []any{when.UnixMicro()}},
		{directory.Not{X: directory.Present{Attr: directory.UserEmail}}, "NOT (u.email <> '')", nil},
		{directory.Present{Attr: directory.UserEnabled}, "u.enabled IS NOT NULL", nil},
		{directory.Or{directory.Eq(directory.UserID, int64(1)), directory.Eq(directory.UserID, int64(2))},
			"u.id IN ($1, $2)", []any{int64(1), int64(2)}},
		{directory.Or{directory.Eq(directory.UserID, int64(1)), directory.Eq(directory.UserEnabled, true)},
			"(u.id = $1 OR u.enabled = $2)", []any{int64(1), true}},
		{directory.And{}, "1 = 1", nil},
		{directory.Or{}, "1 = 0", nil},
		{directory.Eq(directory.UserGroup, int64(7)),
			"EXISTS (SELECT 1 FROM members mm WHERE mm.user_id = u.id AND mm.group_id = $1)", []any{int64(7)}},
		{directory.Compare{Attr: directory.UserGroup, Op: directory.OpNe, Value: int64(7)},
			"NOT EXISTS (SELECT 1 FROM members mm WHERE mm.user_id = u.id AND mm.group_id = $1)", []any{int64(7)}},
		{directory.Present{Attr: directory.UserGroup},
			"EXISTS (SELECT 1 FROM members mm WHERE mm.user_id = u.id AND mm.group_id IS NOT NULL)", nil},
		// No IN list for a membership: an OR of subqueries.
		{directory.Or{directory.Eq(directory.UserGroup, int64(1)), directory.Eq(directory.UserGroup, int64(2))},
			"(EXISTS (SELECT 1 FROM members mm WHERE mm.user_id = u.id AND mm.group_id = $1)" +
				" OR EXISTS (SELECT 1 FROM members mm WHERE mm.user_id = u.id AND mm.group_id = $2))", []any{int64(1), int64(2)}},
		{directory.And{directory.Eq(directory.UserEnabled, true), directory.Not{X: directory.Eq(directory.UserGroup, int64(3))}},
			"(u.enabled = $1 AND NOT (EXISTS (SELECT 1 FROM members mm WHERE mm.user_id = u.id AND mm.group_id = $2)))",
			[]any{true, int64(3)}},
	} {
		b := &sqlBuf{numbered: true}
		if err := b.filter(userAttrs, c.filter); err != nil {
			t.Fatalf("%v: %v", c.filter, err)
		}
		if b.String() != c.sql || !reflect.DeepEqual(b.args, c.args) {
			t.Errorf("%v:\n got  %s %v\n want %s %v", c.filter, b.String(), b.args, c.sql, c.args)
		}
	}
}

func TestMembershipFilterSQL(t *testing.T) {
	for _, c := range []struct {
		filter directory.Expr
		sql    string
		args   []any
	}{
		{directory.Eq(directory.GroupMember, int64(5)),
			"EXISTS (SELECT 1 FROM members mm WHERE mm.group_id = g.id AND mm.user_id = ?)", []any{int64(5)}},
		{directory.Compare{Attr: directory.GroupMember, Op: directory.OpNe, Value: int64(5)},
			"NOT EXISTS (SELECT 1 FROM members mm WHERE mm.group_id = g.id AND mm.user_id = ?)", []any{int64(5)}},
		{directory.Present{Attr: directory.GroupMember},
			"EXISTS (SELECT 1 FROM members mm WHERE mm.group_id = g.id AND mm.user_id IS NOT NULL)", nil},
		{directory.Or{directory.Eq(directory.GroupMember, int64(1)), directory.Eq(directory.GroupMember, int64(2))},
			"(EXISTS (SELECT 1 FROM members mm WHERE mm.group_id = g.id AND mm.user_id = ?)" +
				" OR EXISTS (SELECT 1 FROM members mm WHERE mm.group_id = g.id AND mm.user_id = ?))", []any{int64(1), int64(2)}},
	} {
		b := &sqlBuf{}
		if err := b.filter(groupAttrs, c.filter); err != nil {
			t.Fatalf("%v: %v", c.filter, err)
		}
		if b.String() != c.sql || !reflect.DeepEqual(b.args, c.args) {
			t.Errorf("%v:\n got  %s %v\n want %s %v", c.filter, b.String(), b.args, c.sql, c.args)
		}
	}
	// A membership is no column: it cannot sort, and it compares only
	// with eq and ne (CheckExpr refuses the rest before this).
	if err := (&sqlBuf{}).orderBy(groupAttrs, []directory.SortKey{{Attr: directory.GroupMember}}, "g.id"); err == nil {
		t.Error("sorting by a membership compiled")
	}
	if err := (&sqlBuf{}).filter(groupAttrs, directory.Compare{Attr: directory.GroupMember, Op: directory.OpGt, Value: int64(1)}); err == nil {
		t.Error("gt on a membership compiled")
	}
}

// The zero profile is stored as the column's default, {}, and read back.
func TestProfileText(t *testing.T) {
	if got := profileText(&directory.Profile{}); got != "{}" {
		t.Fatalf("the zero profile is stored as %s", got)
	}
	p, err := decodeProfile("{}")
	if err != nil || !reflect.DeepEqual(p, directory.Profile{}) {
		t.Fatalf("{} reads back as %+v, %v", p, err)
	}
	empty := directory.Profile{Emails: []directory.Contact{}, Enterprise: directory.Enterprise{}}
	if got := profileText(&empty); got != "{}" {
		t.Fatalf("a profile of empty lists is stored as %s", got)
	}
}

// A long Or that is no IN list nests in halves, so that no database finds
// it too deep.
func TestLongOrNests(t *testing.T) {
	var or directory.Or
	for i := range int64(4 * maxFlat) {
		or = append(or, directory.Eq(directory.UserGroup, i))
	}
	b := &sqlBuf{}
	if err := b.filter(userAttrs, or); err != nil {
		t.Fatal(err)
	}
	depth, deepest := 0, 0
	for _, c := range b.String() {
		switch c {
		case '(':
			depth++
			deepest = max(deepest, depth)
		case ')':
			depth--
		}
	}
	// Two levels of halves, the flat lists and the subqueries' own.
	if deepest != 4 || len(b.args) != 4*maxFlat || strings.Count(b.String(), " OR ") != 4*maxFlat-1 {
		t.Fatalf("nesting %d, %d arguments:\n%s", deepest, len(b.args), b.String())
	}
}

// BenchmarkFilterSQL measures compiling a filter to SQL and its arguments,
// which every filtered list of every face pays.
func BenchmarkFilterSQL(b *testing.B) {
	f := directory.And{
		directory.Eq(directory.UserEnabled, true),
		directory.Compare{Attr: directory.UserEmail, Op: directory.OpCo, Value: "@bench.example"},
		directory.Not{X: directory.Compare{Attr: directory.UserLastName, Op: directory.OpSw, Value: "O"}},
		directory.Or{directory.Eq(directory.UserGroup, int64(1)), directory.Eq(directory.UserID, int64(2))},
	}
	b.ReportAllocs()
	for b.Loop() {
		buf := &sqlBuf{numbered: true}
		if err := buf.filter(userAttrs, f); err != nil {
			b.Fatal(err)
		}
	}
}
