package sqlstore

import (
	"reflect"
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
