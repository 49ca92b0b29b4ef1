package sqlite

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/gatehouse/gatehouse/internal/directory"
	"github.com/gatehouse/gatehouse/internal/store/storetest"
)

// benchStore returns a store holding n users.
func benchStore(b *testing.B, n int) (*Store, []int64) {
	s, err := Open(ctx, filepath.Join(b.TempDir(), "bench.db"))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.Close() })
	ids := make([]int64, 0, n)
	err = s.Write(ctx, func(tx directory.Tx) error {
		for i := range n {
			u := directory.User{Username: fmt.Sprintf("user%06d", i), Email: fmt.Sprintf("user%d@example.com", i),
				Enabled: true, Source: directory.SourceLocal, SecurityProviderID: directory.LocalProviderID,
				Locale: directory.DefaultLocale, Access: directory.DefaultAccess()}
			if err := tx.CreateUser(ctx, &u); err != nil {
				return err
			}
			ids = append(ids, u.ID)
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	return s, ids
}

func BenchmarkUserByID(b *testing.B) {
	s, ids := benchStore(b, 10000)
	b.ReportAllocs()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		i := 0
		for pb.Next() {
			if _, err := s.User(ctx, ids[i%len(ids)]); err != nil {
				b.Error(err)
				return
			}
			i += 7919
		}
	})
}

func BenchmarkUsersPage(b *testing.B) {
	s, _ := benchStore(b, 10000)
	q := directory.Query{Filter: directory.Compare{Attr: directory.UserUsername, Op: directory.OpSw, Value: "user00"},
		Sort: []directory.SortKey{{Attr: directory.UserUsername}}, Limit: 50}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := s.Users(ctx, q); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkSeeded runs storetest.Bench on GATEHOUSE_BENCH_USERS users
// (10,000 by default). GATEHOUSE_BENCH_DB names a database file to keep
// between runs, seeding it only the first time, so that a million users
// are imported once:
//
//	GATEHOUSE_BENCH_USERS=1000000 GATEHOUSE_BENCH_DB=/tmp/bench1m.db \
//		go test -run '^$' -bench Seeded ./internal/store/sqlite
func BenchmarkSeeded(b *testing.B) {
	n := storetest.BenchUsers(b)
	path := os.Getenv("GATEHOUSE_BENCH_DB")
	if path == "" {
		path = filepath.Join(b.TempDir(), "bench.db")
	}
	s, err := Open(ctx, path)
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	if err := storetest.SeedUsers(ctx, s, n); err != nil {
		b.Fatal(err)
	}
	storetest.Bench(b, s, n)
}
