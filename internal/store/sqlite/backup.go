package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
)

// Backup writes a consistent copy of the database at path to dst, while
// servers may be writing to it: VACUUM INTO reads the database in one read
// transaction (writers go on in WAL mode) and writes a compact database
// with every transaction committed before that one began. The copy is
// written under a temporary name beside dst, checked, and renamed to dst,
// so dst is either the previous file or a whole, checked backup; it is
// readable by its owner only (CreateTemp makes it 0600), since it holds
// password hashes and the signing keys.
func Backup(ctx context.Context, path, dst string) error {
	if err := exists(path); err != nil {
		return err
	}
	if same(path, dst) {
		return errors.New("the backup file is the database itself")
	}
	return writeChecked(ctx, dst, func(tmp string) error {
		// Not query_only, which refuses VACUUM INTO although it writes
		// only the new file.
		db, err := sql.Open("sqlite", path+"?_pragma=busy_timeout(5000)")
		if err != nil {
			return err
		}
		defer db.Close()
		db.SetMaxOpenConns(1)
		_, err = db.ExecContext(ctx, "VACUUM INTO ?", tmp)
		return err
	})
}

// Restore replaces the database at path with the backup, after checking
// that the backup is a whole Gatehouse database of a schema this build
// knows. It refuses while any process has the database open (see inUse):
// a server that kept running would go on from pages of the old database.
// The old database's WAL goes with it: left beside the restored file it
// would be replayed into it.
func Restore(ctx context.Context, backup, path string) error {
	if err := exists(backup); err != nil {
		return err
	}
	if same(backup, path) {
		return errors.New("the backup file is the database itself")
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return err
	}
	return writeChecked(ctx, path, func(tmp string) error {
		from, err := os.Open(backup)
		if err != nil {
			return err
		}
		defer from.Close()
		to, err := os.OpenFile(tmp, os.O_WRONLY, 0)
		if err != nil {
			return err
		}
		if _, err := io.Copy(to, from); err != nil {
			to.Close()
			return err
		}
		return to.Close()
	}, func() (release func(), err error) {
		return holdUnused(path)
	})
}

// writeChecked has fill write a database into an empty private file beside
// dst, checks it (check), and renames it to dst. hold, if given, is held
// around the rename.
func writeChecked(ctx context.Context, dst string, fill func(tmp string) error, hold ...func() (func(), error)) (err error) {
	f, err := os.CreateTemp(filepath.Dir(dst), "."+filepath.Base(dst)+".*.tmp")
	if err != nil {
		return err
	}
	tmp := f.Name()
	f.Close()
	defer func() {
		if err != nil {
			removeDatabase(tmp)
		}
	}()
	if err := fill(tmp); err != nil {
		return err
	}
	if err := check(ctx, tmp); err != nil {
		return err
	}
	if err := syncFile(tmp); err != nil {
		return err
	}
	for _, h := range hold {
		release, err := h()
		if err != nil {
			return err
		}
		defer release()
	}
	// The WAL and shared memory of a database dst replaces belong to that
	// one.
	for _, suffix := range []string{"-wal", "-shm"} {
		if err := os.Remove(dst + suffix); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return err
		}
	}
	if err := os.Rename(tmp, dst); err != nil {
		return err
	}
	return syncFile(filepath.Dir(dst))
}

// check opens the database at path and, reading only, reports an error unless
// PRAGMA integrity_check finds it whole and it holds a Gatehouse schema
// that this build's migrations know (a newer gatehouse's database is
// refused rather than half-understood).
func check(ctx context.Context, path string) error {
	db, err := sql.Open("sqlite", path+"?_pragma=busy_timeout(5000)&_pragma=query_only(1)")
	if err != nil {
		return err
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	var result string
	if err := db.QueryRowContext(ctx, "PRAGMA integrity_check(1)").Scan(&result); err != nil {
		return fmt.Errorf("%s is not a SQLite database: %w", path, err)
	}
	if result != "ok" {
		return fmt.Errorf("%s failed its integrity check: %s", path, result)
	}
	rows, err := db.QueryContext(ctx, "SELECT name FROM schema_migrations")
	if err != nil {
		return fmt.Errorf("%s is not a Gatehouse database", path)
	}
	defer rows.Close()
	n := 0
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			return err
		}
		if _, err := fs.Stat(migrations, "migrations/"+name); err != nil {
			return fmt.Errorf("%s has migration %s, which this gatehouse does not know: restore it with the gatehouse that made it", path, name)
		}
		n++
	}
	if err := rows.Err(); err != nil {
		return err
	}
	if n == 0 {
		return fmt.Errorf("%s is not a Gatehouse database", path)
	}
	return nil
}

func exists(path string) error {
	fi, err := os.Stat(path)
	if err != nil {
		return err
	}
	if !fi.Mode().IsRegular() {
		return fmt.Errorf("%s is not a file", path)
	}
	return nil
}

func same(a, b string) bool {
	fa, err := os.Stat(a)
	if err != nil {
		return false
	}
	fb, err := os.Stat(b)
	return err == nil && os.SameFile(fa, fb)
}

func syncFile(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	err = f.Sync()
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

func removeDatabase(path string) {
	for _, suffix := range []string{"", "-wal", "-shm", "-journal"} {
		os.Remove(path + suffix)
	}
}
