package sqlstore

import (
	"context"
	"errors"

	"github.com/gatehouse/gatehouse/internal/directory"
)

// listSpec is one kind of list: what it selects from where, and which
// attributes may filter and sort it.
type listSpec struct {
	cols  string // select list
	from  string // FROM clause
	scope string // column that must equal the list's scope value, or ""
	attrs attrColumns
	id    string // unique column that breaks ties in the order
}

type scanner interface {
	Scan(dest ...any) error
}

// list returns one page: a SELECT with LIMIT/OFFSET and, unless the page
// itself shows where the list ends, a count(*) with the same WHERE.
func list[T any](ctx context.Context, r reader, sp *listSpec, scope int64, q directory.Query, scan func(scanner) (T, error)) (directory.Page[T], error) {
	page := directory.Page[T]{Items: []T{}}
	if q.Limit < 0 || q.Offset < 0 {
		return page, errors.New("sqlstore: negative limit or offset")
	}
	if err := directory.CheckExpr(q.Filter); err != nil {
		return page, err
	}
	for _, k := range q.Sort {
		if _, _, err := sp.attrs.sortColumn(k.Attr); err != nil {
			return page, err
		}
	}
	b := &sqlBuf{numbered: r.numbered}
	b.WriteString(" FROM ")
	b.WriteString(sp.from)
	if sp.scope != "" || q.Filter != nil {
		b.WriteString(" WHERE ")
	}
	if sp.scope != "" {
		b.WriteString(sp.scope)
		b.WriteString(" = ")
		b.bind(scope)
		if q.Filter != nil {
			b.WriteString(" AND ")
		}
	}
	if q.Filter != nil {
		if err := b.filter(sp.attrs, q.Filter); err != nil {
			return page, err
		}
	}
	// Binding LIMIT and OFFSET below appends to b; these views of the
	// WHERE part stay valid for the count.
	fromWhere, whereArgs := b.String(), b.args

	if q.Limit > 0 {
		if err := b.orderBy(sp.attrs, q.Sort, sp.id); err != nil {
			return page, err
		}
		b.WriteString(" LIMIT ")
		b.bind(q.Limit)
		b.WriteString(" OFFSET ")
		b.bind(q.Offset)
		rows, err := r.q.Query(ctx, "SELECT "+sp.cols+b.String(), b.args...)
		if page.Items, err = collect(rows, err, scan, page.Items); err != nil {
			return page, err
		}
		switch n := len(page.Items); {
		case q.NoTotal:
			return page, nil
		case n > 0 && n < q.Limit || n == 0 && q.Offset == 0:
			// A short page that is not past the end tells the total itself.
			page.Total = q.Offset + n
			return page, nil
		}
	}
	var total int64
	if err := r.q.QueryRow(ctx, "SELECT count(*)"+fromWhere, whereArgs...).Scan(&total); err != nil {
		return page, err
	}
	page.Total = int(total)
	return page, nil
}

// collect scans every row, appending to items.
func collect[T any](rows Rows, err error, scan func(scanner) (T, error), items []T) ([]T, error) {
	if err != nil {
		return items, err
	}
	defer rows.Close()
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return items, err
		}
		items = append(items, v)
	}
	if err := rows.Err(); err != nil {
		return items, err
	}
	return items, rows.Close()
}
