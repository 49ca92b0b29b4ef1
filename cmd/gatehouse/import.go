package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/gatehouse/gatehouse/internal/directory"
	"github.com/gatehouse/gatehouse/internal/dump"
)

// runImport loads a dump written by `gatehouse export` into an empty
// database, keeping every id.
func runImport(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("import", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var db, in string
	dbFlag(fs, &db)
	fs.StringVar(&in, "in", "-", "dump file to read, or - for standard input")
	if err := parse(fs, args); err != nil {
		return err
	}
	var r io.Reader = os.Stdin
	if in != "-" {
		f, err := os.Open(in)
		if err != nil {
			return err
		}
		defer f.Close()
		r = f
	}
	ctx = directory.WithActor(ctx, cliActor)
	return withStore(ctx, db, func(st directory.Store) error {
		res, err := dump.Import(ctx, st, r, newProgress(stderr))
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "Imported the directory exported at %s into %s: %s.\n",
			res.ExportedAt.Format(time.RFC3339), redactDSN(db), summary(res.Counts))
		if res.RandomPasswords > 0 {
			fmt.Fprintf(stdout, "%d local users came without a password hash and got a random password nobody knows; "+
				"set new passwords before they can log in.\n", res.RandomPasswords)
		}
		if len(res.Accounts) > 0 {
			fmt.Fprintln(stdout, "API account secrets are not exported: each imported account has a new random "+
				"secret nobody knows. Give one a secret with `gatehouse api-account rotate-secret` on this database:")
			for _, a := range res.Accounts {
				fmt.Fprintf(stdout, "  --id %d  (%q, client_id %s)\n", a.ID, a.Name, a.ClientID)
			}
		}
		if res.RandomClientSecrets > 0 {
			fmt.Fprintf(stdout, "%d application users came without a client secret hash and got a random secret nobody knows; "+
				"recycle them (POST Users/{id}/RecycleClientSecret) before they can sign in.\n", res.RandomClientSecrets)
		}
		if len(res.Registrations) > 0 {
			fmt.Fprintln(stdout, "These API registrations came without a key hash and got a random key nobody knows; "+
				"give each a key with `gatehouse api-registration rotate-key` on this database:")
			for _, r := range res.Registrations {
				fmt.Fprintf(stdout, "  --id %d  (%q)\n", r.ID, r.Name)
			}
		}
		if len(res.NoBindPasswords) > 0 {
			fmt.Fprintln(stdout, "These directories came without their bind password and cannot look users up until one is set "+
				"(`gatehouse directory add` a new entry with the password):")
			for _, p := range res.NoBindPasswords {
				fmt.Fprintf(stdout, "  id %d  (%q)\n", p.ID, p.Name)
			}
		}
		return nil
	})
}
