package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/gatehouse/gatehouse/internal/directory"
)

// runDirectory configures external directories: Active Directory domains
// and LDAP servers with stored bind credentials, so that BeyondInsight
// ActiveDirectory and LdapDirectory users can be added without giving any.
func runDirectory(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	ctx, sub, args, fs, db, err := subcommand(ctx, "directory", args, stderr, "add or list")
	if err != nil {
		return err
	}
	var do func(*directory.Service) error
	switch sub {
	case "add":
		var name, passwordFile string
		var d directory.DirectorySettings
		fs.Func("kind", "active-directory or ldap (required)", func(v string) error {
			k, ok := directoryKinds[v]
			if !ok {
				return fmt.Errorf("want active-directory or ldap")
			}
			d.Kind = k
			return nil
		})
		fs.StringVar(&name, "name", "", "the directory's name, as its security provider shows it (required)")
		fs.StringVar(&d.Domain, "domain", "", "DNS domain, e.g. example.com (required for Active Directory; for LDAP, default: from --base-dn)")
		fs.StringVar(&d.Host, "host", "", "server host name (required for LDAP; for Active Directory, default: the domain)")
		fs.Func("port", "server port (default: 389, or 636 with --ssl)", func(v string) error {
			p, err := strconv.Atoi(v)
			if err != nil || p < 1 || p > 65535 {
				return fmt.Errorf("want a port number from 1 to 65535")
			}
			d.Port = p
			return nil
		})
		fs.BoolVar(&d.UseSSL, "ssl", false, "connect with TLS (LDAPS)")
		fs.StringVar(&d.BaseDN, "base-dn", "", "where to search for accounts (default for Active Directory: from the domain, dc=example,dc=com)")
		fs.StringVar(&d.AccountAttribute, "account-attribute", "", "attribute holding the account name (default: sAMAccountName for Active Directory, uid for LDAP)")
		fs.StringVar(&d.BindUser, "bind-user", "", "the account that looks users up, e.g. a DN or user@example.com (required)")
		fs.StringVar(&passwordFile, "bind-password-file", "", "file holding the bind password, or - for standard input (required; one trailing newline is dropped)")
		do = func(svc *directory.Service) error {
			switch {
			case d.Kind == "":
				return usagef("--kind is required")
			case name == "":
				return usagef("--name is required")
			case d.Kind == directory.SourceActiveDirectory && d.Domain == "":
				return usagef("--domain is required for --kind active-directory")
			case d.Kind == directory.SourceLDAP && d.Host == "":
				return usagef("--host is required for --kind ldap")
			case d.BindUser == "":
				return usagef("--bind-user is required")
			case passwordFile == "":
				return usagef("--bind-password-file is required")
			}
			var err error
			if d.BindPassword, err = readPasswordFile(passwordFile); err != nil {
				return err
			}
			p, err := svc.CreateDirectoryProvider(ctx, name, d)
			if err != nil {
				return flagProblems(err, map[string]string{directory.FieldName: "--name", "kind": "--kind",
					directory.FieldDomainName: "--domain", directory.FieldHostName: "--host", directory.FieldPort: "--port",
					directory.FieldDistinguishedName: "--base-dn", directory.FieldAccountAttribute: "--account-attribute",
					directory.FieldBindUser: "--bind-user", directory.FieldBindPassword: "--bind-password-file"})
			}
			s := p.Directory
			fmt.Fprintf(stdout, "Added directory %d %q (%s %s on %s); its bind password is stored and never shown.\n",
				p.ID, p.Name, kindName(s.Kind), s.Domain, s.Host)
			return nil
		}
	case "list":
		do = func(svc *directory.Service) error { return listDirectories(ctx, svc, stdout) }
	default:
		return usagef("unknown subcommand %q: want add or list", sub)
	}
	if err := parse(fs, args); err != nil {
		return err
	}
	return withService(ctx, *db, do)
}

// directoryKinds are the --kind values; the domain's own spelling is
// accepted too.
var directoryKinds = map[string]directory.Source{
	"active-directory": directory.SourceActiveDirectory,
	"active_directory": directory.SourceActiveDirectory,
	"ldap":             directory.SourceLDAP,
}

func kindName(k directory.Source) string {
	if k == directory.SourceActiveDirectory {
		return "active-directory"
	}
	return string(k)
}

// readPasswordFile reads a password from a file, or from standard input for
// "-", so that it never appears on a command line (shell history, ps). One
// trailing newline, as editors and echo add, is dropped.
func readPasswordFile(path string) (string, error) {
	var b []byte
	var err error
	from := path
	if path == "-" {
		from = "standard input"
		b, err = io.ReadAll(os.Stdin)
	} else {
		b, err = os.ReadFile(path)
	}
	if err != nil {
		return "", fmt.Errorf("--bind-password-file: %w", err)
	}
	pw := string(b)
	if s, ok := strings.CutSuffix(pw, "\n"); ok {
		pw = strings.TrimSuffix(s, "\r")
	}
	if pw == "" {
		return "", fmt.Errorf("--bind-password-file: %s holds no password", from)
	}
	return pw, nil
}

// listDirectories prints the security providers that stand for an external
// directory, never their bind passwords.
func listDirectories(ctx context.Context, svc *directory.Service, w io.Writer) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tNAME\tKIND\tDOMAIN\tHOST\tPORT\tSSL\tBASE DN\tACCOUNT ATTRIBUTE\tBIND USER")
	const page = 500
	for offset := 0; ; offset += page {
		list, err := svc.SecurityProviders(ctx, directory.Query{Offset: offset, Limit: page, NoTotal: true})
		if err != nil {
			return err
		}
		for _, p := range list.Items {
			d := p.Directory
			if d == nil {
				continue
			}
			port := "default"
			if d.Port != 0 {
				port = strconv.Itoa(d.Port)
			}
			fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\t%t\t%s\t%s\t%s\n", p.ID, p.Name, kindName(d.Kind), d.Domain, d.Host,
				port, d.UseSSL, orDash(d.BaseDN), orDash(d.AccountAttribute), orDash(d.BindUser))
		}
		if len(list.Items) < page {
			return tw.Flush()
		}
	}
}

// orDash shows an empty column as "-", so that columns stay apart.
func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
