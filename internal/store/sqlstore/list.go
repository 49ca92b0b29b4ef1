package sqlstore

import (
	"context"

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
	// table, when set, is the table (with its alias) that holds every
	// column of cols and attrs and whose key id is: a page past the first
	// then picks its ids over the narrowest index that serves the query and
	// reads the wide rows of only those ids (see list).
	table string
	// counted, when set, is the table whose row_counts row holds the
	// number of rows of the unscoped, unfiltered list, on dialects that
	// keep one (Dialect.RowCounts).
	counted string
}

// stRowCount reads a table's row count where the dialect keeps one. It is
// not in statements, which every dialect prepares; Statements adds it where
// the dialect keeps counts.
// The sum covers schemas that keep a count as several rows (PostgreSQL's
// appended changes).
var stRowCount = &stmt{plain: "SELECT CAST(sum(n) AS BIGINT) FROM row_counts WHERE name = ?", numbered: "SELECT CAST(sum(n) AS BIGINT) FROM row_counts WHERE name = $1"}

type scanner interface {
	Scan(dest ...any) error
}

// list returns one page: a SELECT with LIMIT/OFFSET and, unless the page
// itself shows where the list ends, a count(*) with the same WHERE.
//
// A page past the first of a list with a table is a deferred join: the
// OFFSET walks only the ids (SELECT id ... ORDER BY ... LIMIT ? OFFSET ?,
// which an index on the order, or SQLite's rowid b-tree, serves without
// reading the wide rows), and the outer SELECT reads the page's rows by id.
// When the total is wanted anyway, it is counted first, and a page nearer
// the end than the start walks from the end in the reverse order, so the
// last page costs as little as the first. Outside a transaction the count
// and the page are two statements, as the page and the count always were:
// a write between them moves a page from the end as a write between two
// requests moves any OFFSET page.
func list[T any](ctx context.Context, r reader, sp *listSpec, scope int64, q directory.Query, scan func(scanner) (T, error)) (directory.Page[T], error) {
	page := directory.Page[T]{Items: []T{}}
	if err := directory.CheckPage(q); err != nil {
		return page, err
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
	count := func() (int, error) {
		var total int64
		var err error
		if r.rowCounts && sp.counted != "" && sp.scope == "" && q.Filter == nil {
			err = r.q.QueryRow(ctx, r.sql(stRowCount), sp.counted).Scan(&total)
		} else {
			err = r.q.QueryRow(ctx, "SELECT count(*)"+fromWhere, whereArgs...).Scan(&total)
		}
		return int(total), err
	}

	if q.Limit == 0 {
		total, err := count()
		page.Total = total
		return page, err
	}
	if sp.table == "" || q.Offset == 0 {
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
		return finish(page, q, count)
	}

	limit, offset, reverse, total := q.Limit, q.Offset, false, -1
	if !q.NoTotal {
		var err error
		if total, err = count(); err != nil {
			return page, err
		}
		page.Total = total
		rest := total - q.Offset
		if rest <= 0 {
			return page, nil
		}
		if rest < q.Offset {
			// Nearer the end: the page is the rest's last limit rows,
			// which the reverse order lists first.
			reverse = true
			limit = min(q.Limit, rest)
			offset = rest - limit
		}
	}
	if err := b.orderByDir(sp.attrs, q.Sort, sp.id, reverse); err != nil {
		return page, err
	}
	b.WriteString(" LIMIT ")
	b.bind(limit)
	b.WriteString(" OFFSET ")
	b.bind(offset)
	// The outer SELECT has no parameters of its own, so the subquery's
	// placeholders keep their numbers.
	outer := &sqlBuf{numbered: r.numbered}
	if err := outer.orderBy(sp.attrs, q.Sort, sp.id); err != nil {
		return page, err
	}
	rows, err := r.q.Query(ctx, "SELECT "+sp.cols+" FROM "+sp.table+" WHERE "+sp.id+
		" IN (SELECT "+sp.id+b.String()+")"+outer.String(), b.args...)
	if page.Items, err = collect(rows, err, scan, page.Items); err != nil {
		return page, err
	}
	if total >= 0 {
		return page, nil
	}
	return finish(page, q, count)
}

// finish sets a page's total: none with NoTotal, the page's end when a
// short page that is not past the end shows it, and otherwise a count.
func finish[T any](page directory.Page[T], q directory.Query, count func() (int, error)) (directory.Page[T], error) {
	switch n := len(page.Items); {
	case q.NoTotal:
		return page, nil
	case n > 0 && n < q.Limit || n == 0 && q.Offset == 0:
		// A short page that is not past the end tells the total itself.
		page.Total = q.Offset + n
		return page, nil
	}
	var err error
	page.Total, err = count()
	return page, err
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
