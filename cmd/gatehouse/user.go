package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"

	"github.com/gatehouse/gatehouse/internal/directory"
)

// runUser manages users from the command line. It exists mainly for
// administrators, whom no API may create, change or delete.
func runUser(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	ctx, sub, args, fs, db, err := subcommand(ctx, "user", args, stderr, "create, list or reset-second-factor")
	if err != nil {
		return err
	}
	var do func(*directory.Service) error
	switch sub {
	case "create":
		var username, display, email string
		var admin, passwordStdin, twoFactor bool
		fs.StringVar(&username, "username", "", "username (required)")
		fs.StringVar(&display, "display-name", "", "public display name (default: the username)")
		fs.StringVar(&email, "email", "", "email address")
		fs.BoolVar(&admin, "admin", false, "make the user an administrator (perm_admin), which no API can change or delete")
		fs.BoolVar(&twoFactor, "two-factor-required", false, "require a TOTP code at web console sign-in (an authenticator app is enrolled at the first one)")
		fs.BoolVar(&passwordStdin, "password-stdin", false, "read the password from the first line of standard input (default: a random one nobody knows)")
		do = func(svc *directory.Service) error {
			if username == "" {
				return usagef("--username is required")
			}
			in := directory.NewUser{Admin: admin, UserChange: directory.UserChange{
				Username: directory.To(username), DisplayName: directory.To(display), Email: directory.To(email),
				TwoFactorRequired: directory.To(twoFactor)}}
			if display == "" {
				in.DisplayName = directory.To(username)
			}
			if passwordStdin {
				line, err := bufio.NewReader(os.Stdin).ReadString('\n')
				if err != nil && err != io.EOF {
					return err
				}
				in.Password = directory.To(strings.TrimRight(line, "\r\n"))
			}
			u, err := svc.CreateUser(ctx, in)
			if err != nil {
				return err
			}
			fmt.Fprintf(stdout, "Created user %d %q (administrator: %t).\n", u.ID, u.Username, u.Admin)
			return nil
		}
	case "list":
		do = func(svc *directory.Service) error { return listUsers(ctx, svc, stdout) }
	case "reset-second-factor":
		// For a lost authenticator: the next console sign-in enrols anew.
		username := fs.String("username", "", "the user whose TOTP second factor to remove (required)")
		do = func(svc *directory.Service) error {
			if *username == "" {
				return usagef("--username is required")
			}
			u, err := svc.UserByName(ctx, *username)
			if err == nil {
				err = svc.ResetSecondFactor(ctx, u.ID)
			}
			if err != nil {
				return err
			}
			fmt.Fprintf(stdout, "Removed the second factor of user %d %q; the next console sign-in enrols a new one.\n", u.ID, u.Username)
			return nil
		}
	default:
		return usagef("unknown subcommand %q: want create, list or reset-second-factor", sub)
	}
	if err := parse(fs, args); err != nil {
		return err
	}
	return withService(ctx, *db, do)
}

func listUsers(ctx context.Context, svc *directory.Service, w io.Writer) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tUSERNAME\tDISPLAY NAME\tEMAIL\tSOURCE\tENABLED\tADMIN")
	var after int64
	for {
		page, err := svc.Users(ctx, directory.Query{Filter: directory.Compare{Attr: directory.UserID, Op: directory.OpGt, Value: after}, Limit: 500})
		if err != nil {
			return err
		}
		for _, u := range page.Items {
			fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%t\t%t\n", u.ID, u.Username, u.DisplayName, u.Email, u.Source, u.Enabled, u.Admin)
			after = u.ID
		}
		if len(page.Items) < 500 {
			return tw.Flush()
		}
	}
}
