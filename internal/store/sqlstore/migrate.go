package sqlstore

import (
	"context"
	"fmt"
	"io/fs"
	"time"
)

const createMigrations = "CREATE TABLE IF NOT EXISTS schema_migrations (name TEXT PRIMARY KEY, applied_at BIGINT NOT NULL)"

var (
	stMigrationApplied = newStmt("SELECT 1 FROM schema_migrations WHERE name = ?")
	stRecordMigration  = newStmt("INSERT INTO schema_migrations (name, applied_at) VALUES (?, ?)")
)

// Migrate applies, in name order, the *.sql scripts of fsys that
// schema_migrations does not list, each in its own transaction together with
// its record. Each transaction checks the record again, so concurrent
// migrators cannot apply a script twice where transactions serialize
// writers (SQLite); elsewhere the caller holds a lock.
func Migrate(ctx context.Context, db DB, d Dialect, fsys fs.FS) error {
	if _, err := db.Exec(ctx, createMigrations); err != nil {
		return fmt.Errorf("sqlstore: creating schema_migrations: %w", err)
	}
	names, err := fs.Glob(fsys, "*.sql")
	if err != nil {
		return err
	}
	for _, name := range names {
		script, err := fs.ReadFile(fsys, name)
		if err != nil {
			return err
		}
		if err := migrate(ctx, db, d, name, string(script)); err != nil {
			return fmt.Errorf("sqlstore: migration %s: %w", name, err)
		}
	}
	return nil
}

func migrate(ctx context.Context, db DB, d Dialect, name, script string) error {
	c, err := db.Begin(ctx)
	if err != nil {
		return err
	}
	defer c.Rollback(context.WithoutCancel(ctx)) // a no-op once committed
	r := reader{q: c, numbered: d.Numbered}
	if done, err := r.exists(ctx, stMigrationApplied, name); err != nil || done {
		return err
	}
	if _, err := c.Exec(ctx, script); err != nil {
		return err
	}
	if _, err := c.Exec(ctx, r.sql(stRecordMigration), name, micros(time.Now())); err != nil {
		return err
	}
	return c.Commit(ctx)
}
