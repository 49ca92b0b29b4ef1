package console

import (
	"context"
	"fmt"
	"net/url"
	"strconv"
	"strings"

	"github.com/gatehouse/gatehouse/internal/directory"
)

// Page sizes a table offers; defaultPerPage when none is asked for.
var perPageChoices = []int{25, 50, 100}

const (
	defaultPerPage = 50
	// maxPage bounds the page number so that the offset stays an int32.
	maxPage = 1 << 20
)

// pager is a paged table's navigation, for the "pager" partial.
type pager struct {
	Summary          string
	PrevURL, NextURL string
	PerPage          int
}

// listPage reads ?page= and ?per_page= and fetches that page of the list
// filter selects. An unfiltered list shows its total, which the store
// keeps; a filtered one reads one row more than the page to know whether
// there is a next, and counts nothing.
func listPage[T any](q *request, filter directory.Expr, fetch func(context.Context, directory.Query) (directory.Page[T], error)) ([]T, pager, error) {
	query := q.r.URL.Query()
	p := directory.Problems{}
	page := intParam(query, "page", 1, 1, maxPage, p)
	perPage := intParam(query, "per_page", defaultPerPage, 1, perPageChoices[len(perPageChoices)-1], p)
	if err := p.Err(); err != nil {
		return nil, pager{}, err
	}
	dq := directory.Query{Filter: filter, Offset: (page - 1) * perPage, Limit: perPage}
	if filter != nil {
		dq.Limit, dq.NoTotal = perPage+1, true
	}
	res, err := fetch(q.ctx(), dq)
	if err != nil {
		return nil, pager{}, err
	}
	items := res.Items
	more := len(items) > perPage
	if filter == nil {
		more = dq.Offset+len(items) < res.Total
	} else if more {
		items = items[:perPage]
	}
	pg := pager{PerPage: perPage}
	first, last := dq.Offset+1, dq.Offset+len(items)
	switch {
	case len(items) == 0:
		pg.Summary = "Nothing to show."
	case filter == nil:
		pg.Summary = fmt.Sprintf("Showing %d–%d of %d", first, last, res.Total)
	default:
		pg.Summary = fmt.Sprintf("Showing %d–%d", first, last)
	}
	link := func(n int) string {
		v := url.Values{}
		for k, vs := range query {
			v[k] = vs
		}
		v.Set("page", strconv.Itoa(n))
		return q.r.URL.Path + "?" + v.Encode()
	}
	if page > 1 {
		pg.PrevURL = link(page - 1)
	}
	if more {
		pg.NextURL = link(page + 1)
	}
	return items, pg, nil
}

// intParam reads an optional whole-number query parameter within bounds.
func intParam(query url.Values, name string, def, lo, hi int, p directory.Problems) int {
	s := query.Get(name)
	if s == "" {
		return def
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < lo || n > hi {
		p.Add(name, fmt.Sprintf("must be a whole number between %d and %d", lo, hi))
		return def
	}
	return n
}

// pathID is the {id} of the request's path; one that is not a directory
// id is a record that does not exist.
func pathID(q *request, what string) (int64, error) {
	n, err := strconv.ParseInt(q.r.PathValue("id"), 10, 64)
	if err != nil || n < 1 || n > directory.MaxID {
		return 0, directory.NotFound(what)
	}
	return n, nil
}

// nameSearch reads a list page's name search ("name" starts with it) into
// the form and a filter on attr; nil when there is none. A name longer
// than any can be is a problem in p.
func nameSearch(q *request, attr directory.Attr, p directory.Problems) directory.Expr {
	name := strings.TrimSpace(q.r.URL.Query().Get(directory.FieldName))
	if name == "" {
		return nil
	}
	q.form[directory.FieldName] = name
	if len([]rune(name)) > directory.MaxName {
		p.Add(directory.FieldName, directory.MsgMaxLen(directory.MaxName))
	}
	return directory.Compare{Attr: attr, Op: directory.OpSw, Value: name}
}
