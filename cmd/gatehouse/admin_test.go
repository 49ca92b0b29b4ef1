package main

import (
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/gatehouse/gatehouse/internal/directory"
	"github.com/gatehouse/gatehouse/internal/store"
)

var adminPassword = regexp.MustCompile(`(?m)^  password: (\S+)$`)

// waitFor waits for want on the process's stdout, which is copied apart
// from the stderr that said it listens.
func (p *proc) waitFor(t *testing.T, want string) string {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !strings.Contains(p.output(), want) && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	out := p.output()
	if !strings.Contains(out, want) {
		t.Fatalf("no %q in %q", want, out)
	}
	return out
}

// verifyPassword checks, in the stopped server's database, that the user's
// password is password.
func verifyPassword(t *testing.T, db string, id int64, password string) {
	t.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	u, err := st.User(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if ok, err := directory.NewHasher(directory.DefaultArgon2).Verify(ctx, u.PasswordHash, password); err != nil || !ok {
		t.Fatalf("user %d's password is not the one shown (%v)", id, err)
	}
}

// A fresh server has its administrator as user 1, as an appliance does,
// before any API client creates a user; its password is printed once.
func TestFirstStartCreatesTheAdministratorAsUser1(t *testing.T) {
	db := dsnFor(t)
	p := start(t, db)
	id, secret := p.credentials(t)
	m := adminPassword.FindStringSubmatch(p.waitFor(t, `Created the administrator "admin" (user 1).`))
	if m == nil {
		t.Fatalf("no password printed: %q", p.output())
	}
	tok := token(t, p.url, id, secret)
	code, body := call(t, "GET", p.url+"/api/config/v1/user/1", tok, "")
	var admin map[string]any
	if err := json.Unmarshal(body, &admin); code != 200 || err != nil || admin["username"] != "admin" || admin["perm_admin"] != true {
		t.Fatalf("GET /user/1: %d %s", code, body)
	}
	if code, body := call(t, "PATCH", p.url+"/api/config/v1/user/1", tok, `{"enabled":false}`); code != 422 ||
		!strings.Contains(string(body), `"This API cannot update administrators."`) {
		t.Fatalf("PATCH the administrator: %d %s", code, body)
	}
	if code, body := call(t, "POST", p.url+"/api/config/v1/user", tok, `{"username":"first","public_display_name":"First"}`); code != 201 ||
		!strings.Contains(string(body), `"id":2,`) {
		t.Fatalf("the first user an API creates: %d %s, want user 2", code, body)
	}
	if err := p.stop(t, syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	p = start(t, db)
	if out := p.output(); strings.Contains(out, "administrator") {
		t.Fatalf("a second start created an administrator again: %q", out)
	}
	if err := p.stop(t, syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	verifyPassword(t, db, 1, m[1])
}

// GATEHOUSE_ADMIN_USERNAME and GATEHOUSE_ADMIN_PASSWORD (environment only,
// never in ps) fix the administrator; the password is then not printed.
func TestAdministratorFromTheEnvironment(t *testing.T) {
	const password = "a fixed administrator password"
	t.Setenv("GATEHOUSE_ADMIN_USERNAME", "root")
	t.Setenv("GATEHOUSE_ADMIN_PASSWORD", password)
	db := dsnFor(t)
	p := start(t, db)
	id, secret := p.credentials(t)
	if out := p.waitFor(t, `Created the administrator "root" (user 1) with the password in GATEHOUSE_ADMIN_PASSWORD.`); strings.Contains(out, password) {
		t.Fatalf("the fixed password was printed: %q", out)
	}
	if code, body := call(t, "GET", p.url+"/api/config/v1/user/1", token(t, p.url, id, secret), ""); code != 200 ||
		!strings.Contains(string(body), `"username":"root"`) {
		t.Fatalf("GET /user/1: %d %s", code, body)
	}
	if err := p.stop(t, syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	verifyPassword(t, db, 1, password)
}

// A fixed password the directory's rules refuse stops the first start,
// before it serves, naming what is wrong.
func TestAdministratorPasswordRefused(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, binary, "serve", "--addr", "127.0.0.1:0", "--db", dsnFor(t))
	cmd.Env = append(os.Environ(), "GATEHOUSE_ADMIN_PASSWORD=short")
	out, err := cmd.CombinedOutput()
	if err == nil || ctx.Err() != nil || !strings.Contains(string(out), "bootstrap administrator") ||
		!strings.Contains(string(out), "password") || strings.Contains(string(out), "short") {
		t.Fatalf("serve with a short administrator password: %v\n%s", err, out)
	}
}

// The administrator is user 1 even when serve --fixtures brings users of
// its own: it is created before them.
func TestAdministratorBeforeFixtures(t *testing.T) {
	p := start(t, dsnFor(t), "--fixtures", exampleFixtures)
	id, secret := p.credentials(t)
	p.waitFor(t, `Created the administrator "admin" (user 1).`)
	code, body := call(t, "GET", p.url+"/api/config/v1/user?per_page=5", token(t, p.url, id, secret), "")
	if code != 200 || !strings.HasPrefix(string(body), `[{"id":1,"security_provider_id":1,"username":"admin",`) {
		t.Fatalf("GET /user: %d %.200s", code, body)
	}
}
