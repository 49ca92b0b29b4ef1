package server_test

import (
	"context"
	"net/http"
	"sync"
	"testing"

	"github.com/gatehouse/gatehouse/internal/auth"
	"github.com/gatehouse/gatehouse/internal/directory"
	"github.com/gatehouse/gatehouse/internal/testserver"
)

// TestConcurrentFirstStartsCreateOneAdministrator starts several instances
// at once on one empty database: exactly one creates the administrator
// and shows its password, the others continue, and the administrator is
// user 1 with perm_admin, as the PRA face shows it on every instance.
func TestConcurrentFirstStartsCreateOneAdministrator(t *testing.T) {
	const starts = 6
	dsn := testserver.DSN(t)
	var (
		wg        sync.WaitGroup
		mu        sync.Mutex
		instances []*instance
		passwords []string
	)
	for range starts {
		wg.Go(func() {
			inst := startInstance(t, dsn, auth.Config{}, "racer")
			if inst == nil {
				return
			}
			// As serve does: the API account first, then the administrator.
			if _, _, err := inst.srv.Directory().Bootstrap(context.Background(), testserver.AdminClientID, testserver.AdminSecret); err != nil {
				t.Errorf("bootstrap: %v", err)
				return
			}
			u, password, err := inst.srv.Directory().BootstrapAdmin(context.Background(), "", "")
			mu.Lock()
			defer mu.Unlock()
			switch {
			case err != nil:
				t.Errorf("bootstrap administrator: %v", err)
				return
			case password != "" && (u.ID != 1 || !u.Admin || u.Username != directory.AdminName):
				t.Errorf("created %+v, want administrator %q as user 1", u, directory.AdminName)
			case password == "" && u.ID != 0:
				t.Errorf("created user %d without a password to show", u.ID)
			}
			instances = append(instances, inst)
			if password != "" {
				passwords = append(passwords, password)
			}
		})
	}
	wg.Wait()
	if t.Failed() {
		t.FailNow()
	}
	if len(passwords) != 1 {
		t.Fatalf("%d of %d concurrent first starts showed a password, want exactly 1", len(passwords), starts)
	}
	users, err := instances[0].srv.Directory().Users(context.Background(), directory.Query{Limit: 10})
	if err != nil {
		t.Fatal(err)
	}
	if users.Total != 1 || users.Items[0].ID != 1 || !users.Items[0].Admin {
		t.Fatalf("users after %d concurrent first starts: %+v, want one administrator, user 1", starts, users.Items)
	}
	if ok, err := directory.NewHasher(directory.DefaultArgon2).Verify(context.Background(), users.Items[0].PasswordHash, passwords[0]); err != nil || !ok {
		t.Fatalf("the password shown does not verify: %v", err)
	}
	for _, inst := range instances {
		tok := inst.token(t, testserver.AdminClientID, testserver.AdminSecret)
		resp := inst.do(t, http.MethodGet, "/api/config/v1/user/1", tok, "")
		got := resp.Object(t)
		if resp.Status != http.StatusOK || got["username"] != directory.AdminName || got["perm_admin"] != true ||
			got["perm_access_allowed"] != "full_support" {
			t.Fatalf("GET /user/1: %d %s", resp.Status, resp.Body)
		}
	}
}

// TestBootstrapAdminLeavesAPopulatedDirectory: a directory with any user
// (a restart, or one created before this release) gets no administrator,
// and a fixed username and password are taken as given.
func TestBootstrapAdminLeavesAPopulatedDirectory(t *testing.T) {
	s := testserver.New(t)
	ctx := context.Background()
	u, password, err := s.Service().BootstrapAdmin(ctx, "root", "a fixed password 0123")
	if err != nil || password != "" || u.ID != 1 || u.Username != "root" || !u.Admin {
		t.Fatalf("fixed administrator: %+v, password %q, %v", u, password, err)
	}
	if u, password, err := s.Service().BootstrapAdmin(ctx, "", ""); err != nil || password != "" || u.ID != 0 {
		t.Fatalf("second start: %+v, password %q, %v", u, password, err)
	}
	if _, _, err := s.Service().BootstrapAdmin(ctx, "", "short"); err != nil {
		t.Fatalf("a populated directory checks no password: %v", err)
	}
	empty := testserver.New(t)
	_, _, err = empty.Service().BootstrapAdmin(ctx, "", "short")
	if de, ok := directory.AsError(err); !ok || de.Kind != directory.KindInvalid || de.Fields[directory.FieldPassword] == nil {
		t.Fatalf("a too-short fixed password: %v, want a password problem", err)
	}
}
