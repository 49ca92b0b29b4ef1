package console_test

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/gatehouse/gatehouse/internal/store/storetest"
	"github.com/gatehouse/gatehouse/internal/testserver"
)

// TestUsersPagesAtScale times the users table on a large directory: the
// first page, a deep one, the last, and the searches. It runs only with
// GATEHOUSE_CONSOLE_USERS set, as seeding a million users takes a while:
//
//	GATEHOUSE_CONSOLE_USERS=1000000 go test -run TestUsersPagesAtScale -v ./internal/console
func TestUsersPagesAtScale(t *testing.T) {
	n, _ := strconv.Atoi(os.Getenv("GATEHOUSE_CONSOLE_USERS"))
	if n < 1 {
		t.Skip("set GATEHOUSE_CONSOLE_USERS to the number of users to time the users pages at")
	}
	srv := testserver.New(t)
	if err := storetest.SeedUsers(context.Background(), srv.Store(), n); err != nil {
		t.Fatal(err)
	}
	newAdmin(t, srv, "root", false)
	b := newBrowser(t, srv)
	b.signIn("root", adminPassword)
	last := (n+1+49)/50 - 1
	for _, path := range []string{
		"/console/users",
		"/console/users?page=2",
		fmt.Sprintf("/console/users?page=%d", last/2),
		fmt.Sprintf("/console/users?page=%d", last),
		fmt.Sprintf("/console/users?username=user%07d", n/2),
		fmt.Sprintf("/console/users?email=user%d@example.com", n/3),
		"/console/users?status=enabled&page=2",
		"/console/",
	} {
		best := time.Hour
		for range 3 {
			start := time.Now()
			p := b.get(path)
			best = min(best, time.Since(start))
			wantStatus(t, path, p, http.StatusOK)
		}
		t.Logf("%-50s %v", path, best.Round(100*time.Microsecond))
		if best > time.Second {
			t.Errorf("%s took %v at %d users", path, best, n)
		}
	}
}
