package postgres

import (
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gatehouse/gatehouse/internal/directory"
	"github.com/gatehouse/gatehouse/internal/pgtest"
)

// TestUserCountsNeitherConflictNorPileUp creates users from many
// connections at once with row_counts analyzed, as autovacuum leaves it:
// the planner then scans the small table instead of using an index, and a
// counter that creates read and update in their SERIALIZABLE transactions
// conflicted on that scan's predicate lock, so that most creates were
// retried (63,735 serialization failures in one benchmark run). Then it
// waits for the appended changes to be folded, and checks the total.
func TestUserCountsNeitherConflictNorPileUp(t *testing.T) {
	dsn := pgtest.DSN(t)
	if strings.Contains(dsn, "?") {
		dsn += "&pool_max_conns=16"
	} else {
		dsn += "?pool_max_conns=16"
	}
	s, err := Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if _, err := s.pool.Exec(ctx, "ANALYZE row_counts"); err != nil {
		t.Fatal(err)
	}
	const writers, each = 16, 25
	var runs atomic.Int64
	var wg sync.WaitGroup
	for w := range writers {
		wg.Go(func() {
			for i := range each {
				err := s.Write(ctx, func(tx directory.Tx) error {
					runs.Add(1)
					u := directory.User{Username: fmt.Sprintf("counted%d-%d", w, i), Source: directory.SourceLocal,
						SecurityProviderID: directory.LocalProviderID, Locale: directory.DefaultLocale, Access: directory.DefaultAccess()}
					if err := tx.CreateUser(ctx, &u); err != nil {
						return err
					}
					time.Sleep(time.Millisecond) // so that the transactions overlap
					return nil
				})
				if err != nil {
					t.Error(err)
					return
				}
			}
		})
	}
	wg.Wait()
	if n := runs.Load(); n > writers*each*11/10 {
		t.Errorf("%d creates ran %d times: more than 10%% were retried after conflicts", writers*each, n)
	}
	deadline := time.Now().Add(5 * time.Second)
	for {
		var rows int
		if err := s.pool.QueryRow(ctx, "SELECT count(*) FROM row_counts").Scan(&rows); err != nil {
			t.Fatal(err)
		}
		if rows <= 64 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("row_counts still holds %d rows", rows)
		}
		time.Sleep(50 * time.Millisecond)
	}
	page, err := s.Users(ctx, directory.Query{})
	if err != nil {
		t.Fatal(err)
	}
	if page.Total != writers*each {
		t.Errorf("users total %d, want %d", page.Total, writers*each)
	}
}
