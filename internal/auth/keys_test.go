package auth_test

import (
	"encoding/base64"
	"strings"
	"testing"
	"time"

	"github.com/gatehouse/gatehouse/internal/auth"
)

func b64(n int, fill byte) string {
	return base64.StdEncoding.EncodeToString([]byte(strings.Repeat(string(fill), n)))
}

func TestParseSigningKeys(t *testing.T) {
	a, b := b64(32, 'a'), base64.RawStdEncoding.EncodeToString([]byte(strings.Repeat("b", 64)))
	keys, err := auth.ParseSigningKeys("# newest first\n\n" + a + " from=2026-12-01T09:00:00Z\n  " + b + "  \n")
	if err != nil {
		t.Fatal(err)
	}
	if len(keys) != 2 || string(keys[0].Key) != strings.Repeat("a", 32) || string(keys[1].Key) != strings.Repeat("b", 64) {
		t.Fatalf("keys %+v", keys)
	}
	if want := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC); !keys[0].SignsFrom.Equal(want) || !keys[1].SignsFrom.IsZero() {
		t.Fatalf("signs from %v and %v", keys[0].SignsFrom, keys[1].SignsFrom)
	}
	if keys[0].ID == keys[1].ID || keys[0].ID >= 1<<24 {
		t.Fatalf("ids %x %x", keys[0].ID, keys[1].ID)
	}
	env, err := auth.ParseSigningKeys(a + "," + b)
	if err != nil || len(env) != 2 || env[0].ID != keys[0].ID {
		t.Fatalf("comma-separated: %+v %v", env, err)
	}
}

// Every bad key file or variable is refused with an error that names the
// line and never repeats key material.
func TestParseSigningKeysRefuses(t *testing.T) {
	a := b64(32, 'a')
	for _, c := range []struct{ name, text, err string }{
		{"empty", "", "no signing key"},
		{"comments only", "# nothing\n\n", "no signing key"},
		{"not base64", "not*base64*at*all", "line 1: not standard base64"},
		{"URL alphabet", strings.NewReplacer("+", "-", "/", "_").Replace(base64.StdEncoding.EncodeToString([]byte(strings.Repeat("\xfb\xff", 16)))), "line 1: not standard base64"},
		{"hex", strings.Repeat("ab", 32), "line 1: hexadecimal, want base64"},
		{"short", b64(31, 'x'), "line 1: 31 bytes long, want 32 to 64"},
		{"long", b64(65, 'x'), "line 1: 65 bytes long, want 32 to 64"},
		{"two keys on a line", a + " " + b64(32, 'b'), "line 1: want a key and at most one from=<time> on its line"},
		{"two from", a + " from=2026-12-01T09:00:00Z from=2026-12-02T09:00:00Z", "line 1: want a key"},
		{"bad from", a + " from=tomorrow", "line 1: from= wants an RFC 3339 time"},
		{"the same key twice", a + "\n" + a, "two signing keys share the id"},
		{"bad second line", a + "\n\n" + "@@@", "line 3: not standard base64"},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := auth.ParseSigningKeys(c.text)
			if err == nil || !strings.Contains(err.Error(), c.err) {
				t.Fatalf("error %v, want one containing %q", err, c.err)
			}
			for _, f := range strings.Fields(c.text) {
				if len(f) >= 16 && strings.Contains(err.Error(), f) {
					t.Fatalf("error %q repeats the input", err)
				}
			}
		})
	}
}
