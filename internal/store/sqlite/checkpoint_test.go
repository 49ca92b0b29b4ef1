package sqlite

import (
	"context"
	"encoding/binary"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gatehouse/gatehouse/internal/directory"
)

// TestWALStartsOverUnderSteadyWrites writes without a pause for longer than
// several checkpoint ticks, and checks that the WAL was started over: with
// only PASSIVE checkpoints it would hold every frame written.
func TestWALStartsOverUnderSteadyWrites(t *testing.T) {
	defer func(n int64) { restartFrames = n }(restartFrames)
	restartFrames = 64
	ctx := context.Background()
	dbFile := filepath.Join(t.TempDir(), "wal.db")
	s, err := Open(ctx, dbFile)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	// A WAL's header counts the times it was started over (its checkpoint
	// sequence number, bytes 12-15, big-endian).
	path := filepath.Join(filepath.Dir(dbFile), "wal.db-wal")
	restarts := func() uint32 {
		f, err := os.Open(path)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		var h [16]byte
		if _, err := io.ReadFull(f, h[:]); err != nil {
			t.Fatal(err)
		}
		return binary.BigEndian.Uint32(h[12:])
	}
	// Four writers keep a commit always queued, so that no PASSIVE
	// checkpoint finds the WAL idle, until the WAL has been started over
	// twice; without the RESTART checkpoints that never happens, and the
	// test gives up after 50 checkpoint ticks.
	var txns atomic.Int64
	before := restarts()
	var done atomic.Bool
	var wg sync.WaitGroup
	for w := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; !done.Load(); i++ {
				err := s.Write(ctx, func(tx directory.Tx) error {
					u := directory.User{Username: fmt.Sprintf("steady%d-%d", w, i), Source: directory.SourceLocal,
						SecurityProviderID: directory.LocalProviderID, Locale: directory.DefaultLocale, Access: directory.DefaultAccess()}
					return tx.CreateUser(ctx, &u)
				})
				if err != nil {
					t.Error(err)
					return
				}
				txns.Add(1)
			}
		}()
	}
	deadline := time.Now().Add(50 * checkpointEvery)
	for restarts()-before < 2 && time.Now().Before(deadline) {
		time.Sleep(checkpointEvery / 4)
	}
	done.Store(true)
	wg.Wait()
	if n := restarts() - before; n < 2 {
		t.Fatalf("in %d transactions over %v the WAL was started over %d times", txns.Load(), 50*checkpointEvery, n)
	}
}
