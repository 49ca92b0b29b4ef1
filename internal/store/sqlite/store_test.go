package sqlite

import (
	"context"
	"database/sql"
	"path/filepath"
	"sync"
	"testing"

	"github.com/gatehouse/gatehouse/internal/directory"
)

var ctx = context.Background()

func openTemp(t *testing.T, path string) *Store {
	t.Helper()
	s, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func pragma(t *testing.T, db *sql.DB, name string) string {
	t.Helper()
	var v string
	if err := db.QueryRowContext(ctx, "PRAGMA "+name).Scan(&v); err != nil {
		t.Fatal(err)
	}
	return v
}

func TestSettings(t *testing.T) {
	s := openTemp(t, filepath.Join(t.TempDir(), "a", "b", "gatehouse.db"))
	for name, want := range map[string]string{"journal_mode": "wal", "synchronous": "1", "foreign_keys": "1", "query_only": "0"} {
		if got := pragma(t, s.write, name); got != want {
			t.Errorf("writer %s = %s, want %s", name, got, want)
		}
	}
	if got := pragma(t, s.read, "query_only"); got != "1" {
		t.Errorf("reader query_only = %s, want 1", got)
	}
	if _, err := s.read.ExecContext(ctx, "DELETE FROM users"); err == nil {
		t.Error("a reader connection wrote")
	}
}

func TestRejectsQueryInPath(t *testing.T) {
	if _, err := Open(ctx, filepath.Join(t.TempDir(), "x.db?mode=ro")); err == nil {
		t.Fatal("Open accepted a path with '?'")
	}
}

// TestTwoStoresOneFile runs two Stores on one file, as a server and a CLI
// command do: their migrations and their writes must not collide.
func TestTwoStoresOneFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "gatehouse.db")
	stores := make([]*Store, 2)
	var wg sync.WaitGroup
	for i := range stores {
		wg.Go(func() {
			s, err := Open(ctx, path)
			if err != nil {
				t.Error(err)
				return
			}
			t.Cleanup(func() { s.Close() })
			stores[i] = s
		})
	}
	wg.Wait()
	if t.Failed() {
		t.FailNow()
	}
	u := directory.User{Username: "counter", Source: directory.SourceLocal, SecurityProviderID: directory.LocalProviderID}
	if err := stores[0].Write(ctx, func(tx directory.Tx) error { return tx.CreateUser(ctx, &u) }); err != nil {
		t.Fatal(err)
	}
	const increments = 20
	for _, s := range stores {
		wg.Go(func() {
			for range increments {
				err := s.Write(ctx, func(tx directory.Tx) error {
					v, err := tx.User(ctx, u.ID)
					if err != nil {
						return err
					}
					v.FailedLogins++
					return tx.UpdateUser(ctx, &v)
				})
				if err != nil {
					t.Error(err)
				}
			}
		})
	}
	wg.Wait()
	for _, s := range stores {
		got, err := s.User(ctx, u.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.FailedLogins != 2*increments {
			t.Fatalf("counter %d, want %d", got.FailedLogins, 2*increments)
		}
	}
	providers, err := stores[1].SecurityProviders(ctx, directory.Query{})
	if err != nil || providers.Total != 1 {
		t.Fatalf("%d providers after two migrations (%v)", providers.Total, err)
	}
}

// TestBusyIsTransient checks that a lock held by another connection beyond
// the busy timeout makes a transaction worth retrying.
func TestBusyIsTransient(t *testing.T) {
	path := filepath.Join(t.TempDir(), "gatehouse.db")
	openTemp(t, path)
	db, err := sql.Open("sqlite", path+"?_pragma=busy_timeout(0)&_txlock=immediate")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	holder, err := db.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer holder.Rollback()
	_, err = db.BeginTx(ctx, nil)
	if err == nil || !dialect.Transient(err) {
		t.Fatalf("a second writer got %v, want a transient error", err)
	}
	if dialect.Transient(sql.ErrNoRows) {
		t.Fatal("ErrNoRows is transient")
	}
}
