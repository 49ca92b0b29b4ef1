package postgres

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
)

// Writers append their changes to row_counts (see migration 0005); this
// folds them back into one row per name while they pile up, so that a
// list's total stays a sum over a few rows. It runs as one statement at
// READ COMMITTED, outside every writer's SERIALIZABLE transaction: writers
// neither wait for it nor conflict with it, and two instances folding at
// once each delete and re-add only the rows they got.
const (
	foldRowCountsEvery = 250 * time.Millisecond
	foldRowCounts      = `WITH d AS (
	DELETE FROM row_counts WHERE (SELECT count(*) FROM row_counts) > 64 RETURNING name, n)
INSERT INTO row_counts (name, n) SELECT name, sum(n) FROM d GROUP BY name`
)

// foldRows is one tick of the folding. A failure (the database briefly
// unreachable) leaves the rows to the next tick; the totals are right
// either way.
func foldRows(pool *pgxpool.Pool) func(ctx context.Context) {
	return func(ctx context.Context) { _, _ = pool.Exec(ctx, foldRowCounts) }
}
