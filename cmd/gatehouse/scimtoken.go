package main

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/gatehouse/gatehouse/internal/auth"
	"github.com/gatehouse/gatehouse/internal/directory"
)

// runSCIMToken mints long-lived SCIM bearer tokens, the credential Okta and
// Entra ID ask for when they are pointed at /scim/v2. Each token gets an
// API account of its own, allowed SCIM and nothing else, whose secret
// nobody is told: revoking the token is disabling that account.
func runSCIMToken(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	ctx, sub, args, fs, db, err := subcommand(ctx, "scim-token", args, stderr, "create")
	if err != nil {
		return err
	}
	if sub != "create" {
		return usagef("unknown subcommand %q: want create", sub)
	}
	var name string
	var ttl time.Duration
	fs.StringVar(&name, "name", "", "what the token is for, e.g. okta (required; names its API account)")
	fs.DurationVar(&ttl, "ttl", 365*24*time.Hour, "how long the token lasts (at most five years)")
	var keyFile string
	signingKeyFlag(fs, &keyFile)
	if err := parse(fs, args); err != nil {
		return err
	}
	switch {
	case name == "":
		return usagef("--name is required")
	case ttl <= 0 || ttl > auth.MaxMintTTL:
		return usagef("--ttl must be between 1s and %s", auth.MaxMintTTL)
	}
	keys, err := signingKeys(ctx, keyFile)
	if err != nil {
		return err
	}
	return withStore(ctx, *db, func(st directory.Store) error {
		if keys == nil {
			keys = auth.DatabaseKeys(st)
		}
		svc := directory.NewService(st, directory.NewHasher(directory.DefaultArgon2))
		a, _, err := svc.CreateAPIAccount(ctx, directory.NewAPIAccount{Name: "scim: " + name,
			Comments: "Holds the SCIM bearer token made by `gatehouse scim-token create`.", Perms: directory.Permissions{SCIM: true}})
		if directory.IsKind(err, directory.KindConflict) {
			return fmt.Errorf("an API account named %q already exists: choose another --name", "scim: "+name)
		}
		if err != nil {
			return flagProblems(err, map[string]string{directory.FieldName: "--name"})
		}
		now := time.Now()
		tok, err := auth.Mint(ctx, keys, svc, a.ID, ttl, now)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "Created API account %d %q for SCIM. Its bearer token, valid until %s, is shown only this once:\n  %s\n"+
			"Revoke it with: gatehouse api-account disable --id %d\n", a.ID, a.Name, now.Add(ttl).UTC().Format(time.RFC3339), tok, a.ID)
		return nil
	})
}
