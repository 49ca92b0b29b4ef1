package httpx

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"testing"
)

func TestReadObject(t *testing.T) {
	deep := `{"a":` + strings.Repeat("[", maxDepth) + strings.Repeat("]", maxDepth) + `}`
	deepOK := `{"a":` + strings.Repeat("[", maxDepth-1) + strings.Repeat("]", maxDepth-1) + `}`
	for _, tc := range []struct {
		name, contentType, body string
		status                  int // 0: accepted
		fields                  []string
	}{
		{"object", "application/json", `{"a":1,"b":"x"}`, 0, []string{"a", "b"}},
		{"no content type", "", `{"a":1}`, 0, []string{"a"}},
		{"charset", "application/json; charset=utf-8", `{"a":1}`, 0, []string{"a"}},
		{"vendor json", "application/vnd.api+json", `{"a":1}`, 0, []string{"a"}},
		{"empty body", "text/plain", ``, 0, nil},
		{"whitespace body", "", " \n", 0, nil},
		{"nested at the limit", "", deepOK, 0, []string{"a"}},
		{"text", "text/plain", `{"a":1}`, 415, nil},
		{"form", "application/x-www-form-urlencoded", `a=1`, 415, nil},
		{"bad content type", "application/", `{}`, 415, nil},
		{"malformed", "", `{"a":`, 400, nil},
		{"not json", "", `hello`, 400, nil},
		{"array", "", `[1,2]`, 400, nil},
		{"string", "", `"x"`, 400, nil},
		{"null", "", `null`, 400, nil},
		{"duplicate key", "", `{"a":1,"a":2}`, 400, nil},
		{"trailing data", "", `{"a":1} {"b":2}`, 400, nil},
		{"trailing garbage", "", `{"a":1}x`, 400, nil},
		{"invalid utf-8", "", "{\"a\":\"\xff\"}", 400, nil},
		{"too deep", "", deep, 400, nil},
		{"too large", "", `{"a":"` + strings.Repeat("x", 2000) + `"}`, 413, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := httptest.NewRequest(http.MethodPost, "/", strings.NewReader(tc.body))
			if tc.contentType != "" {
				r.Header.Set("Content-Type", tc.contentType)
			}
			obj, err := ReadObject(httptest.NewRecorder(), r, 1024)
			if tc.status != 0 {
				be, ok := err.(*BodyError)
				if !ok || be.Status != tc.status || be.Msg == "" {
					t.Fatalf("err = %v, want a BodyError with status %d", err, tc.status)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			var names []string
			for k := range obj {
				names = append(names, k)
			}
			if len(names) > 1 && names[0] > names[1] {
				names[0], names[1] = names[1], names[0]
			}
			if !reflect.DeepEqual(names, tc.fields) {
				t.Errorf("fields = %v, want %v", names, tc.fields)
			}
		})
	}
}

func TestReadObjectStreamedTooLarge(t *testing.T) {
	// No Content-Length: the limit must hold while reading.
	r := httptest.NewRequest(http.MethodPost, "/", strings.NewReader(`{"a":"`+strings.Repeat("x", 5000)+`"}`))
	r.ContentLength = -1
	_, err := ReadObject(httptest.NewRecorder(), r, 1024)
	if be, ok := err.(*BodyError); !ok || be.Status != http.StatusRequestEntityTooLarge {
		t.Fatalf("err = %v, want 413", err)
	}
}

// QuoteNames names at most ten client-supplied names, each quoted and cut
// short, and counts the rest.
func TestQuoteNames(t *testing.T) {
	var names []string
	for i := range 12 {
		names = append(names, fmt.Sprintf("n%d", i))
	}
	want := `"n0", "n1", "n2", "n3", "n4", "n5", "n6", "n7", "n8", "n9", and 2 more`
	if got := QuoteNames(names); got != want {
		t.Errorf("QuoteNames(12 names) = %s, want %s", got, want)
	}
	long := strings.Repeat("x", 100)
	if got, want := QuoteNames([]string{long, `a"b`}), `"`+strings.Repeat("x", 64)+`…", "a\"b"`; got != want {
		t.Errorf("QuoteNames = %s, want %s", got, want)
	}
}
