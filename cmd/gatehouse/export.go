package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/gatehouse/gatehouse/internal/directory"
	"github.com/gatehouse/gatehouse/internal/dump"
)

// runExport writes the directory as a dump (JSON lines, see internal/dump)
// that `gatehouse import` loads into another database.
func runExport(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("export", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var db, out string
	var noHashes, noEvents bool
	dbFlag(fs, &db)
	fs.StringVar(&out, "out", "-", "file to write the dump to, or - for standard output")
	fs.BoolVar(&noHashes, "no-password-hashes", false, "leave out every credential hash: users' passwords, application users' client secrets, "+
		"API registration keys and directory bind passwords (the import then gives each a random one nobody knows)")
	fs.BoolVar(&noEvents, "no-events", false, "leave out the audit log")
	if err := parse(fs, args); err != nil {
		return err
	}
	return withStore(ctx, db, func(st directory.Store) error {
		w, finish, err := createOutput(out, stdout)
		if err != nil {
			return err
		}
		opt := dump.ExportOptions{PasswordHashes: !noHashes, Events: !noEvents, Progress: newProgress(stderr)}
		counts, err := dump.Export(ctx, st, w, opt)
		if err = finish(err); err != nil {
			return err
		}
		if out != "-" {
			fmt.Fprintf(stderr, "Exported %s to %s.\n", summary(counts), out)
		}
		return nil
	})
}

// createOutput opens where a dump goes. A file is written under a
// temporary name beside it and renamed only once complete, so that a
// failed export never leaves a partial dump under the name; it is readable
// by its owner only, since it holds password hashes. finish takes the
// export's error and returns it, or the error of completing the file.
// A path that exists and is not a regular file (/dev/null, a pipe) is
// written in place: renaming over it would replace the device.
func createOutput(path string, stdout io.Writer) (io.Writer, func(error) error, error) {
	if path == "-" {
		return stdout, func(err error) error { return err }, nil
	}
	if fi, err := os.Stat(path); err == nil && !fi.Mode().IsRegular() {
		f, err := os.OpenFile(path, os.O_WRONLY, 0)
		if err != nil {
			return nil, nil, err
		}
		return f, func(err error) error {
			if cerr := f.Close(); err == nil {
				err = cerr
			}
			return err
		}, nil
	}
	return createPrivate(path)
}

// createPrivate creates a file readable by its owner only, whatever the
// umask and whatever file was there: it is written under a new name
// (CreateTemp makes it 0600) and renamed over the old one by finish, which
// takes the writer's error and returns it, or the error of completing the
// file; on any error the new file is removed and the old one stays.
func createPrivate(path string) (*os.File, func(error) error, error) {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return nil, nil, err
	}
	finish := func(err error) error {
		if err == nil {
			err = f.Sync()
		}
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err == nil {
			err = os.Rename(f.Name(), path)
		}
		if err != nil {
			os.Remove(f.Name())
		}
		return err
	}
	return f, finish, nil
}
