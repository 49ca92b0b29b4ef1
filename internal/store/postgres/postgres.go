// Package postgres is the scale-out Store: PostgreSQL (and the databases
// that speak its protocol) through pgx, under the shared sqlstore
// implementation. Write transactions run SERIALIZABLE, and sqlstore retries
// them on serialization failures and deadlocks.
package postgres

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"io/fs"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/gatehouse/gatehouse/internal/store/sqlstore"
)

//go:embed migrations/*.sql
var migrations embed.FS

// Store is a directory.Store on a PostgreSQL database.
type Store struct {
	*sqlstore.Store
	pool      *pgxpool.Pool
	stopFolds func()
}

var dialect = sqlstore.Dialect{
	Numbered:  true,
	IDs:       idGenerators{},
	RowCounts: true,
	Transient: func(err error) bool {
		var pe *pgconn.PgError
		return errors.As(err, &pe) && (pe.Code == "40001" || pe.Code == "40P01")
	},
	UniqueIndex: func(err error) (string, bool) {
		var pe *pgconn.PgError
		if errors.As(err, &pe) && pe.Code == "23505" {
			return pe.ConstraintName, true
		}
		return "", false
	},
}

// Open connects to the database dsn names (a postgres:// URL or key=value
// string, with pgxpool's pool_* settings) and brings its schema up to date.
func Open(ctx context.Context, dsn string) (*Store, error) {
	cfg, err := pgxpool.ParseConfig(dsn)
	if err != nil {
		// pgx's parse errors can quote the DSN, password included.
		return nil, errors.New("postgres: invalid connection string")
	}
	if err := migrate(ctx, cfg.ConnConfig); err != nil {
		return nil, err
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("postgres: %w", err)
	}
	return &Store{Store: sqlstore.New(newDatabase(pool), dialect), pool: pool, stopFolds: sqlstore.Periodic(foldRowCountsEvery, foldRows(pool))}, nil
}

// migrationLock is the advisory lock key under which instances migrate one
// at a time ("gatehous" in ASCII).
const migrationLock = 0x6761746568_6f7573

// migrate applies the migrations on a connection of its own, holding the
// advisory lock for as long as the session lasts: closing the connection
// releases the lock even when unlocking would fail.
func migrate(ctx context.Context, cfg *pgx.ConnConfig) error {
	conn, err := pgx.ConnectConfig(ctx, cfg)
	if err != nil {
		return fmt.Errorf("postgres: %w", err)
	}
	defer conn.Close(context.WithoutCancel(ctx))
	if _, err := conn.Exec(ctx, "SELECT pg_advisory_lock($1)", int64(migrationLock)); err != nil && !noAdvisoryLocks(err) {
		return fmt.Errorf("postgres: taking the migration lock: %w", err)
	}
	scripts, _ := fs.Sub(migrations, "migrations")
	if err := sqlstore.Migrate(ctx, newDatabase(conn), dialect, scripts); err != nil {
		return fmt.Errorf("postgres: %w", err)
	}
	return nil
}

// noAdvisoryLocks reports whether err says the server has no advisory locks
// (CockroachDB answers feature_not_supported). Such a server is migrated
// without the lock, which is safe when one `gatehouse migrate` runs before
// the instances start, as docs/deploy.md asks for there.
func noAdvisoryLocks(err error) bool {
	var pe *pgconn.PgError
	return errors.As(err, &pe) && (pe.Code == "0A000" || pe.Code == "42883")
}

// Close closes the pool; it is safe to call more than once.
func (s *Store) Close() error {
	s.stopFolds()
	s.pool.Close()
	return nil
}

// SharedByInstances is true: PostgreSQL is how several instances run as one
// server, so they count rate limits in it.
func (s *Store) SharedByInstances() bool { return true }
