package pgtest_test

import (
	"context"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/gatehouse/gatehouse/internal/pgtest"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

func TestDSNGivesFreshDatabases(t *testing.T) {
	ctx := context.Background()
	a, b := pgtest.DSN(t), pgtest.DSN(t)
	if a == b {
		t.Fatalf("two calls returned the same DSN %s", a)
	}
	conn, err := pgx.Connect(ctx, a)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, "CREATE TABLE t (x int)"); err != nil {
		t.Fatal(err)
	}
	other, err := pgx.Connect(ctx, b)
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close(ctx)
	var n int
	if err := other.QueryRow(ctx, "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'").Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != 0 {
		t.Fatalf("a new database has %d tables", n)
	}
	var provider string // PostgreSQL 15 and later
	if other.QueryRow(ctx, "SELECT datlocprovider::text FROM pg_database WHERE datname = current_database()").Scan(&provider) == nil {
		t.Logf("locale provider %s (i: ICU, c: libc)", provider)
	}
}
