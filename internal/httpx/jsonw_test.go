package httpx

import (
	"encoding/json"
	"testing"
	"time"
)

func TestJSONWriter(t *testing.T) {
	at := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	note := "n"
	var j JSON
	j.Array()
	j.Object()
	j.Int("id", 1)
	j.String("s", "a\"b")
	j.Bool("b", true)
	j.Null("z")
	j.Time("at", &at)
	j.Time("never", nil)
	j.NullableString("note", &note)
	j.NullableString("none", nil)
	j.Strings("list", []string{"x", "y"})
	j.Array("empty")
	j.EndArray()
	j.Object("inner")
	j.Int("n", -2)
	j.EndObject()
	j.EndObject()
	j.Object()
	j.EndObject()
	j.EndArray()
	want := `[{"id":1,"s":"a\"b","b":true,"z":null,"at":"2026-03-01T12:00:00+00:00","never":null,"note":"n","none":null,` +
		`"list":["x","y"],"empty":[],"inner":{"n":-2}},{}]`
	if got := string(j.Bytes()); got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
}

// appendString must agree with encoding/json on every string, valid UTF-8
// or not.
func TestAppendStringMatchesEncodingJSON(t *testing.T) {
	for _, s := range []string{"", "plain", "quote\" back\\slash", "\n\r\t\b\f\x00\x1f\x7f", "<script>&</script>",
		"ünïcödé ✓ 𝄞", "\u2028\u2029", "bad \xff utf8 \xc3", "\xed\xa0\x80"} {
		want, _ := json.Marshal(s)
		if got := appendString(nil, s); string(got) != string(want) {
			t.Errorf("appendString(%q) = %s, want %s", s, got, want)
		}
	}
}

func FuzzAppendString(f *testing.F) {
	f.Add("a\"\\\x00\xff\u2028")
	f.Fuzz(func(t *testing.T, s string) {
		want, _ := json.Marshal(s)
		if got := appendString(nil, s); string(got) != string(want) {
			t.Errorf("appendString(%q) = %s, want %s", s, got, want)
		}
	})
}

func TestJSONMembers(t *testing.T) {
	m := EncodeMembers(func(j *JSON) {
		j.Bool("a", false)
		j.String("b", "<x>")
	})
	if m != `"a":false,"b":"\u003cx\u003e"` {
		t.Fatalf("EncodeMembers: %s", m)
	}
	j := &JSON{}
	j.Array()
	for range 2 {
		j.Object()
		j.Members(m)
		j.Int("c", 1)
		j.Members("")
		j.Members(m)
		j.EndObject()
	}
	j.EndArray()
	want := `[{"a":false,"b":"\u003cx\u003e","c":1,"a":false,"b":"\u003cx\u003e"},{"a":false,"b":"\u003cx\u003e","c":1,"a":false,"b":"\u003cx\u003e"}]`
	if got := string(j.Bytes()); got != want {
		t.Fatalf("Members:\n got %s\nwant %s", got, want)
	}
}
