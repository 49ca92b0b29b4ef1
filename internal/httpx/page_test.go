package httpx

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"reflect"
	"testing"
)

func TestParsePage(t *testing.T) {
	for _, tc := range []struct {
		query    string
		want     Page
		offset   int
		problems map[string][]string
	}{
		{"", Page{100, 1}, 0, nil},
		{"per_page=5&current_page=3", Page{5, 3}, 10, nil},
		{"per_page=100", Page{100, 1}, 0, nil},
		{"current_page=9223372036854775807", Page{100, 9223372036854775807}, maxOffset, nil},
		{"per_page=4", Page{100, 1}, 0, map[string][]string{"per_page": {"must be between 5 and 100"}}},
		{"per_page=101", Page{100, 1}, 0, map[string][]string{"per_page": {"must be between 5 and 100"}}},
		{"per_page=ten", Page{100, 1}, 0, map[string][]string{"per_page": {MsgInteger}}},
		{"per_page=%2B5", Page{100, 1}, 0, map[string][]string{"per_page": {MsgInteger}}},
		{"per_page=5.0", Page{100, 1}, 0, map[string][]string{"per_page": {MsgInteger}}},
		{"per_page=", Page{100, 1}, 0, map[string][]string{"per_page": {MsgInteger}}},
		{"current_page=0", Page{100, 1}, 0, map[string][]string{"current_page": {"must be at least 1"}}},
		{"current_page=-3", Page{100, 1}, 0, map[string][]string{"current_page": {"must be at least 1"}}},
		{"current_page=99999999999999999999", Page{100, 1}, 0, map[string][]string{"current_page": {MsgInteger}}},
		{"current_page=1e3", Page{100, 1}, 0, map[string][]string{"current_page": {MsgInteger}}},
	} {
		q, _ := url.ParseQuery(tc.query)
		got, problems := ParsePage(q)
		if len(problems) == 0 {
			problems = nil
		}
		if got != tc.want || got.Offset() != tc.offset || !reflect.DeepEqual(problems, tc.problems) {
			t.Errorf("%q: %+v offset %d problems %v; want %+v %d %v", tc.query, got, got.Offset(), problems, tc.want, tc.offset, tc.problems)
		}
	}
}

func TestPageHeaders(t *testing.T) {
	const base = "https://gh.example.com/api/config/v1/user"
	link := func(q string, rel string) string { return "<" + base + "?" + q + `>; rel="` + rel + `"` }
	for _, tc := range []struct {
		page       Page
		query      string
		total      int
		link, last string
	}{
		{Page{5, 1}, "", 12, link("per_page=5&current_page=1", "first") + ", " + link("per_page=5&current_page=2", "next") + ", " + link("per_page=5&current_page=3", "last"), "3"},
		{Page{5, 2}, "", 12, link("per_page=5&current_page=1", "first") + ", " + link("per_page=5&current_page=1", "previous") + ", " + link("per_page=5&current_page=3", "next") + ", " + link("per_page=5&current_page=3", "last"), "3"},
		{Page{5, 3}, "", 12, link("per_page=5&current_page=1", "first") + ", " + link("per_page=5&current_page=2", "previous") + ", " + link("per_page=5&current_page=3", "last"), "3"},
		{Page{5, 4}, "", 12, link("per_page=5&current_page=1", "first") + ", " + link("per_page=5&current_page=3", "previous") + ", " + link("per_page=5&current_page=3", "last"), "3"},
		{Page{5, 9}, "", 12, link("per_page=5&current_page=1", "first") + ", " + link("per_page=5&current_page=3", "last"), "3"},
		{Page{100, 1}, "", 0, link("per_page=100&current_page=1", "first") + ", " + link("per_page=100&current_page=1", "last"), "1"},
		{Page{5, 1}, "username=a+b&per_page=5&email_address=x%40y", 5,
			link("per_page=5&current_page=1&email_address=x%40y&username=a+b", "first") + ", " + link("per_page=5&current_page=1&email_address=x%40y&username=a+b", "last"), "1"},
	} {
		q, _ := url.ParseQuery(tc.query)
		h := http.Header{}
		tc.page.WriteHeaders(h, base, q, tc.total)
		if h.Get("Link") != tc.link || h["X-BT-Pagination-Last-Page"][0] != tc.last {
			t.Errorf("%+v of %d:\nLink %s\nwant %s\nlast %s want %s", tc.page, tc.total, h.Get("Link"), tc.link, h["X-BT-Pagination-Last-Page"][0], tc.last)
		}
	}
	h := http.Header{}
	Page{5, 2}.WriteHeaders(h, base, nil, 12)
	for name, want := range map[string]string{"X-BT-Pagination-Current-Page": "2", "X-BT-Pagination-Per-Page": "5", "X-BT-Pagination-Total": "12"} {
		if got := h[name]; len(got) != 1 || got[0] != want {
			t.Errorf("%s = %q, want %q", name, got, want)
		}
	}
}

func TestOrigin(t *testing.T) {
	r := httptest.NewRequest(http.MethodGet, "http://gh.local:8080/x", nil)
	if got := Origin(r, ""); got != "http://gh.local:8080" {
		t.Errorf("Origin = %q", got)
	}
	if got := Origin(r, "https://gh.example.com/"); got != "https://gh.example.com" {
		t.Errorf("Origin with public URL = %q", got)
	}
}
