package main

import (
	"net/http"
	"os/exec"
	"regexp"
	"strings"
	"testing"
	"time"
)

// gatehouse runs one command to completion and returns its output.
func gatehouse(t *testing.T, args ...string) (string, error) {
	t.Helper()
	out, err := exec.Command(binary, args...).CombinedOutput()
	return string(out), err
}

// eventually retries check until it passes or a second has gone by: the
// bound within which another process's change must be seen.
func eventually(t *testing.T, what string, check func() bool) {
	t.Helper()
	deadline := time.Now().Add(time.Second)
	for !check() {
		if time.Now().After(deadline) {
			t.Fatalf("%s: not within one second", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// The CLI manages accounts in the database a running server uses, and the
// server sees rotation and disabling within a second.
func TestAPIAccountCommandsAgainstARunningServer(t *testing.T) {
	db := dsnFor(t)
	p := start(t, db)

	out, err := gatehouse(t, "api-account", "create", "--db", db, "--name", "reader", "--config", "read_only")
	if err != nil {
		t.Fatalf("create: %v\n%s", err, out)
	}
	id, secret := credentials(t, out)
	tok := token(t, p.url, id, secret)
	if code, _ := call(t, "GET", p.url+"/api/config/v1/user", tok, ""); code != http.StatusOK {
		t.Fatalf("read with a read_only account: %d", code)
	}
	if code, _ := call(t, "POST", p.url+"/api/config/v1/user", tok, `{"username":"x","public_display_name":"X"}`); code != http.StatusForbidden {
		t.Fatalf("write with a read_only account: %d, want 403", code)
	}

	out, err = gatehouse(t, "api-account", "list", "--db", db)
	if err != nil || !strings.Contains(out, "reader") || !strings.Contains(out, id) || strings.Contains(out, secret) {
		t.Fatalf("list: %v\n%s", err, out)
	}

	out, err = gatehouse(t, "api-account", "rotate-secret", "--db", db, "--client-id", id)
	if err != nil {
		t.Fatalf("rotate-secret: %v\n%s", err, out)
	}
	_, newSecret := credentials(t, out)
	eventually(t, "old token rejected after rotation", func() bool {
		code, _ := call(t, "GET", p.url+"/api/config/v1/user", tok, "")
		return code == http.StatusUnauthorized
	})
	tok = token(t, p.url, id, newSecret)

	if out, err := gatehouse(t, "api-account", "disable", "--db", db, "--client-id", id); err != nil {
		t.Fatalf("disable: %v\n%s", err, out)
	}
	eventually(t, "token rejected after disabling", func() bool {
		code, _ := call(t, "GET", p.url+"/api/config/v1/user", tok, "")
		return code == http.StatusUnauthorized
	})
}

func TestCommandLineMistakes(t *testing.T) {
	db := dsnFor(t)
	for _, args := range [][]string{
		{},
		{"nonsense"},
		{"serve", "--rate-limit", "-1", "--db", db},
		{"serve", "--tls-cert", "x.pem", "--db", db},
		{"serve", "extra-argument"},
		{"api-account"},
		{"api-account", "create", "--db", db},
		{"api-account", "create", "--db", db, "--name", "x", "--config", "everything"},
		{"api-account", "rotate-secret", "--db", db},
		{"api-account", "disable", "--db", db, "--id", "1", "--client-id", "y"},
	} {
		out, err := gatehouse(t, args...)
		var exit *exec.ExitError
		if err == nil || !asExit(err, &exit) || exit.ExitCode() != 2 {
			t.Errorf("gatehouse %q: %v, want exit status 2\n%s", args, err, out)
		}
	}
}

func asExit(err error, target **exec.ExitError) bool {
	e, ok := err.(*exec.ExitError)
	*target = e
	return ok
}

// Administrators are created only from the command line, and no API
// account, however privileged, can change or delete them.
func TestUserCommandCreatesAdministrators(t *testing.T) {
	db := dsnFor(t)
	cmd := exec.Command(binary, "user", "create", "--db", db, "--username", "root", "--admin", "--two-factor-required", "--password-stdin")
	cmd.Stdin = strings.NewReader("a long enough password\n")
	if out, err := cmd.CombinedOutput(); err != nil || !strings.Contains(string(out), "administrator: true") {
		t.Fatalf("user create: %v\n%s", err, out)
	}
	out, err := gatehouse(t, "user", "list", "--db", db)
	if err != nil || !strings.Contains(out, "root") {
		t.Fatalf("user list: %v\n%s", err, out)
	}
	p := start(t, db)
	id, secret := p.credentials(t)
	tok := token(t, p.url, id, secret)
	code, body := call(t, "GET", p.url+"/api/config/v1/user?username=root", tok, "")
	if code != http.StatusOK || !strings.Contains(string(body), `"perm_admin":true`) || !strings.Contains(string(body), `"two_factor_required":true`) {
		t.Fatalf("GET the administrator: %d %s", code, body)
	}
	uid := regexp.MustCompile(`"id":(\d+)`).FindStringSubmatch(string(body))[1]
	for _, method := range []string{"PATCH", "DELETE"} {
		if code, body := call(t, method, p.url+"/api/config/v1/user/"+uid, tok, `{"enabled":false}`); code != http.StatusUnprocessableEntity {
			t.Errorf("%s the administrator: %d %s, want 422", method, code, body)
		}
	}
	if out, err := gatehouse(t, "user", "create", "--db", db); err == nil {
		t.Errorf("user create without --username succeeded:\n%s", out)
	}
	if out, err := gatehouse(t, "user", "reset-second-factor", "--db", db, "--username", "root"); err != nil ||
		!strings.Contains(out, "the next console sign-in enrols a new one") {
		t.Errorf("user reset-second-factor: %v\n%s", err, out)
	}
	for _, args := range [][]string{{"--username", "nobody"}, {}} {
		if out, err := gatehouse(t, append([]string{"user", "reset-second-factor", "--db", db}, args...)...); err == nil {
			t.Errorf("user reset-second-factor %v succeeded:\n%s", args, out)
		}
	}
}
