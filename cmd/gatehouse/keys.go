package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"text/tabwriter"
	"time"

	"github.com/gatehouse/gatehouse/internal/auth"
	"github.com/gatehouse/gatehouse/internal/directory"
)

// signingKeyEnv holds keys themselves, for deployments that inject secrets
// as environment variables. There is deliberately no flag for it: a key on
// a command line is visible to every user of the machine.
const signingKeyEnv = "GATEHOUSE_SIGNING_KEY"

// signingKeyFlag declares --signing-key-file.
func signingKeyFlag(fs *flag.FlagSet, path *string) {
	fs.StringVar(path, "signing-key-file", "", "read the token signing keys from this file, not the database (or give the keys themselves"+
		" in GATEHOUSE_SIGNING_KEY); see docs/deploy.md")
}

// signingKeys is where the token signing keys are: the key file, else the
// environment, else (nil) the database. A bad file or value is an error
// here, before anything starts.
func signingKeys(ctx context.Context, path string) (auth.KeySource, error) {
	env, inEnv := os.LookupEnv(signingKeyEnv)
	switch {
	case path != "" && inEnv:
		return nil, usagef("--signing-key-file and %s exclude each other", signingKeyEnv)
	case path != "":
		if _, err := auth.KeyFile(path).SigningKeys(ctx); err != nil {
			return nil, err
		}
		return auth.KeyFile(path), nil
	case inEnv:
		keys, err := auth.ParseSigningKeys(env)
		if err != nil {
			return nil, usagef("%s: %v", signingKeyEnv, err)
		}
		return auth.StaticKeys(keys), nil
	}
	return nil, nil
}

// runKeys lists and rotates the token signing keys, wherever they are.
func runKeys(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) > 0 && args[0] == "generate" {
		return generateKey(args[1:], stdout, stderr)
	}
	ctx, sub, args, fs, db, err := subcommand(ctx, "keys", args, stderr, "list, rotate or generate")
	if err != nil {
		return err
	}
	var path string
	signingKeyFlag(fs, &path)
	ttl := auth.DefaultTokenTTL
	switch sub {
	case "list":
		if err := parse(fs, args); err != nil {
			return err
		}
		src, err := signingKeys(ctx, path)
		if err != nil {
			return err
		}
		if src != nil {
			keys, err := src.SigningKeys(ctx)
			if err != nil {
				return err
			}
			return listKeys(stdout, keys, ttl)
		}
		return withStore(ctx, *db, func(st directory.Store) error {
			keys, err := st.SigningKeys(ctx)
			if err != nil {
				return err
			}
			return listKeys(stdout, keys, ttl)
		})
	case "rotate":
		after := fs.Duration("after", auth.DefaultKeyDelay, "how long before the new key signs: every instance must hold it by then"+
			" (instances read the database within a second; for a key file, how long your deployment takes to deliver it)")
		dropPrevious := fs.Bool("drop-previous", false, "after a key leak: sign with the new key at once and drop every other key now;"+
			" tokens they signed, minted SCIM tokens included, are refused from then on")
		if err := parse(fs, args); err != nil {
			return err
		}
		if *after < 0 {
			return usagef("--after must not be negative")
		}
		if *dropPrevious {
			// No token may outlive its key: a lifetime of 0 keeps none.
			*after, ttl = 0, 0
		}
		if _, inEnv := os.LookupEnv(signingKeyEnv); inEnv {
			return usagef("keys in %s are rotated by changing it: put a new key (gatehouse keys generate) first, the current one after it", signingKeyEnv)
		}
		now := time.Now()
		var k directory.SigningKey
		if path != "" {
			k, err = auth.RotateKeyFile(path, now, *after, ttl)
		} else {
			err = withStore(ctx, *db, func(st directory.Store) error {
				k, err = auth.RotateDatabaseKey(ctx, st, now, *after, ttl)
				return err
			})
		}
		if err != nil {
			return err
		}
		from := "now"
		if !k.SignsFrom.IsZero() {
			from = k.SignsFrom.UTC().Format(time.RFC3339)
		}
		if *dropPrevious {
			fmt.Fprintf(stdout, "New signing key %s signs from %s; every other key is dropped, and the tokens it signed are refused:"+
				" clients request new ones, and SCIM tokens must be minted again.\n", auth.KeyIDString(k.ID), from)
			return nil
		}
		fmt.Fprintf(stdout, "New signing key %s signs from %s. Tokens signed by the previous key keep working until they expire (%s);"+
			" tokens minted by `gatehouse scim-token create` before now stop working then too: mint new ones.\n",
			auth.KeyIDString(k.ID), from, ttl)
		return nil
	default:
		return usagef("unknown subcommand %q: want list, rotate or generate", sub)
	}
}

func listKeys(w io.Writer, keys []directory.SigningKey, ttl time.Duration) error {
	now := time.Now()
	tw := tabwriter.NewWriter(w, 0, 8, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tAGE\tSTATE")
	for _, k := range auth.DescribeKeys(keys, now, ttl) {
		age := "-"
		if !k.Since.IsZero() {
			age = now.Sub(k.Since).Round(time.Second).String()
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\n", k.ID, age, k.State)
	}
	return tw.Flush()
}

// generateKey prints a new key, for GATEHOUSE_SIGNING_KEY or a key file
// kept by other means than `keys rotate`.
func generateKey(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("keys generate", flag.ContinueOnError)
	fs.SetOutput(stderr)
	if err := parse(fs, args); err != nil {
		return err
	}
	line, err := auth.NewSigningKeyLine()
	if err != nil {
		return err
	}
	fmt.Fprintln(stdout, line)
	return nil
}
