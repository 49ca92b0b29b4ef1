package storetest

import (
	"context"
	"fmt"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gatehouse/gatehouse/internal/directory"
)

// BenchUsers is how many users the store benchmarks seed: the
// GATEHOUSE_BENCH_USERS environment variable, or 10,000.
func BenchUsers(b *testing.B) int {
	v := os.Getenv("GATEHOUSE_BENCH_USERS")
	if v == "" {
		return 10000
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 {
		b.Fatalf("GATEHOUSE_BENCH_USERS=%q: want a positive number", v)
	}
	return n
}

// benchUser is the i-th seeded user (ids from 1): a typical local user.
func benchUser(i int, at time.Time) directory.User {
	return directory.User{ID: int64(i), Username: fmt.Sprintf("user%07d", i),
		FirstName: "First", LastName: fmt.Sprintf("Last%d", i), DisplayName: fmt.Sprintf("User %d", i),
		Email: fmt.Sprintf("user%d@example.com", i), Enabled: true, Source: directory.SourceLocal,
		SecurityProviderID: directory.LocalProviderID, Locale: directory.DefaultLocale,
		Access: directory.DefaultAccess(), CreatedAt: at, UpdatedAt: at, Version: 1}
}

// SeedUsers makes s hold users 1..n, user%07d each, importing the missing
// ones in bulk. It expects s to hold either no users or ones it seeded.
func SeedUsers(ctx context.Context, s directory.Store, n int) error {
	tr, ok := s.(directory.Transfer)
	if !ok {
		return fmt.Errorf("storetest: %T cannot import", s)
	}
	page, err := s.Users(ctx, directory.Query{})
	if err != nil {
		return err
	}
	at := time.Now().UTC().Truncate(time.Microsecond)
	const chunk = 50000
	for from := page.Total + 1; from <= n; from += chunk {
		to := min(from+chunk-1, n)
		us := make([]directory.User, 0, to-from+1)
		for i := from; i <= to; i++ {
			us = append(us, benchUser(i, at))
		}
		err := tr.Import(ctx, func(tx directory.ImportTx) error {
			if err := tx.ImportUsers(ctx, us); err != nil {
				return err
			}
			return tx.SetIDMarks(ctx, directory.IDMarks{User: int64(to)})
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// Bench runs the store's read benchmarks on s, which holds n users seeded
// by SeedUsers: a point read by id, page 1 of 100, the last page of 100 by
// id (the deepest offset), a page of 100 sorted by username from the
// middle, and a username= filter.
func Bench(b *testing.B, s directory.Store, n int) {
	const limit = 100
	b.Run("UserByID", func(b *testing.B) {
		b.ReportAllocs()
		i := 0
		var took []time.Duration
		defer func() { reportP99(b, took) }()
		for b.Loop() {
			id := int64(i%n + 1)
			start := time.Now()
			if _, err := s.User(ctx, id); err != nil {
				b.Fatal(err)
			}
			took = append(took, time.Since(start))
			i += 7919
		}
	})
	page := func(name string, q directory.Query, first int) {
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			var took []time.Duration
			defer func() { reportP99(b, took) }()
			for b.Loop() {
				start := time.Now()
				p, err := s.Users(ctx, q)
				took = append(took, time.Since(start))
				if err != nil {
					b.Fatal(err)
				}
				if p.Total != n || len(p.Items) == 0 || p.Items[0].ID != int64(first) {
					b.Fatalf("page at %d: total %d, %d items, want total %d from id %d", q.Offset, p.Total, len(p.Items), n, first)
				}
			}
		})
	}
	page("Page1", directory.Query{Limit: limit}, 1)
	deep := max(n-limit, 0)
	page("DeepPage", directory.Query{Limit: limit, Offset: deep}, deep+1)
	mid := n / 2
	page("MidPage", directory.Query{Limit: limit, Offset: mid}, mid+1)
	byName := []directory.SortKey{{Attr: directory.UserUsername}}
	page("DeepPageByUsername", directory.Query{Limit: limit, Offset: deep, Sort: byName}, deep+1)
	b.Run("UsernameEq", func(b *testing.B) {
		b.ReportAllocs()
		i := 0
		for b.Loop() {
			want := i%n + 1
			q := directory.Query{Limit: limit, Filter: directory.Compare{Attr: directory.UserUsername,
				Op: directory.OpEq, Value: fmt.Sprintf("USER%07d", want)}}
			p, err := s.Users(ctx, q)
			if err != nil {
				b.Fatal(err)
			}
			if p.Total != 1 || p.Items[0].ID != int64(want) {
				b.Fatalf("username eq user%07d: %+v", want, p)
			}
			i += 7919
		}
	})
	b.Run("Mixed", func(b *testing.B) {
		// Parallel reads as a server makes them: mostly point reads, some
		// first and deep pages. The resident set after it, mapped file
		// pages included, is the rss-MB metric.
		var next atomic.Int64
		b.ReportAllocs()
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				i := int(next.Add(1))
				var err error
				switch i % 10 {
				case 0:
					_, err = s.Users(ctx, directory.Query{Limit: limit})
				case 5:
					_, err = s.Users(ctx, directory.Query{Limit: limit, Offset: deep})
				default:
					_, err = s.User(ctx, int64(i*7919%n+1))
				}
				if err != nil {
					b.Error(err)
					return
				}
			}
		})
		if rss, ok := residentMB(); ok {
			b.ReportMetric(rss, "rss-MB")
		}
	})
}

// reportP99 reports the 99th percentile of the calls' durations in ms.
func reportP99(b *testing.B, took []time.Duration) {
	if len(took) == 0 {
		return
	}
	slices.Sort(took)
	b.ReportMetric(float64(took[len(took)*99/100])/1e6, "p99-ms")
}

// residentMB is the process's resident set in MB as Linux reports it
// (VmRSS: anonymous memory and mapped file pages).
func residentMB() (float64, bool) {
	status, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0, false
	}
	for line := range strings.Lines(string(status)) {
		if rest, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			kb, err := strconv.Atoi(strings.TrimSuffix(strings.TrimSpace(rest), " kB"))
			return float64(kb) / 1024, err == nil
		}
	}
	return 0, false
}
