package pra

import (
	"context"
	"net/url"
	"unicode/utf8"

	"github.com/gatehouse/gatehouse/internal/directory"
	"github.com/gatehouse/gatehouse/internal/httpx"
)

// filter is a query parameter of a list that narrows it, matched exactly
// (strings ignoring case, which the store does) and ANDed with the others.
type filter struct {
	name     string
	attr     directory.Attr
	min, max int  // length bounds of a string filter, in characters
	id       bool // an ObjectId instead of a string
}

// listOp declares a paginated list operation with its filters.
func listOp(h handler, filters []filter) op {
	params := []string{"per_page", "current_page"}
	for _, f := range filters {
		params = append(params, f.name)
	}
	return op{h: h, params: params}
}

// fetchFunc reads one page of a list from the directory.
type fetchFunc[T any] func(context.Context, directory.Query) (directory.Page[T], error)

// list answers a paginated list request: it validates per_page,
// current_page and the filters together, asks the directory for one page
// and writes it with PRA's pagination headers.
func list[T any](c *call, filters []filter, fetch fetchFunc[T], write func(*httpx.JSON, *T)) error {
	page, problems := httpx.ParsePage(c.query)
	var and directory.And
	for _, f := range filters {
		if v, ok := c.query[f.name]; ok {
			if e := f.expr(v[0], problems); e != nil {
				and = append(and, e)
			}
		}
	}
	if len(problems) > 0 {
		return invalid(problems)
	}
	q := directory.Query{Offset: page.Offset(), Limit: page.Limit()}
	if len(and) > 0 {
		q.Filter = and
	}
	return servePage(c, page, c.r.URL.Path, c.query, q, fetch, write)
}

// servePage fetches q and writes it as page of the list at listPath.
func servePage[T any](c *call, page httpx.Page, listPath string, query url.Values, q directory.Query,
	fetch fetchFunc[T], write func(*httpx.JSON, *T)) error {
	res, err := fetch(c.ctx(), q)
	if err != nil {
		return err
	}
	page.WriteHeaders(c.w.Header(), httpx.Origin(c.r, c.a.publicURL)+listPath, query, res.Total)
	return c.respond(200, func(j *httpx.JSON) {
		j.Array()
		for i := range res.Items {
			write(j, &res.Items[i])
		}
		j.EndArray()
	})
}

// expr compiles one filter value, or records why it is invalid.
func (f filter) expr(v string, problems map[string][]string) directory.Expr {
	if f.id {
		n, ok := parseID(v)
		if !ok {
			problems[f.name] = append(problems[f.name], msgObjectID)
			return nil
		}
		return directory.Eq(f.attr, n)
	}
	switch n := utf8.RuneCountInString(v); {
	case n < f.min:
		problems[f.name] = append(problems[f.name], directory.MsgMinLen(f.min))
	case n > f.max:
		problems[f.name] = append(problems[f.name], directory.MsgMaxLen(f.max))
	default:
		return directory.Eq(f.attr, v)
	}
	return nil
}
