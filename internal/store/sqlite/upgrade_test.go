package sqlite

import (
	"database/sql"
	"path/filepath"
	"testing"

	"github.com/gatehouse/gatehouse/internal/store/sqlstore"
	"github.com/gatehouse/gatehouse/internal/store/storetest"
)

// TestMigrateBeyondInsight applies 0003 to a database that holds rows.
func TestMigrateBeyondInsight(t *testing.T) {
	path := filepath.Join(t.TempDir(), "gatehouse.db")
	db, err := openPool(ctx, path, writeParams, 1)
	if err != nil {
		t.Fatal(err)
	}
	w := &pool{db: db, prepared: map[string]*sql.Stmt{}}
	if err := sqlstore.Migrate(ctx, &database{read: w, write: w}, dialect, storetest.ScriptsBefore(t, migrations, "0003")); err != nil {
		t.Fatal(err)
	}
	if _, err := db.ExecContext(ctx, storetest.BeforeBeyondInsight); err != nil {
		t.Fatal(err)
	}
	db.Close()
	storetest.CheckBeforeBeyondInsight(t, openTemp(t, path))
}
