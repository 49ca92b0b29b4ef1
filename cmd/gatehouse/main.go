// Command gatehouse is the one binary: the server and its administration
// commands. Flags and environment variables are read here and nowhere else.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

type command struct {
	name, summary string
	run           func(ctx context.Context, args []string, stdout, stderr io.Writer) error
}

func commands() []command {
	return []command{
		{"serve", "run the server", runServe},
		{"migrate", "apply database migrations and exit", runMigrate},
		{"api-account", "manage API accounts: create, list, rotate-secret, disable, enable", runAPIAccount},
		{"api-registration", "manage BeyondInsight API registrations (PS-Auth keys): create, list, rotate-key, delete", runAPIRegistration},
		{"keys", "list and rotate the token signing keys, or generate one: list, rotate, generate", runKeys},
		{"scim-token", "mint a long-lived SCIM bearer token for Okta or Entra ID: create", runSCIMToken},
		{"user", "manage users, including administrators: create, list", runUser},
		{"directory", "configure Active Directory and LDAP directories with bind credentials: add, list", runDirectory},
		{"apply", "create or update API accounts, users, groups and teams from a fixtures file (YAML or JSON), idempotently", runApply},
		{"audit", "print the audit log, filtered by time, actor, resource and action; --follow for new events", runAudit},
		{"export", "write the directory as JSON lines, to move it to another database", runExport},
		{"import", "load an export into a new, empty database, keeping every id", runImport},
		{"backup", "copy a live SQLite database consistently to a file (PostgreSQL: use pg_dump)", runBackup},
		{"restore", "replace a stopped server's SQLite database with a backup", runRestore},
		{"bench", "seed a directory, start the server and measure it beside a bare net/http baseline", runBench},
		{"healthcheck", "ask the server on this host whether it is alive (a container's HEALTHCHECK)", runHealthcheck},
		{"version", "print the version", runVersion},
	}
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	os.Exit(run(ctx, os.Args[1:], os.Stdout, os.Stderr))
}

// run returns the process exit code: 0 success, 1 failure, 2 usage error.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		usage(stderr)
		if len(args) == 0 {
			return 2
		}
		return 0
	}
	for _, c := range commands() {
		if c.name != args[0] {
			continue
		}
		err := c.run(ctx, args[1:], stdout, stderr)
		switch {
		case err == nil:
			return 0
		case errors.Is(err, flag.ErrHelp):
			return 0
		case errors.As(err, new(usageError)):
			fmt.Fprintf(stderr, "gatehouse %s: %v\n", c.name, err)
			return 2
		default:
			fmt.Fprintf(stderr, "gatehouse %s: %v\n", c.name, err)
			return 1
		}
	}
	fmt.Fprintf(stderr, "gatehouse: unknown command %q\n\n", args[0])
	usage(stderr)
	return 2
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "Usage: gatehouse <command> [flags]\n\nCommands:")
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-16s %s\n", c.name, c.summary)
	}
	fmt.Fprintln(w, "\nRun 'gatehouse <command> -h' for a command's flags.")
}

// usageError marks a mistake in the command line, answered with exit code 2.
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

func usagef(format string, args ...any) error { return usageError{fmt.Sprintf(format, args...)} }
