package sqlstore

import (
	"context"

	"github.com/gatehouse/gatehouse/internal/directory"
)

// stPinSnapshot is the first read of a snapshot. Neither database fixes
// a transaction's view at BEGIN but at its first read of a table, so
// Snapshot reads one at once: its view is then the moment it began, not
// the moment fn first reads.
var stPinSnapshot = newStmt("SELECT count(*) FROM schema_migrations")

// Snapshot runs fn on one read-only transaction, which it always rolls
// back: there is nothing to commit.
func (s *Store) Snapshot(ctx context.Context, fn func(directory.Reader) error) error {
	c, err := s.db.BeginSnapshot(ctx)
	if err != nil {
		return err
	}
	defer c.Rollback(context.WithoutCancel(ctx))
	var n int64
	if err := c.QueryRow(ctx, s.sql(stPinSnapshot)).Scan(&n); err != nil {
		return err
	}
	return fn(snapshot{reader: reader{q: c, numbered: s.d.Numbered, rowCounts: s.d.RowCounts}, ids: s.d.IDs})
}

// snapshot is a Snapshot's Reader. It also reads the id generators, so
// that an export takes the marks of the same moment as its rows (see
// directory.Transfer's IDMarks).
type snapshot struct {
	reader
	ids IDGenerators
}

func (s snapshot) IDMarks(ctx context.Context) (directory.IDMarks, error) {
	return idMarks(ctx, s.q, s.ids)
}
