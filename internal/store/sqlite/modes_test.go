package sqlite_test

import (
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"testing"

	"github.com/gatehouse/gatehouse/internal/directory"
	"github.com/gatehouse/gatehouse/internal/store/sqlite"
)

// A new database, its WAL and shared-memory files and the directory made
// for them are the owner's alone, under the test process's umask (022 in
// CI) as under a server's.
func TestNewDatabaseIsPrivate(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data")
	path := filepath.Join(dir, "gatehouse.db")
	s, err := sqlite.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	u := directory.User{Username: "ann", Source: directory.SourceLocal, SecurityProviderID: directory.LocalProviderID,
		Locale: directory.DefaultLocale, Access: directory.DefaultAccess()}
	if err := s.Write(context.Background(), func(tx directory.Tx) error { return tx.CreateUser(context.Background(), &u) }); err != nil {
		t.Fatal(err)
	}
	wantMode(t, dir, fs.ModeDir|0o700)
	for _, f := range []string{path, path + "-wal", path + "-shm"} {
		wantMode(t, f, 0o600)
	}
}

// An existing database keeps the mode its operator gave it.
func TestExistingDatabaseKeepsItsMode(t *testing.T) {
	path := filepath.Join(t.TempDir(), "gatehouse.db")
	if err := os.WriteFile(path, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(path, 0o640); err != nil {
		t.Fatal(err)
	}
	s, err := sqlite.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	wantMode(t, path, 0o640)
	wantMode(t, path+"-wal", 0o640)
}

func wantMode(t *testing.T, path string, want fs.FileMode) {
	t.Helper()
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if got := fi.Mode(); got != want {
		t.Errorf("%s: mode %v, want %v", filepath.Base(path), got, want)
	}
}
