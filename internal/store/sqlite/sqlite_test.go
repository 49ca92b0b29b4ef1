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

// The ephemeral store passes the same suite: it is the file store on
// memory-backed storage. A memory database ends with its Store, so the
// suite's re-opening of a test's database gets the same Store back, closed
// only when the test ends.
var memoryStore = storetest.PerTest(func(t *testing.T) *sqlite.Store {
	s, err := sqlite.OpenMemory(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
})

// keptOpen is a Store whose Close leaves the database to the test's end.
type keptOpen struct{ *sqlite.Store }

func (keptOpen) Close() error { return nil }

func TestConformanceMemory(t *testing.T) {
	storetest.Run(t, func(t *testing.T) directory.Store { return keptOpen{memoryStore(t)} })
}
