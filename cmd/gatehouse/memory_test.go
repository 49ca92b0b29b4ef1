package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
)

// ephemeralDirs lists the directories the memory databases of the process
// with pid live in.
func ephemeralDirs(t *testing.T, pid int) []string {
	t.Helper()
	var dirs []string
	for _, base := range []string{"/dev/shm", os.TempDir()} {
		found, err := filepath.Glob(filepath.Join(base, "gatehouse-memory-"+strconv.Itoa(pid)+"-*"))
		if err != nil {
			t.Fatal(err)
		}
		dirs = append(dirs, found...)
	}
	return dirs
}

// `serve --db memory` serves a whole directory, starting empty each time,
// and leaves nothing behind when it exits.
func TestServeMemory(t *testing.T) {
	p := start(t, "memory")
	id, secret := p.credentials(t)
	tok := token(t, p.url, id, secret)
	if code, body := call(t, "POST", p.url+"/api/config/v1/user", tok, `{"username":"eph","public_display_name":"Eph","password":"a-long-password-1234"}`); code != 201 {
		t.Fatalf("create a user: %d %s", code, body)
	}
	if code, body := call(t, "GET", p.url+"/api/config/v1/user?username=eph", tok, ""); code != 200 || !strings.Contains(string(body), `"eph"`) {
		t.Fatalf("read it back: %d %s", code, body)
	}
	pid := p.cmd.Process.Pid
	if len(ephemeralDirs(t, pid)) != 1 {
		t.Fatalf("want one ephemeral database directory for pid %d", pid)
	}
	if err := p.stop(t, syscall.SIGTERM); err != nil {
		t.Fatalf("SIGTERM: %v", err)
	}
	if left := ephemeralDirs(t, pid); len(left) != 0 {
		t.Fatalf("left behind after exit: %v", left)
	}
	// A new start is a new, empty directory: it bootstraps again.
	p = start(t, "memory")
	if newID, _ := p.credentials(t); newID == id {
		t.Fatal("the second start saw the first one's account")
	}
	if err := p.stop(t, syscall.SIGTERM); err != nil {
		t.Fatalf("SIGTERM: %v", err)
	}
}

// A server killed before it could clean up leaves its database; the next
// ephemeral start removes it.
func TestServeMemoryRemovesOrphans(t *testing.T) {
	p := start(t, "memory")
	pid := p.cmd.Process.Pid
	if err := p.stop(t, syscall.SIGKILL); err == nil {
		t.Fatal("SIGKILL: want a killed process")
	}
	if len(ephemeralDirs(t, pid)) != 1 {
		t.Fatalf("want the killed server's database left behind")
	}
	p = start(t, "memory")
	if left := ephemeralDirs(t, pid); len(left) != 0 {
		t.Fatalf("orphan not removed: %v", left)
	}
	if err := p.stop(t, syscall.SIGTERM); err != nil { // leaves nothing behind
		t.Fatalf("SIGTERM: %v", err)
	}
}

// Commands beside the server cannot reach its ephemeral database; they say
// so rather than working on an empty one that vanishes.
func TestMemoryOnlyForServe(t *testing.T) {
	for _, args := range [][]string{
		{"migrate", "--db", "memory"},
		{"api-account", "list", "--db", "memory"},
		{"export", "--db", "memory"},
		{"backup", "--db", "memory", filepath.Join(t.TempDir(), "b.db")},
	} {
		out, err := gatehouse(t, args...)
		var exit *exec.ExitError
		if err == nil || !asExit(err, &exit) || exit.ExitCode() != 2 || !strings.Contains(out, "ephemeral") {
			t.Errorf("gatehouse %q: %v, want exit status 2 naming the ephemeral database\n%s", args, err, out)
		}
	}
}
