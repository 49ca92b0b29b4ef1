package main

import (
	"database/sql"
	"fmt"
	"io/fs"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// A backup taken from a live SQLite database while clients write holds
// every write acknowledged before it began; restore refuses the database
// while the server holds it, and, with the server stopped, brings the
// backup back: it opens, passes integrity_check, and serves those writes.
func TestBackupWhileServingAndRestore(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "data", "gatehouse.db")
	const id, secret = "backup", "backup-secret-0123456789abcdef0123456789abcdef"
	creds := []string{"--bootstrap-client-id=" + id, "--bootstrap-client-secret=" + secret}
	p := start(t, db, creds...)
	tok := token(t, p.url, id, secret)

	var mu sync.Mutex
	var acked []string
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for w := range 4 {
		wg.Go(func() {
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				name := fmt.Sprintf("b-w%d-%d", w, i)
				if code, body := call(t, "POST", p.url+"/api/config/v1/user", tok,
					`{"username":"`+name+`","public_display_name":"Backup"}`); code != http.StatusCreated {
					t.Errorf("create %s: %d %s", name, code, body)
					return
				}
				mu.Lock()
				acked = append(acked, name)
				mu.Unlock()
			}
		})
	}
	time.Sleep(300 * time.Millisecond)
	mu.Lock()
	before := append([]string(nil), acked...)
	mu.Unlock()
	backup := filepath.Join(dir, "backups", "gatehouse.backup")
	if err := os.Mkdir(filepath.Dir(backup), 0o700); err != nil {
		t.Fatal(err)
	}
	out, err := gatehouse(t, "backup", "--db", db, backup)
	if err != nil {
		t.Fatalf("backup under writes: %v\n%s", err, out)
	}
	time.Sleep(100 * time.Millisecond) // writes go on after the backup
	out, err = gatehouse(t, "restore", backup, "--db", db)
	if err == nil || !strings.Contains(out, "in use") {
		t.Fatalf("restore over the running server's database: %v\n%s", err, out)
	}
	close(stop)
	wg.Wait()
	if len(before) == 0 {
		t.Fatal("no write was acknowledged before the backup")
	}
	wantFileMode(t, backup, 0o600)

	restored := filepath.Join(dir, "restored", "gatehouse.db")
	if out, err := gatehouse(t, "restore", backup, "--db", restored); err != nil {
		t.Fatalf("restore into a new file: %v\n%s", err, out)
	}
	wantFileMode(t, restored, 0o600)
	wantFileMode(t, filepath.Dir(restored), fs.ModeDir|0o700)
	integrityOK(t, restored)
	q := start(t, restored, creds...)
	qtok := token(t, q.url, id, secret)
	for _, name := range before {
		if code, body := call(t, "GET", q.url+"/api/config/v1/user?username="+name, qtok, ""); code != 200 ||
			!strings.Contains(string(body), `"`+name+`"`) {
			t.Fatalf("user %s, acknowledged before the backup, missing from the restored database: %d %s", name, code, body)
		}
	}
	t.Logf("%d users acknowledged before the backup, %d by the end, all of the first in the restore", len(before), len(acked))

	// Stop, restore, start: the procedure docs/deploy.md gives.
	if err := p.stop(t, syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	if out, err := gatehouse(t, "restore", backup, "--db", db); err != nil {
		t.Fatalf("restore over the stopped server's database: %v\n%s", err, out)
	}
	integrityOK(t, db)
	p = start(t, db, creds...)
	tok = token(t, p.url, id, secret)
	code, body := call(t, "GET", p.url+"/api/config/v1/user?username="+acked[len(acked)-1], tok, "")
	if code != 200 || strings.Contains(string(body), acked[len(acked)-1]) {
		t.Fatalf("the last user, created after the backup, after restoring it: %d %s", code, body)
	}
}

func TestBackupCommandLine(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "gatehouse.db")
	if out, err := gatehouse(t, "migrate", "--db", db); err != nil {
		t.Fatalf("migrate: %v\n%s", err, out)
	}
	notDB := filepath.Join(dir, "notes.txt")
	if err := os.WriteFile(notDB, []byte("not a database\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		args []string
		exit int
		want string
	}{
		{[]string{"backup", "--db", db}, 2, "want one file name"},
		{[]string{"backup", "--db", db, "a", "b"}, 2, "want one file name"},
		{[]string{"backup", "--no-such-flag", "x"}, 2, "no-such-flag"},
		{[]string{"restore", "--db", db}, 2, "want one file name"},
		{[]string{"backup", "--db", "postgres://gatehouse@localhost/gatehouse", filepath.Join(dir, "b")}, 1, "pg_dump"},
		{[]string{"restore", filepath.Join(dir, "b"), "--db", "postgres://gatehouse@localhost/gatehouse"}, 1, "pg_dump"},
		{[]string{"backup", "--db", filepath.Join(dir, "missing.db"), filepath.Join(dir, "b")}, 1, "no such file"},
		{[]string{"restore", notDB, "--db", db}, 1, "not a SQLite database"},
		{[]string{"restore", db, "--db", db}, 1, "the database itself"},
	} {
		out, err := gatehouse(t, c.args...)
		var exit *exec.ExitError
		if !asExit(err, &exit) || exit.ExitCode() != c.exit || !strings.Contains(out, c.want) {
			t.Errorf("gatehouse %q: %v, want exit status %d and %q\n%s", c.args, err, c.exit, c.want, out)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "missing.db")); err == nil {
		t.Error("backing up a missing database created it")
	}
}

// A new data directory, its database with WAL and shared memory, and the
// self-signed TLS key are the owner's alone.
func TestDataFilesArePrivate(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data")
	db := filepath.Join(dir, "gatehouse.db")
	start(t, db, "--tls-self-signed")
	wantFileMode(t, dir, fs.ModeDir|0o700)
	for _, f := range []string{db, db + "-wal", db + "-shm", filepath.Join(dir, "tls", "self-signed.key")} {
		wantFileMode(t, f, 0o600)
	}
	wantFileMode(t, filepath.Join(dir, "tls"), fs.ModeDir|0o700)
}

// A key file left with a wide mode (say, by a copy) is replaced by a
// private one when the certificate beside it is missing.
func TestSelfSignedKeyIsRewrittenPrivate(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data")
	key := filepath.Join(dir, "tls", "self-signed.key")
	if err := os.MkdirAll(filepath.Dir(key), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(key, []byte("stale"), 0o644); err != nil {
		t.Fatal(err)
	}
	start(t, filepath.Join(dir, "gatehouse.db"), "--tls-self-signed")
	wantFileMode(t, key, 0o600)
}

func wantFileMode(t *testing.T, path string, want fs.FileMode) {
	t.Helper()
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode() != want {
		t.Errorf("%s: mode %v, want %v", path, fi.Mode(), want)
	}
}

func integrityOK(t *testing.T, path string) {
	t.Helper()
	conn, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	var result string
	if err := conn.QueryRow("PRAGMA integrity_check").Scan(&result); err != nil || result != "ok" {
		t.Fatalf("integrity_check of %s: %q %v", path, result, err)
	}
}
