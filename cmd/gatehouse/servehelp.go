package main

import (
	"flag"
	"fmt"
	"io"
)

// serveHelpGroups orders `serve --help` by concern. Every serve flag is in
// exactly one group (TestServeHelpGroupsEveryFlag), so a new flag must be
// placed here to be seen.
var serveHelpGroups = []struct {
	title string
	flags []string
}{
	{"Listening", []string{"addr", "public-url", "tls-cert", "tls-key", "tls-self-signed", "trusted-proxies", "read-timeout", "max-body-bytes", "shutdown-timeout"}},
	{"Data", []string{"db", "fixtures"}},
	{"Accounts, tokens and limits", []string{"bootstrap-client-id", "bootstrap-client-secret", "signing-key-file", "rate-limit", "token-rate-limit", "lockout-attempts", "lockout-duration"}},
	{"Appliance fidelity", []string{"strict"}},
	{"Logs, metrics and audit", []string{"log-format", "log-level", "metrics-addr", "audit-forward", "debug-addr"}},
}

// groupedUsage prints fs's flags under serveHelpGroups' titles, each with
// its environment variable. A flag in no group is printed under "Other",
// which TestServeHelp refuses.
func groupedUsage(fs *flag.FlagSet, w io.Writer) func() {
	return func() {
		fmt.Fprintln(w, "Usage: gatehouse serve [flags]\n\nEvery flag can also be set in the environment variable shown; a flag on the command line wins.")
		grouped := map[string]bool{}
		for _, g := range serveHelpGroups {
			fmt.Fprintf(w, "\n%s:\n", g.title)
			for _, name := range g.flags {
				grouped[name] = true
				if f := fs.Lookup(name); f != nil {
					printFlag(w, f)
				}
			}
		}
		other := false
		fs.VisitAll(func(f *flag.Flag) {
			if grouped[f.Name] {
				return
			}
			if !other {
				fmt.Fprintln(w, "\nOther:")
				other = true
			}
			printFlag(w, f)
		})
		fmt.Fprint(w, environmentOnly)
	}
}

// environmentOnly are settings too secret for a command line, which any
// user of the machine may read in the process list.
const environmentOnly = `
Environment only:
  GATEHOUSE_ADMIN_USERNAME   the initial administrator's username, at the first start (default admin)
  GATEHOUSE_ADMIN_PASSWORD   its password (default: generated and printed once)
  GATEHOUSE_SIGNING_KEY      the token signing keys themselves, instead of --signing-key-file
`

func printFlag(w io.Writer, f *flag.Flag) {
	kind, usage := flag.UnquoteUsage(f)
	fmt.Fprintf(w, "  --%s", f.Name)
	if kind != "" {
		fmt.Fprintf(w, " %s", kind)
	}
	fmt.Fprintf(w, "\n      %s", usage)
	if f.DefValue != "" && f.DefValue != "false" && f.DefValue != "0" {
		fmt.Fprintf(w, " (default %s)", f.DefValue)
	}
	fmt.Fprintf(w, "\n      env %s\n", envName(f.Name))
}
