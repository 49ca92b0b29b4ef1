package httpx

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
)

// Page sizes of PRA-style pagination.
const (
	MinPerPage     = 5
	MaxPerPage     = 100
	DefaultPerPage = 100
)

// maxOffset caps the offset a page asks for. It is far beyond any real
// list, so a page past it is as empty as the page just past the end, and it
// keeps (current_page-1)*per_page from overflowing.
const maxOffset = 1 << 40

// Page is one requested page of a list.
type Page struct {
	PerPage int
	Current int64
}

// ParsePage reads per_page (MinPerPage..MaxPerPage, default DefaultPerPage)
// and current_page (at least 1, default 1) from a query. Problems are keyed
// by parameter name. A current_page beyond the last page is valid: it is an
// empty page.
func ParsePage(q url.Values) (Page, map[string][]string) {
	p := Page{PerPage: DefaultPerPage, Current: 1}
	problems := map[string][]string{}
	if s, ok := first(q, "per_page"); ok {
		n, ok := queryInt(s)
		switch {
		case !ok:
			problems["per_page"] = []string{MsgInteger}
		case n < MinPerPage || n > MaxPerPage:
			problems["per_page"] = []string{MsgBetween(MinPerPage, MaxPerPage)}
		default:
			p.PerPage = int(n)
		}
	}
	if s, ok := first(q, "current_page"); ok {
		n, ok := queryInt(s)
		switch {
		case !ok:
			problems["current_page"] = []string{MsgInteger}
		case n < 1:
			problems["current_page"] = []string{"must be at least 1"}
		default:
			p.Current = n
		}
	}
	return p, problems
}

// first returns the first value of a query parameter.
func first(q url.Values, name string) (string, bool) {
	v, ok := q[name]
	if !ok || len(v) == 0 {
		return "", false
	}
	return v[0], true
}

// queryInt parses a decimal integer of a query string: an optional minus
// sign and digits, nothing else (no "+", spaces or exponent).
func queryInt(s string) (int64, bool) {
	if strings.HasPrefix(s, "+") {
		return 0, false
	}
	n, err := strconv.ParseInt(s, 10, 64)
	return n, err == nil
}

// Offset is the number of items before the page.
func (p Page) Offset() int {
	if p.Current-1 > maxOffset/int64(p.PerPage) {
		return maxOffset
	}
	return int(p.Current-1) * p.PerPage
}

// Limit is the page size.
func (p Page) Limit() int { return p.PerPage }

// WriteHeaders sets the Link and X-BT-Pagination-* headers (spelt as
// BeyondTrust spells them, see SetHeader) of the page for a
// list of total items. listURL is the absolute URL of the list without a
// query; the links keep the request's other query parameters, sorted, after
// per_page and current_page.
func (p Page) WriteHeaders(h http.Header, listURL string, q url.Values, total int) {
	last := int64(1)
	if total > 0 {
		last = (int64(total) + int64(p.PerPage) - 1) / int64(p.PerPage)
	}
	rest := url.Values{}
	for k, v := range q {
		if k != "per_page" && k != "current_page" {
			rest[k] = v
		}
	}
	tail := rest.Encode()
	if tail != "" {
		tail = "&" + tail
	}
	var b strings.Builder
	link := func(page int64, rel string) {
		if b.Len() > 0 {
			b.WriteString(", ")
		}
		b.WriteString("<" + listURL + "?per_page=" + strconv.Itoa(p.PerPage) + "&current_page=" +
			strconv.FormatInt(page, 10) + tail + `>; rel="` + rel + `"`)
	}
	link(1, "first")
	if p.Current > 1 && p.Current-1 <= last {
		link(p.Current-1, "previous")
	}
	if p.Current < last {
		link(p.Current+1, "next")
	}
	link(last, "last")
	h.Set("Link", b.String())
	SetHeader(h, "X-BT-Pagination-Current-Page", strconv.FormatInt(p.Current, 10))
	SetHeader(h, "X-BT-Pagination-Last-Page", strconv.FormatInt(last, 10))
	SetHeader(h, "X-BT-Pagination-Per-Page", strconv.Itoa(p.PerPage))
	SetHeader(h, "X-BT-Pagination-Total", strconv.Itoa(total))
}

// Origin returns the scheme and host that absolute URLs in responses start
// with: public when configured (behind a proxy the request cannot tell), else
// the request's own.
func Origin(r *http.Request, public string) string {
	if public != "" {
		return strings.TrimSuffix(public, "/")
	}
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}
