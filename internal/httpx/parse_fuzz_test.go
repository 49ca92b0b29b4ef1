package httpx

import (
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"
)

var bodySeeds = []string{
	`{"username":"ann","enabled":true}`,
	`{"a":1,"a":2}`,
	`{"a":` + strings.Repeat("[", maxDepth) + strings.Repeat("]", maxDepth) + `}`,
	`{"a":"\ud800"}`,
	"{\"a\":\"\xff\"}",
	`{} {}`,
	`[1,2]`,
	`{"a":{"b":[{"c":null}]}}`,
	`  `,
	`{"a\u0000b":1}`,
	`{`,
	`"x"`,
}

// FuzzReadObject: no body panics ReadObject or ReadArray; every refusal is
// a BodyError of 400, 413 or 415, and every accepted member or array is
// valid JSON.
func FuzzReadObject(f *testing.F) {
	for _, s := range bodySeeds {
		f.Add(s, "application/json")
	}
	f.Add(`{"schemas":[]}`, "application/scim+json; charset=utf-8")
	f.Add(`{"a":1}`, "text/plain")
	f.Add(`{"a":1}`, "application/json; charset=\"")
	f.Fuzz(func(t *testing.T, body, contentType string) {
		req := func() *http.Request {
			r := httptest.NewRequest(http.MethodPost, "/", strings.NewReader(body))
			r.Header.Set("Content-Type", contentType)
			return r
		}
		obj, err := ReadObject(httptest.NewRecorder(), req(), 1<<10)
		if err != nil {
			mustBeBodyError(t, body, err)
		}
		for name, v := range obj {
			if !json.Valid(v) {
				t.Fatalf("%q: member %q is not valid JSON: %q", body, name, v)
			}
		}
		arr, err := ReadArray(httptest.NewRecorder(), req(), 1<<10)
		if err != nil {
			mustBeBodyError(t, body, err)
		} else if arr != nil && !json.Valid(arr) {
			t.Fatalf("%q: array is not valid JSON", body)
		}
	})
}

func mustBeBodyError(t *testing.T, body string, err error) {
	t.Helper()
	var be *BodyError
	if !errors.As(err, &be) || (be.Status != 400 && be.Status != 413 && be.Status != 415) || be.Msg == "" {
		t.Fatalf("%q: %v is not a BodyError of 400, 413 or 415", body, err)
	}
}

// FuzzParseUTC: no string panics ParseUTC; what it accepts is UTC, whole
// seconds, and formats back to a string it accepts as the same instant.
func FuzzParseUTC(f *testing.F) {
	for _, s := range []string{"2025-10-16T14:46:25.930+00:00", "2025-10-16T14:46:25Z", "2025-10-16T14:46:25-00:00",
		"2025-10-16T14:46:25+01:00", "2025-10-16 14:46:25Z", "0000-01-01T00:00:00Z", "9999-12-31T23:59:60Z",
		"2025-02-30T00:00:00Z", "2025-10-16T14:46:25.9999999999Z", "Z", "+00:00", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, ok := ParseUTC(s)
		if !ok {
			return
		}
		if got.Location() != time.UTC || got.Nanosecond() != 0 {
			t.Fatalf("%q parsed to %v", s, got)
		}
		again, ok := ParseUTC(string(AppendUTC(nil, got)))
		if !ok || !again.Equal(got) {
			t.Fatalf("%q -> %v does not round-trip", s, got)
		}
	})
}

// FuzzParsePage: no query panics ParsePage or the page's arithmetic; a
// page without problems has a size in range, a non-negative offset, and
// headers that can be written for any total.
func FuzzParsePage(f *testing.F) {
	for _, q := range []string{"per_page=5&current_page=2", "per_page=101", "current_page=0", "current_page=-1",
		"current_page=9223372036854775807&per_page=100", "per_page=+5", "per_page=5e1", "per_page=%00", "current_page=1&current_page=x", ""} {
		f.Add(q, 1000)
	}
	f.Fuzz(func(t *testing.T, raw string, total int) {
		q, err := url.ParseQuery(raw)
		if err != nil {
			return
		}
		p, problems := ParsePage(q)
		if len(problems) > 0 {
			return
		}
		if p.PerPage < MinPerPage || p.PerPage > MaxPerPage || p.Current < 1 || p.Offset() < 0 || p.Limit() != p.PerPage {
			t.Fatalf("%q: page %+v offset %d", raw, p, p.Offset())
		}
		p.WriteHeaders(http.Header{}, "http://h/list", q, max(total, 0))
	})
}
