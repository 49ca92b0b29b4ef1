// Package store chooses a directory.Store implementation from a --db value.
package store

import (
	"context"
	"strings"

	"github.com/gatehouse/gatehouse/internal/directory"
	"github.com/gatehouse/gatehouse/internal/store/postgres"
	"github.com/gatehouse/gatehouse/internal/store/sqlite"
)

// DefaultSQLitePath is where the zero-configuration server keeps its data.
const DefaultSQLitePath = "gatehouse-data/gatehouse.db"

// IsPostgres reports whether dsn names a PostgreSQL database (and so also
// CockroachDB or YugabyteDB) rather than a SQLite file.
func IsPostgres(dsn string) bool {
	return strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://")
}

// Open opens the store dsn names, applying its migrations: a postgres:// URL,
// sqlite.Memory for an ephemeral database that Close removes, or a SQLite
// file path (empty means DefaultSQLitePath).
func Open(ctx context.Context, dsn string) (directory.Store, error) {
	// Each branch returns a nil interface on error, never a typed nil.
	if IsPostgres(dsn) {
		s, err := postgres.Open(ctx, dsn)
		if err != nil {
			return nil, err
		}
		return s, nil
	}
	if dsn == sqlite.Memory {
		s, err := sqlite.OpenMemory(ctx)
		if err != nil {
			return nil, err
		}
		return s, nil
	}
	if dsn == "" {
		dsn = DefaultSQLitePath
	}
	s, err := sqlite.Open(ctx, strings.TrimPrefix(dsn, "sqlite://"))
	if err != nil {
		return nil, err
	}
	return s, nil
}
