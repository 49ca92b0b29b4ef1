package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"

	"github.com/gatehouse/gatehouse/internal/store"
	"github.com/gatehouse/gatehouse/internal/store/sqlite"
)

// errPostgresBackup answers backup and restore on PostgreSQL, whose own
// tools do both better than a copy through Gatehouse could.
var errPostgresBackup = errors.New("back up and restore a PostgreSQL database with PostgreSQL's tools: " +
	"pg_dump and pg_restore, or continuous archiving (see docs/deploy.md, Backups)")

// runBackup writes a consistent copy of a SQLite database, while the
// server runs.
func runBackup(ctx context.Context, args []string, _, stderr io.Writer) error {
	fs := flag.NewFlagSet("backup", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintln(stderr, "Usage: gatehouse backup [--db <sqlite file>] <backup file>")
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
	if err := sqlite.Backup(ctx, db, file); err != nil {
		return err
	}
	fmt.Fprintf(stderr, "Backed up %s to %s.\n", db, file)
	return nil
}

// parseFile parses flags around one file name, which may come before the
// flags or after them, and then the environment.
func parseFile(fs *flag.FlagSet, args []string) (string, error) {
	var files []string
	for {
		if err := parseFlags(fs, args); err != nil {
			return "", err
		}
		if fs.NArg() == 0 {
			break
		}
		files, args = append(files, fs.Arg(0)), fs.Args()[1:]
	}
	if len(files) != 1 {
		return "", usagef("want one file name, got %d", len(files))
	}
	return files[0], envDefaults(fs)
}
