package httpx

import (
	"net/http"
	"testing"
)

func TestAccepts(t *testing.T) {
	for _, tc := range []struct {
		accept []string
		ok     bool
	}{
		{nil, true},
		{[]string{""}, true},
		{[]string{"application/json"}, true},
		{[]string{"Application/JSON; charset=utf-8"}, true},
		{[]string{"*/*"}, true},
		{[]string{"application/*"}, true},
		{[]string{"text/html, application/xhtml+xml, */*;q=0.8"}, true},
		{[]string{"text/html", "application/json"}, true},
		{[]string{"text/html"}, false},
		{[]string{"application/xml"}, false},
		{[]string{"text/*"}, false},
		{[]string{"application/json;q=0"}, false},
		{[]string{"application/json; q=0.000, text/html"}, false},
		{[]string{"application/json;q=0.001"}, true},
	} {
		h := http.Header{"Accept": tc.accept}
		if tc.accept == nil {
			h = http.Header{}
		}
		if got := Accepts(h, "application/json"); got != tc.ok {
			t.Errorf("Accepts(%q) = %v, want %v", tc.accept, got, tc.ok)
		}
	}
}
