package sqlite

import (
	"fmt"
	"path/filepath"
	"testing"

	"github.com/gatehouse/gatehouse/internal/directory"
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
