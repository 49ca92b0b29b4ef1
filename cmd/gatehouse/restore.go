package main

import (
	"context"
	"flag"
	"fmt"
	"io"

	"github.com/gatehouse/gatehouse/internal/store"
	"github.com/gatehouse/gatehouse/internal/store/sqlite"
)

// runRestore replaces a SQLite database with a backup, once the server is
// stopped: it refuses while any process has the database open.
func runRestore(ctx context.Context, args []string, _, stderr io.Writer) error {
	fs := flag.NewFlagSet("restore", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintln(stderr, "Usage: gatehouse restore <backup file> [--db <sqlite file>]\n\n"+
			"Stop the server first; the database is replaced by the backup.")
		fs.PrintDefaults()
	}
	var db string
	dbFlag(fs, &db)
	file, err := parseFile(fs, args)
	if err != nil {
		return err
	}
	if store.IsPostgres(db) {
		return errPostgresBackup
	}
	if err := persistent(db); err != nil {
		return err
	}
	if err := sqlite.Restore(ctx, file, db); err != nil {
		return err
	}
	fmt.Fprintf(stderr, "Restored %s from %s.\n", db, file)
	return nil
}
