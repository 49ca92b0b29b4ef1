package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/gatehouse/gatehouse/internal/directory"
	"github.com/gatehouse/gatehouse/internal/store"
)

// cliActor is who the audit log names for command-line changes.
var cliActor = directory.Actor{Kind: directory.ActorCLI}

func runAPIAccount(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	ctx, sub, args, fs, db, err := subcommand(ctx, "api-account", args, stderr, "create, list, rotate-secret, disable, enable or unlock")
	if err != nil {
		return err
	}
	var do func(*directory.Service) error
	switch sub {
	case "create":
		in := directory.NewAPIAccount{Perms: directory.Permissions{Configuration: directory.AccessFullAccess, UserManagement: directory.AccessFullAccess}}
		var ips string
		fs.StringVar(&in.Name, "name", "", "account name (required, unique)")
		fs.StringVar(&in.Comments, "comments", "", "free-text comments")
		fs.Func("config", "Configuration API access: deny, read_only or full_access (default full_access)", accessFlag(&in.Perms.Configuration))
		fs.Func("user-management", "user management (public v3) API access: deny, read_only or full_access (default full_access)", accessFlag(&in.Perms.UserManagement))
		fs.BoolVar(&in.Perms.SCIM, "scim", false, "allow the SCIM API")
		fs.BoolVar(&in.Perms.Quarantine, "quarantine", false, "allow quarantining users")
		fs.StringVar(&ips, "ip-allow", "", "comma-separated addresses or CIDR prefixes allowed to use the account (default: any)")
		do = func(svc *directory.Service) error {
			if in.Name == "" {
				return usagef("--name is required")
			}
			if ips != "" {
				in.IPAllow = strings.Split(ips, ",")
			}
			a, secret, err := svc.CreateAPIAccount(ctx, in)
			if err != nil {
				return err
			}
			fmt.Fprintf(stdout, "Created API account %d %q. Its secret is shown only this once:\n  client_id:     %s\n  client_secret: %s\n",
				a.ID, a.Name, a.ClientID, secret)
			return nil
		}
	case "list":
		do = func(svc *directory.Service) error { return listAccounts(ctx, svc, stdout) }
	case "rotate-secret", "disable", "enable", "unlock":
		var id int64
		var clientID string
		fs.Int64Var(&id, "id", 0, "the account's id")
		fs.StringVar(&clientID, "client-id", "", "the account's client id (instead of --id)")
		do = func(svc *directory.Service) error {
			a, err := findAccount(ctx, svc, id, clientID)
			if err != nil {
				return err
			}
			switch sub {
			case "rotate-secret":
				a, secret, err := svc.RotateSecret(ctx, a.ID)
				if err != nil {
					return err
				}
				fmt.Fprintf(stdout, "Rotated the secret of API account %d %q; its tokens are revoked and its lock-outs lifted. The new secret is shown only this once:\n  client_id:     %s\n  client_secret: %s\n",
					a.ID, a.Name, a.ClientID, secret)
			case "unlock":
				if _, err := svc.UnlockAPIAccount(ctx, a.ID); err != nil {
					return err
				}
				fmt.Fprintf(stdout, "API account %d %q unlocked: no address is locked out of it now.\n", a.ID, a.Name)
			default:
				if _, err := svc.SetAPIAccountEnabled(ctx, a.ID, sub == "enable"); err != nil {
					return err
				}
				fmt.Fprintf(stdout, "API account %d %q %sd.\n", a.ID, a.Name, sub)
			}
			return nil
		}
	default:
		return usagef("unknown subcommand %q: want create, list, rotate-secret, disable, enable or unlock", sub)
	}
	if err := parse(fs, args); err != nil {
		return err
	}
	return withService(ctx, *db, do)
}

func accessFlag(dst *directory.Access) func(string) error {
	return func(v string) error {
		a := directory.Access(v)
		if !a.Valid() {
			return fmt.Errorf("want deny, read_only or full_access")
		}
		*dst = a
		return nil
	}
}

func findAccount(ctx context.Context, svc *directory.Service, id int64, clientID string) (directory.APIAccount, error) {
	switch {
	case (id == 0) == (clientID == ""):
		return directory.APIAccount{}, usagef("give exactly one of --id and --client-id")
	case id != 0:
		return svc.APIAccount(ctx, id)
	default:
		return svc.APIAccountByClientID(ctx, clientID)
	}
}

func listAccounts(ctx context.Context, svc *directory.Service, w io.Writer) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tNAME\tCLIENT ID\tENABLED\tCONFIG\tUSER MGMT\tSCIM\tQUARANTINE")
	const page = 500
	for offset := 0; ; offset += page {
		list, err := svc.APIAccounts(ctx, directory.Query{Offset: offset, Limit: page})
		if err != nil {
			return err
		}
		for _, a := range list.Items {
			fmt.Fprintf(tw, "%d\t%s\t%s\t%t\t%s\t%s\t%t\t%t\n", a.ID, a.Name, a.ClientID, a.Enabled,
				a.Perms.Configuration, a.Perms.UserManagement, a.Perms.SCIM, a.Perms.Quarantine)
		}
		if len(list.Items) < page {
			return tw.Flush()
		}
	}
}

// subcommand starts a command with subcommands (api-account create, user
// list): it splits off the subcommand and declares the flags every one of
// them has. Changes made from the command line are audited as "cli".
func subcommand(ctx context.Context, group string, args []string, stderr io.Writer, want string) (context.Context, string, []string, *flag.FlagSet, *string, error) {
	if len(args) == 0 {
		return ctx, "", nil, nil, nil, usagef("want a subcommand: %s", want)
	}
	fs := flag.NewFlagSet(group+" "+args[0], flag.ContinueOnError)
	fs.SetOutput(stderr)
	db := new(string)
	dbFlag(fs, db)
	return directory.WithActor(ctx, cliActor), args[0], args[1:], fs, db, nil
}

// withService opens the database (applying migrations) and runs fn with a
// directory service acting as the command line.
func withService(ctx context.Context, db string, fn func(*directory.Service) error) error {
	return withStore(ctx, db, func(st directory.Store) error {
		return fn(directory.NewService(st, directory.NewHasher(directory.DefaultArgon2)))
	})
}

// withStore opens the database (applying migrations) and runs fn on it,
// for commands that work below the service (export, import).
func withStore(ctx context.Context, db string, fn func(directory.Store) error) error {
	if err := persistent(db); err != nil {
		return err
	}
	st, err := store.Open(ctx, db)
	if err != nil {
		return fmt.Errorf("open database: %w", err)
	}
	defer st.Close()
	return fn(st)
}
