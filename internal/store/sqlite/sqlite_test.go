package sqlite_test

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/gatehouse/gatehouse/internal/directory"
	"github.com/gatehouse/gatehouse/internal/store/sqlite"
	"github.com/gatehouse/gatehouse/internal/store/storetest"
)

var dbPath = storetest.PerTest(func(t *testing.T) string {
	return filepath.Join(t.TempDir(), "data", "gatehouse.db")
})

func openStore(t *testing.T) directory.Store {
	s, err := sqlite.Open(context.Background(), dbPath(t))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestConformance(t *testing.T) {
	storetest.Run(t, openStore)
}
