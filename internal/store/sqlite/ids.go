package sqlite

import (
	"context"

	"github.com/gatehouse/gatehouse/internal/store/sqlstore"
)

// idGenerators works on sqlite_sequence, where AUTOINCREMENT keeps the
// highest id each table has ever held. An insert with an explicit id
// raises it by itself; an import still sets it, to carry the source's
// marks for rows deleted before the export.
type idGenerators struct{}

func (idGenerators) Last(ctx context.Context, q sqlstore.Querier, table string) (int64, error) {
	var last int64
	err := q.QueryRow(ctx, "SELECT coalesce(max(seq), 0) FROM sqlite_sequence WHERE name = ?", table).Scan(&last)
	return last, err
}

// SetLast updates the table's row, which exists once the table has held a
// row, or adds it.
func (idGenerators) SetLast(ctx context.Context, q sqlstore.Querier, table string, last int64) error {
	n, err := q.Exec(ctx, "UPDATE sqlite_sequence SET seq = ? WHERE name = ?", last, table)
	if err != nil || n > 0 {
		return err
	}
	_, err = q.Exec(ctx, "INSERT INTO sqlite_sequence (name, seq) VALUES (?, ?)", table, last)
	return err
}
