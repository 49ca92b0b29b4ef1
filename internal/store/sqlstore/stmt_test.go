package sqlstore

import (
	"strings"
	"testing"
)

func TestRebind(t *testing.T) {
	for in, want := range map[string]string{
		"SELECT 1":        "SELECT 1",
		"a = ? AND b = ?": "a = $1 AND b = $2",
		"a = '?' AND b = ? AND c LIKE ? ESCAPE '\\'": "a = '?' AND b = $1 AND c LIKE $2 ESCAPE '\\'",
		"a = 'it''s ?' OR b = ?":                     "a = 'it''s ?' OR b = $1",
	} {
		if got := rebind(in); got != want {
			t.Errorf("rebind(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestStatements(t *testing.T) {
	for numbered, other := range map[bool]string{false: "$", true: "?"} {
		s := New(nil, Dialect{Numbered: numbered})
		for _, q := range s.Statements() {
			if strings.Contains(q, other) {
				t.Errorf("numbered=%v: %s", numbered, q)
			}
		}
	}
}
