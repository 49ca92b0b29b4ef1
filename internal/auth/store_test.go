package auth_test

import (
	"context"
	"testing"

	"github.com/gatehouse/gatehouse/internal/directory"
	"github.com/gatehouse/gatehouse/internal/pgtest"
	"github.com/gatehouse/gatehouse/internal/store"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

// openStore opens the database dsn names (SQLite, or PostgreSQL when
// GATEHOUSE_TEST_STORE=postgres); instances of one test each open it, as
// separate processes would.
func openStore(t testing.TB, dsn string) directory.Store {
	t.Helper()
	s, err := store.Open(context.Background(), dsn)
	if err != nil {
		t.Fatalf("open store: %v", err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}
