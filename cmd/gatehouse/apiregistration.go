package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/gatehouse/gatehouse/internal/directory"
)

// runAPIRegistration manages BeyondInsight API registrations: the keys that,
// with a run-as user in a PS-Auth header, sign that user in.
func runAPIRegistration(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	ctx, sub, args, fs, db, err := subcommand(ctx, "api-registration", args, stderr, "create, list, rotate-key or delete")
	if err != nil {
		return err
	}
	var do func(*directory.Service) error
	switch sub {
	case "create":
		var in directory.NewAPIRegistration
		var ips string
		fs.StringVar(&in.Name, "name", "", "registration name (required, unique)")
		fs.StringVar(&ips, "ip-allow", "", "comma-separated addresses or CIDR prefixes sign-ins may come from (default: any)")
		fs.BoolVar(&in.UserPasswordRequired, "password-required", false, "require the run-as user's password in the PS-Auth header (pwd=[...])")
		do = func(svc *directory.Service) error {
			if in.Name == "" {
				return usagef("--name is required")
			}
			if ips != "" {
				in.IPAllow = strings.Split(ips, ",")
			}
			r, key, err := svc.CreateAPIRegistration(ctx, in)
			if directory.IsKind(err, directory.KindConflict) {
				return fmt.Errorf("an API registration named %q already exists", in.Name)
			}
			if err != nil {
				return flagProblems(err, map[string]string{directory.FieldName: "--name", "ip_addresses": "--ip-allow"})
			}
			fmt.Fprintf(stdout, "Created API registration %d %q. Its key is shown only this once:\n  id:  %d\n  key: %s\n",
				r.ID, r.Name, r.ID, key)
			return nil
		}
	case "list":
		do = func(svc *directory.Service) error { return listRegistrations(ctx, svc, stdout) }
	case "rotate-key", "delete":
		var id int64
		var name string
		fs.Int64Var(&id, "id", 0, "the registration's id")
		fs.StringVar(&name, "name", "", "the registration's name (instead of --id)")
		do = func(svc *directory.Service) error {
			r, err := findRegistration(ctx, svc, id, name)
			if err != nil {
				return err
			}
			if sub == "delete" {
				if err := svc.DeleteAPIRegistration(ctx, r.ID); err != nil {
					return err
				}
				fmt.Fprintf(stdout, "API registration %d %q deleted; its key signs nobody in any more.\n", r.ID, r.Name)
				return nil
			}
			r, key, err := svc.RotateRegistrationKey(ctx, r.ID)
			if err != nil {
				return err
			}
			fmt.Fprintf(stdout, "Rotated the key of API registration %d %q; the old key no longer signs anyone in. The new key is shown only this once:\n  id:  %d\n  key: %s\n",
				r.ID, r.Name, r.ID, key)
			return nil
		}
	default:
		return usagef("unknown subcommand %q: want create, list, rotate-key or delete", sub)
	}
	if err := parse(fs, args); err != nil {
		return err
	}
	return withService(ctx, *db, do)
}

// findRegistration addresses a registration by id or by name (names are
// unique and compare case-insensitively).
func findRegistration(ctx context.Context, svc *directory.Service, id int64, name string) (directory.APIRegistration, error) {
	switch {
	case (id == 0) == (name == ""):
		return directory.APIRegistration{}, usagef("give exactly one of --id and --name")
	case id != 0:
		return svc.APIRegistration(ctx, id)
	}
	page, err := svc.APIRegistrations(ctx, directory.Query{Filter: directory.Eq(directory.RegistrationName, name), Limit: 1, NoTotal: true})
	switch {
	case err != nil:
		return directory.APIRegistration{}, err
	case len(page.Items) == 0:
		return directory.APIRegistration{}, directory.NotFound("API registration")
	}
	return page.Items[0], nil
}

// listRegistrations prints every registration, never its key or the key's
// hash.
func listRegistrations(ctx context.Context, svc *directory.Service, w io.Writer) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tNAME\tPASSWORD REQUIRED\tIP ALLOW\tCREATED")
	const page = 500
	for offset := 0; ; offset += page {
		list, err := svc.APIRegistrations(ctx, directory.Query{Offset: offset, Limit: page, NoTotal: true})
		if err != nil {
			return err
		}
		for _, r := range list.Items {
			ips := strings.Join(r.IPAllow, ",")
			if ips == "" {
				ips = "any"
			}
			fmt.Fprintf(tw, "%d\t%s\t%t\t%s\t%s\n", r.ID, r.Name, r.UserPasswordRequired, ips,
				r.CreatedAt.UTC().Format(time.RFC3339))
		}
		if len(list.Items) < page {
			return tw.Flush()
		}
	}
}

// flagProblems words the domain's field problems in terms of the flags that
// set those fields ("--ip-allow must be IP addresses or CIDR prefixes");
// other errors pass unchanged.
func flagProblems(err error, flags map[string]string) error {
	de, ok := directory.AsError(err)
	if !ok || de.Kind != directory.KindInvalid || len(de.Fields) == 0 {
		return err
	}
	var msgs []string
	for _, field := range slices.Sorted(maps.Keys(de.Fields)) {
		name := flags[field]
		if name == "" {
			name = field
		}
		words := slices.Clone(de.Fields[field])
		for i, w := range words {
			if w == directory.MsgRequired {
				words[i] = "is required"
			}
		}
		msgs = append(msgs, name+" "+strings.Join(words, ", "))
	}
	return errors.New(strings.Join(msgs, "; "))
}
