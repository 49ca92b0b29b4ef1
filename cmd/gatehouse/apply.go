package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"

	"github.com/gatehouse/gatehouse/internal/directory"
	"github.com/gatehouse/gatehouse/internal/fixtures"
)

// runApply converges the directory on a fixtures file (see
// internal/fixtures): CI's API accounts, users and groups, from YAML or
// JSON, idempotently.
func runApply(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("apply", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var db, file string
	dbFlag(fs, &db)
	fs.StringVar(&file, "f", "", "the fixtures file, YAML or JSON (required)")
	if err := parse(fs, args); err != nil {
		return err
	}
	if file == "" {
		return usagef("-f is required")
	}
	// A file that does not parse is refused before the database is opened.
	d, err := fixtures.Load(file)
	if err != nil {
		return err
	}
	return withService(ctx, db, func(svc *directory.Service) error {
		sum, err := fixtures.Apply(ctx, svc, d)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "Applied %s: %s.\n", file, sum)
		return nil
	})
}

// serveFixtures applies serve's --fixtures file, if any, before the server
// answers a request; a bad file stops the start.
func serveFixtures(ctx context.Context, file string, svc *directory.Service, logger *slog.Logger) error {
	if file == "" {
		return nil
	}
	d, err := fixtures.Load(file)
	if err != nil {
		return fmt.Errorf("--fixtures: %w", err)
	}
	sum, err := fixtures.Apply(ctx, svc, d)
	if err != nil {
		return fmt.Errorf("--fixtures: %w", err)
	}
	logger.Info("fixtures applied", "file", file, "created", sum.Created, "updated", sum.Updated, "unchanged", sum.Unchanged)
	return nil
}
