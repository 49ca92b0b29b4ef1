package console_test

import (
	"context"
	"fmt"
	"net/http"
	"testing"

	"github.com/gatehouse/gatehouse/internal/store/storetest"
	"github.com/gatehouse/gatehouse/internal/testserver"
)

// BenchmarkUsersPages times the users table over HTTP on a seeded
// directory (GATEHOUSE_BENCH_USERS, 10,000 unless set; a million takes a
// while to seed): the first page, deep ones, the last, the searches, and
// the overview. GATEHOUSE_TEST_STORE=postgres runs it on PostgreSQL.
//
//	GATEHOUSE_BENCH_USERS=1000000 go test -run '^$' -bench UsersPages ./internal/console
func BenchmarkUsersPages(b *testing.B) {
	n := storetest.BenchUsers(b)
	srv := testserver.New(b)
	if err := storetest.SeedUsers(context.Background(), srv.Store(), n); err != nil {
		b.Fatal(err)
	}
	newAdmin(b, srv, "root", false)
	br := newBrowser(b, srv)
	br.signIn("root", adminPassword)
	last := (n+1+49)/50 - 1
	for _, c := range []struct{ name, path string }{
		{"first", "/console/users"},
		{"second", "/console/users?page=2"},
		{"middle", fmt.Sprintf("/console/users?page=%d", last/2)},
		{"last", fmt.Sprintf("/console/users?page=%d", last)},
		{"username", fmt.Sprintf("/console/users?username=user%07d", n/2)},
		{"email", fmt.Sprintf("/console/users?email=user%d@example.com", n/3)},
		{"enabled", "/console/users?status=enabled&page=2"},
		{"overview", "/console/"},
	} {
		b.Run(c.name, func(b *testing.B) {
			for b.Loop() {
				if p := br.get(c.path); p.Status != http.StatusOK {
					b.Fatalf("%s: %d", c.path, p.Status)
				}
			}
		})
	}
}
