package postgres

import (
	"os"
	"testing"

	"github.com/gatehouse/gatehouse/internal/pgtest"
	"github.com/gatehouse/gatehouse/internal/store/storetest"
)

// BenchmarkSeeded runs storetest.Bench on GATEHOUSE_BENCH_USERS users
// (10,000 by default) in a throwaway database, or in the database that
// GATEHOUSE_BENCH_DSN names, seeding it only the first time.
func BenchmarkSeeded(b *testing.B) {
	n := storetest.BenchUsers(b)
	dsn := os.Getenv("GATEHOUSE_BENCH_DSN")
	if dsn == "" {
		dsn = pgtest.DSN(b)
	}
	s, err := Open(ctx, dsn)
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	if err := storetest.SeedUsers(ctx, s, n); err != nil {
		b.Fatal(err)
	}
	// What autovacuum does in time after a bulk import: the visibility map
	// lets count(*) and the id walks of deep pages scan users_pkey alone.
	if _, err := s.pool.Exec(ctx, "VACUUM ANALYZE users"); err != nil {
		b.Fatal(err)
	}
	storetest.Bench(b, s, n)
}
