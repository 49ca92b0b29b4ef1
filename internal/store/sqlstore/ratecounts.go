package sqlstore

import (
	"cmp"
	"context"
	"slices"

	"github.com/gatehouse/gatehouse/internal/directory"
)

// Rate-limit counters: one row per API account and fixed window in
// rate_windows, to which every instance adds what it counted. The upsert
// (INSERT ... ON CONFLICT DO UPDATE SET count = count + excluded.count) is
// the same in SQLite, PostgreSQL and CockroachDB, and adds atomically
// however many instances add to one row at once.

// maxRateRows is how many windows one upsert names: four parameters each,
// far below what SQLite and PostgreSQL accept in one statement.
const maxRateRows = 250

var stDeleteRateCounts = newStmt("DELETE FROM rate_windows WHERE window_kind = ? AND window_start < ?")

type rateKey struct {
	account int64
	window  directory.RateWindow
	start   int64
}

func keyOf(c directory.RateCount) rateKey { return rateKey{c.AccountID, c.Window, c.Start} }

// AddRateCounts adds the deltas in one statement outside any transaction
// when they fit in one, so that instances adding to the same rows only
// queue for each row's lock (PostgreSQL's READ COMMITTED upsert), where a
// serializable transaction would fail and retry. More deltas than fit in
// one statement take one write transaction, to add all or none.
func (s *Store) AddRateCounts(ctx context.Context, deltas []directory.RateCount) ([]directory.RateCount, error) {
	rows := mergeRateCounts(deltas)
	if len(rows) == 0 {
		return []directory.RateCount{}, nil
	}
	totals := make(map[rateKey]int64, len(rows))
	var err error
	if len(rows) <= maxRateRows {
		err = s.retry(ctx, func() error { return addRateRows(ctx, s.db.Autocommit(), s.d.Numbered, rows, totals) })
	} else {
		err = s.write(ctx, func(t *tx) error {
			for chunk := range slices.Chunk(rows, maxRateRows) {
				if err := addRateRows(ctx, t.q, t.numbered, chunk, totals); err != nil {
					return err
				}
			}
			return nil
		})
	}
	if err != nil {
		return nil, err
	}
	out := make([]directory.RateCount, len(deltas))
	for i, d := range deltas {
		d.Count = totals[keyOf(d)]
		out[i] = d
	}
	return out, nil
}

// mergeRateCounts sums deltas naming the same window, since PostgreSQL
// refuses to update one row twice in one statement, and sorts them, so that
// concurrent upserts lock rows in one order and cannot deadlock.
func mergeRateCounts(deltas []directory.RateCount) []directory.RateCount {
	rows := slices.Clone(deltas)
	slices.SortFunc(rows, func(a, b directory.RateCount) int {
		return cmp.Or(cmp.Compare(a.AccountID, b.AccountID), cmp.Compare(a.Window, b.Window), cmp.Compare(a.Start, b.Start))
	})
	out := rows[:0]
	for _, r := range rows {
		if n := len(out); n > 0 && keyOf(out[n-1]) == keyOf(r) {
			out[n-1].Count += r.Count
			continue
		}
		out = append(out, r)
	}
	return out
}

// addRateRows upserts rows with one statement and records the totals it
// returns.
func addRateRows(ctx context.Context, q Querier, numbered bool, rows []directory.RateCount, totals map[rateKey]int64) error {
	b := sqlBuf{numbered: numbered}
	b.WriteString("INSERT INTO rate_windows (account_id, window_kind, window_start, count) VALUES ")
	for i, r := range rows {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteByte('(')
		b.bind(r.AccountID)
		b.WriteString(", ")
		b.bind(string(r.Window))
		b.WriteString(", ")
		b.bind(r.Start)
		b.WriteString(", ")
		b.bind(r.Count)
		b.WriteByte(')')
	}
	b.WriteString(" ON CONFLICT (account_id, window_kind, window_start) DO UPDATE SET count = rate_windows.count + excluded.count" +
		" RETURNING account_id, window_kind, window_start, count")
	rs, err := q.Query(ctx, b.String(), b.args...)
	if err != nil {
		return err
	}
	defer rs.Close()
	for rs.Next() {
		var (
			k      rateKey
			window string
			total  int64
		)
		if err := rs.Scan(&k.account, &window, &k.start, &total); err != nil {
			return err
		}
		k.window = directory.RateWindow(window)
		totals[k] = total
	}
	if err := rs.Err(); err != nil {
		return err
	}
	return rs.Close()
}

// DeleteRateCounts runs on the writer, outside any transaction.
func (s *Store) DeleteRateCounts(ctx context.Context, window directory.RateWindow, before int64) error {
	return s.retry(ctx, func() error {
		_, err := s.db.Autocommit().Exec(ctx, s.sql(stDeleteRateCounts), string(window), before)
		return err
	})
}
