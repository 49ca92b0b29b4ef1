package httpx

import (
	"net/http"
	"testing"
)

func TestIfMatch(t *testing.T) {
	for _, c := range []struct {
		header  string
		version int64
		ok      bool
	}{
		{"", 0, true},
		{"*", 0, true},
		{`"7"`, 7, true},
		{`W/"7"`, 7, true},
		{` "12" `, 12, true},
		{`7`, 0, false},
		{`"x"`, 0, false},
		{`"0"`, 0, false},
		{`"-1"`, 0, false},
		{`"1", "2"`, 0, false},
		{`W/7`, 0, false},
		{`"99999999999999999999"`, 0, false},
	} {
		h := http.Header{}
		if c.header != "" {
			h.Set("If-Match", c.header)
		}
		if v, ok := IfMatch(h); v != c.version || ok != c.ok {
			t.Errorf("If-Match %q: %d %v, want %d %v", c.header, v, ok, c.version, c.ok)
		}
	}
	if ETag(3) != `"3"` || WeakETag(3) != `W/"3"` {
		t.Errorf("ETag(3) = %s, WeakETag(3) = %s", ETag(3), WeakETag(3))
	}
}
