package sqlite_test

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/gatehouse/gatehouse/internal/directory"
	"github.com/gatehouse/gatehouse/internal/store/sqlite"
)

func createUser(t *testing.T, s directory.Store, name string) {
	t.Helper()
	u := directory.User{Username: name, DisplayName: name, Source: directory.SourceLocal,
		SecurityProviderID: directory.LocalProviderID, Locale: directory.DefaultLocale, Access: directory.DefaultAccess()}
	if err := s.Write(context.Background(), func(tx directory.Tx) error { return tx.CreateUser(context.Background(), &u) }); err != nil {
		t.Error(err)
	}
}

// A backup taken while a writer commits holds every user committed before
// it began, is private, and restores into a database that opens.
func TestBackupUnderWritesRestores(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	path := filepath.Join(dir, "live.db")
	s, err := sqlite.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	for i := range 50 {
		createUser(t, s, fmt.Sprintf("before-%d", i))
	}
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		for i := 0; ; i++ {
			select {
			case <-stop:
				return
			default:
				createUser(t, s, fmt.Sprintf("during-%d", i))
			}
		}
	})
	backup := filepath.Join(dir, "backup.db")
	err = sqlite.Backup(ctx, path, backup)
	close(stop)
	wg.Wait()
	if err != nil {
		t.Fatal(err)
	}
	wantMode(t, backup, 0o600)

	restored := filepath.Join(dir, "restored", "gatehouse.db")
	if err := sqlite.Restore(ctx, backup, restored); err != nil {
		t.Fatal(err)
	}
	wantMode(t, restored, 0o600)
	r, err := sqlite.Open(ctx, restored)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	for i := range 50 {
		name := fmt.Sprintf("before-%d", i)
		page, err := r.Users(ctx, directory.Query{Filter: directory.Eq(directory.UserUsername, name), Limit: 1})
		if err != nil || len(page.Items) != 1 {
			t.Fatalf("%s after restore: %v %v", name, page.Items, err)
		}
	}
}

func TestBackupRefuses(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	path := filepath.Join(dir, "live.db")
	s, err := sqlite.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	for _, c := range []struct{ name, from, to, want string }{
		{"a missing database", filepath.Join(dir, "none.db"), filepath.Join(dir, "b.db"), "no such file"},
		{"the database as its own backup", path, path, "the database itself"},
		{"a directory", dir, filepath.Join(dir, "b.db"), "not a file"},
	} {
		t.Run(c.name, func(t *testing.T) {
			err := sqlite.Backup(ctx, c.from, c.to)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("Backup: %v, want %q", err, c.want)
			}
		})
	}
	if _, err := os.Stat(filepath.Join(dir, "none.db")); err == nil {
		t.Error("backing up a missing database created it")
	}
}

// Restore refuses what is not a whole Gatehouse database of a schema it
// knows, and leaves the database it would have replaced as it was.
func TestRestoreRefuses(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	path := filepath.Join(dir, "gatehouse.db")
	s, err := sqlite.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	createUser(t, s, "kept")
	s.Close()
	backup := filepath.Join(dir, "good.db")
	if err := sqlite.Backup(ctx, path, backup); err != nil {
		t.Fatal(err)
	}

	write := func(name string, b []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, b, 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	good, err := os.ReadFile(backup)
	if err != nil {
		t.Fatal(err)
	}
	torn := write("torn.db", good[:len(good)/2])
	other := filepath.Join(dir, "other.db")
	exec(t, other, "CREATE TABLE notes (body TEXT)")
	newer := filepath.Join(dir, "newer.db")
	if err := sqlite.Backup(ctx, path, newer); err != nil {
		t.Fatal(err)
	}
	exec(t, newer, "INSERT INTO schema_migrations (name, applied_at) VALUES ('9999_future.sql', 0)")
	garbage := make([]byte, 8192)
	copy(garbage, "SQLite format 3\x00")
	corrupt := write("corrupt.db", append(good[:4096:4096], garbage...))

	for _, c := range []struct{ name, file, want string }{
		{"a missing file", filepath.Join(dir, "none.db"), "no such file"},
		{"a text file", write("notes.txt", []byte("not a database\n")), "not a SQLite database"},
		{"a torn copy", torn, ""},
		{"a corrupt database", corrupt, ""},
		{"another application's database", other, "not a Gatehouse database"},
		{"a newer gatehouse's database", newer, "does not know"},
		{"the database itself", path, "the database itself"},
	} {
		t.Run(c.name, func(t *testing.T) {
			err := sqlite.Restore(ctx, c.file, path)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("Restore: %v, want an error with %q", err, c.want)
			}
		})
	}
	leftovers, _ := filepath.Glob(filepath.Join(dir, ".*.tmp*"))
	if len(leftovers) > 0 {
		t.Errorf("refused restores left %v", leftovers)
	}
	r, err := sqlite.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if page, err := r.Users(ctx, directory.Query{Limit: 10}); err != nil || len(page.Items) != 1 {
		t.Fatalf("the database after refused restores: %v %v", page.Items, err)
	}
}

func exec(t *testing.T, path, stmt string) {
	t.Helper()
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec(stmt); err != nil {
		t.Fatal(err)
	}
}
