package postgres

import (
	"context"

	"github.com/gatehouse/gatehouse/internal/store/sqlstore"
)

// idGenerators works on the identity columns' sequences. An insert with an
// explicit id does not move a sequence, so an import must.
type idGenerators struct{}

// Last reads the sequence's last value, which is NULL until it hands out
// its first.
func (idGenerators) Last(ctx context.Context, q sqlstore.Querier, table string) (int64, error) {
	var last int64
	err := q.QueryRow(ctx,
		"SELECT coalesce(pg_sequence_last_value(pg_get_serial_sequence($1, 'id')::regclass), 0)", table).Scan(&last)
	return last, err
}

// SetLast uses setval's third argument for 0: a sequence cannot hold 0, but
// it can be told that 1, not yet handed out, comes next.
func (idGenerators) SetLast(ctx context.Context, q sqlstore.Querier, table string, last int64) error {
	_, err := q.Exec(ctx, "SELECT setval(pg_get_serial_sequence($1, 'id'), greatest($2::bigint, 1), $2::bigint > 0)", table, last)
	return err
}
