package postgres

import (
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/gatehouse/gatehouse/internal/pgtest"
	"github.com/gatehouse/gatehouse/internal/store/sqlstore"
	"github.com/gatehouse/gatehouse/internal/store/storetest"
)

// TestMigrateBeyondInsight applies 0003 to a database that holds rows.
func TestMigrateBeyondInsight(t *testing.T) {
	dsn := pgtest.DSN(t)
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	if err := sqlstore.Migrate(ctx, newDatabase(conn), dialect, storetest.ScriptsBefore(t, migrations, "0003")); err != nil {
		t.Fatal(err)
	}
	if _, err := conn.Exec(ctx, storetest.BeforeBeyondInsight); err != nil {
		t.Fatal(err)
	}
	conn.Close(ctx)
	s, err := Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	storetest.CheckBeforeBeyondInsight(t, s)
}
