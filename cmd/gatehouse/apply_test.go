package main

import (
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

const exampleFixtures = "../../examples/ci-fixtures.yaml"

// gatehouse apply converges the database on the example CI directory, and
// a second run writes nothing; the server then accepts its credentials.
func TestApplyCommandAppliesTheExampleTwice(t *testing.T) {
	db := dsnFor(t)
	out, err := gatehouse(t, "apply", "-f", exampleFixtures, "--db", db)
	if err != nil || out != "Applied "+exampleFixtures+": 62 created, 0 updated, 0 unchanged.\n" {
		t.Fatalf("first apply: %v\n%s", err, out)
	}
	out, err = gatehouse(t, "apply", "-f", exampleFixtures, "--db", db)
	if err != nil || out != "Applied "+exampleFixtures+": 0 created, 0 updated, 62 unchanged.\n" {
		t.Fatalf("second apply: %v\n%s", err, out)
	}
	p := start(t, db)
	tok := token(t, p.url, "ci-admin", "ci-admin-secret-change-me-0123456789abcdef")
	if code, body := call(t, "GET", p.url+"/api/config/v1/user?username=ci-root", tok, ""); code != http.StatusOK ||
		!strings.Contains(string(body), `"perm_admin":true`) {
		t.Fatalf("GET the fixtures' administrator: %d %s", code, body)
	}
}

// A bad file is one error naming its line and field, with exit status 1;
// a command line without a file is a usage error.
func TestApplyCommandMistakes(t *testing.T) {
	db := dsnFor(t)
	bad := filepath.Join(t.TempDir(), "bad.yaml")
	if err := os.WriteFile(bad, []byte("users:\n  - username: ok\n  - username: x\n    email_address: nowhere\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		args []string
		exit int
		out  string
	}{
		{[]string{"apply", "-f", bad, "--db", db}, 1,
			"gatehouse apply: " + bad + ":4:5: users[1].email_address: must be a valid email address\n"},
		{[]string{"apply", "-f", filepath.Join(t.TempDir(), "missing.yaml"), "--db", db}, 1, ""},
		{[]string{"apply", "--db", db}, 2, "gatehouse apply: -f is required\n"},
		{[]string{"apply", "-f", bad, "extra"}, 2, ""},
	} {
		out, err := gatehouse(t, c.args...)
		var exit *exec.ExitError
		if err == nil || !asExit(err, &exit) || exit.ExitCode() != c.exit || c.out != "" && out != c.out {
			t.Errorf("gatehouse %q: %v\n%s\nwant exit status %d and %q", c.args, err, out, c.exit, c.out)
		}
	}
	// The bad file's valid first entry was not applied.
	out, err := gatehouse(t, "user", "list", "--db", db)
	if err != nil || strings.Contains(out, "ok") {
		t.Fatalf("user list after a bad file: %v\n%s", err, out)
	}
}

// serve --fixtures applies the file before it serves: its credentials
// work from the first request, and a restart with it changes nothing.
func TestServeAppliesFixtures(t *testing.T) {
	db := dsnFor(t)
	p := start(t, db, "--fixtures", exampleFixtures)
	token(t, p.url, "ci-scim-okta", "ci-scim-okta-secret-0123456789abcdef")
	if err := p.stop(t, syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	p = start(t, db, "--fixtures", exampleFixtures)
	if err := p.stop(t, syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	out, err := gatehouse(t, "apply", "-f", exampleFixtures, "--db", db)
	if err != nil || !strings.Contains(out, ": 0 created, 0 updated, 62 unchanged.") {
		t.Fatalf("apply after serve --fixtures: %v\n%s", err, out)
	}

	// A bad file stops the start, and names its line.
	bad := filepath.Join(t.TempDir(), "bad.yaml")
	if err := os.WriteFile(bad, []byte("teams:\n  - name: t\n    users: [{username: nobody}]\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(binary, "serve", "--addr", "127.0.0.1:0", "--db", db, "--fixtures", bad)
	outb, err := cmd.CombinedOutput()
	want := bad + `:3:14: teams[0].users[0].username: names the user "nobody", which neither this file nor the directory has`
	if err == nil || !strings.Contains(string(outb), want) {
		t.Fatalf("serve with a bad fixtures file: %v\n%s", err, outb)
	}
}
