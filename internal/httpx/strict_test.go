package httpx

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// strictRequest is r as Strict hands it on.
func strictRequest(r *http.Request) *http.Request {
	var got *http.Request
	Strict(http.HandlerFunc(func(_ http.ResponseWriter, r *http.Request) { got = r })).ServeHTTP(httptest.NewRecorder(), r)
	return got
}

func TestAcceptableStrict(t *testing.T) {
	for _, tc := range []struct {
		method, accept  string
		lenient, strict bool
	}{
		{"GET", "", true, false},
		{"HEAD", "", true, false},
		{"DELETE", "", true, false},
		{"GET", " , ", true, false},
		{"POST", "", true, true},
		{"PATCH", "", true, true},
		{"GET", "application/json", true, true},
		{"DELETE", "*/*", true, true},
		{"GET", "text/html", false, false},
	} {
		r := httptest.NewRequest(tc.method, "/", nil)
		if tc.accept != "" {
			r.Header.Set("Accept", tc.accept)
		}
		if got := Acceptable(r, "application/json"); got != tc.lenient {
			t.Errorf("%s Accept %q: lenient %v, want %v", tc.method, tc.accept, got, tc.lenient)
		}
		if got := Acceptable(strictRequest(r), "application/json"); got != tc.strict {
			t.Errorf("%s Accept %q: strict %v, want %v", tc.method, tc.accept, got, tc.strict)
		}
	}
}

func TestReadObjectStrict(t *testing.T) {
	for _, tc := range []struct {
		contentType, body string
		types             []string
		lenient, strict   int // 0: accepted, else the BodyError's status
	}{
		{"", `{}`, nil, 0, 415},
		{"application/json", `{}`, nil, 0, 0},
		{"application/json; charset=utf-8", `{}`, nil, 0, 0},
		{"application/vnd.api+json", `{}`, nil, 0, 415},
		{"text/plain", `{}`, nil, 415, 415},
		{"", ``, nil, 0, 0}, // no body, so no type to name
		{"", `{}`, []string{"application/scim+json", "application/json"}, 0, 415},
		{"application/scim+json", `{}`, []string{"application/scim+json", "application/json"}, 0, 0},
		{"application/vnd.api+json", `{}`, []string{"application/scim+json", "application/json"}, 415, 415},
	} {
		for _, strict := range []bool{false, true} {
			r := httptest.NewRequest(http.MethodPost, "/", strings.NewReader(tc.body))
			if tc.contentType != "" {
				r.Header.Set("Content-Type", tc.contentType)
			}
			want := tc.lenient
			if strict {
				r, want = strictRequest(r), tc.strict
			}
			_, err := ReadObjectAs(httptest.NewRecorder(), r, 1024, tc.types...)
			got := 0
			if be, ok := err.(*BodyError); ok {
				got = be.Status
			} else if err != nil {
				t.Fatalf("%q as %v: %v", tc.contentType, tc.types, err)
			}
			if got != want {
				t.Errorf("%q as %v, strict %v: %d, want %d", tc.contentType, tc.types, strict, got, want)
			}
		}
	}
}
