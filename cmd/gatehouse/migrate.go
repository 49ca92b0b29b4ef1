package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"runtime/debug"

	"github.com/gatehouse/gatehouse/internal/directory"
)

// runMigrate opens the database, which applies every pending migration, and
// exits: for deployments that migrate before rolling out new instances.
func runMigrate(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("migrate", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var db string
	dbFlag(fs, &db)
	if err := parse(fs, args); err != nil {
		return err
	}
	return withService(ctx, db, func(*directory.Service) error {
		fmt.Fprintf(stdout, "Database %s is up to date.\n", redactDSN(db))
		return nil
	})
}

func runVersion(_ context.Context, _ []string, stdout, _ io.Writer) error {
	fmt.Fprintf(stdout, "gatehouse %s\n", buildVersion())
	return nil
}

// buildVersion is the main module's version: a release's tag, or
// "(devel)" for a build from a checkout. gatehouse_build_info shows it too.
func buildVersion() string {
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" {
		return bi.Main.Version
	}
	return "(devel)"
}
