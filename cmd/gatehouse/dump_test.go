package main

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"syscall"
	"testing"

	"github.com/gatehouse/gatehouse/internal/pgtest"
)

// storeDSN returns a fresh database of one kind. PostgreSQL comes from
// pgtest, which skips the test with its reason when there is none.
func storeDSN(t *testing.T, kind string) string {
	if kind == "postgres" {
		return pgtest.DSN(t)
	}
	return filepath.Join(t.TempDir(), "gatehouse.db")
}

// A directory moves between the two stores, and back, with its ids: what
// the PRA API shows on the target is what it showed on the source.
func TestExportImportRoundTrip(t *testing.T) {
	for _, c := range []struct{ from, to string }{
		{"sqlite", "postgres"}, {"postgres", "sqlite"}, {"sqlite", "sqlite"},
	} {
		t.Run(c.from+" to "+c.to, func(t *testing.T) {
			t.Parallel()
			roundTrip(t, storeDSN(t, c.from), storeDSN(t, c.to))
		})
	}
}

func roundTrip(t *testing.T, src, dst string) {
	p := start(t, src)
	id, secret := p.credentials(t)
	tok := token(t, p.url, id, secret)
	deleted := populateOverAPI(t, p.url, tok)
	out, err := gatehouse(t, "api-account", "create", "--db", src, "--name", "extra", "--config", "read_only")
	if err != nil {
		t.Fatalf("api-account create: %v\n%s", err, out)
	}
	extraID, extraSecret := credentials(t, out)
	want := snapshot(t, p.url, tok)
	if err := p.stop(t, syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}

	file := filepath.Join(t.TempDir(), "dump.jsonl")
	if out, err := gatehouse(t, "export", "--db", src, "--out", file); err != nil {
		t.Fatalf("export: %v\n%s", err, out)
	}
	if fi, err := os.Stat(file); err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("dump file: %v %v, want mode 0600", fi, err)
	}
	out, err = gatehouse(t, "import", "--db", dst, "--in", file)
	if err != nil {
		t.Fatalf("import: %v\n%s", err, out)
	}
	for _, s := range []string{"users 4,", "api-account rotate-secret", "client_id " + extraID} {
		if !strings.Contains(out, s) {
			t.Errorf("import output lacks %q:\n%s", s, out)
		}
	}
	if strings.Contains(out, extraSecret) || strings.Contains(out, secret) {
		t.Fatalf("import printed a secret:\n%s", out)
	}

	// The imported bootstrap account needs a new secret to be used.
	out, err = gatehouse(t, "api-account", "rotate-secret", "--db", dst, "--client-id", id)
	if err != nil {
		t.Fatalf("rotate-secret: %v\n%s", err, out)
	}
	_, newSecret := credentials(t, out)
	q := start(t, dst)
	tok = token(t, q.url, id, newSecret)
	got := snapshot(t, q.url, tok)
	for _, k := range slices.Sorted(mapsKeys(want)) {
		if got[k] != want[k] {
			t.Errorf("GET %s after the move:\n got  %s\n want %s", k, got[k], want[k])
		}
	}
	if len(got) != len(want) {
		t.Errorf("%d lists after the move, want %d", len(got), len(want))
	}

	// Secrets do not move: the old ones are refused.
	for acct, old := range map[string]string{id: secret, extraID: extraSecret} {
		if code := tokenStatus(t, q.url, acct, old); code == http.StatusOK {
			t.Errorf("the old secret of %s still works", acct)
		}
	}
	// New rows get ids past every imported one, and past the user deleted
	// before the export.
	for path, body := range map[string]string{
		"/user":         `{"username":"newcomer","public_display_name":"New"}`,
		"/group-policy": `{"name":"New policy"}`,
		"/team":         `{"name":"New team"}`,
	} {
		code, resp := call(t, "POST", q.url+"/api/config/v1"+path, tok, body)
		if code != http.StatusCreated {
			t.Fatalf("POST %s: %d %s", path, code, resp)
		}
		newID := idOf(t, resp)
		highest := int64(0)
		if path == "/user" {
			highest = deleted
		}
		for _, old := range ids(t, want[path]) {
			highest = max(highest, old)
		}
		if newID <= highest {
			t.Errorf("POST %s got id %d, not past the imported %d", path, newID, highest)
		}
	}
}

// populateOverAPI creates users with and without passwords, group policies
// with members, teams with users, and deletes the newest user; it returns
// the deleted user's id.
func populateOverAPI(t *testing.T, base, tok string) int64 {
	t.Helper()
	post := func(path, body string) []byte {
		t.Helper()
		code, resp := call(t, "POST", base+"/api/config/v1"+path, tok, body)
		if code != http.StatusCreated {
			t.Fatalf("POST %s %s: %d %s", path, body, code, resp)
		}
		return resp
	}
	create := func(path, body string) int64 { return idOf(t, post(path, body)) }
	alice := create("/user", `{"username":"alice","public_display_name":"Alice","password":"correct horse battery staple","email_address":"alice@example.com","preferred_email_language":"fr-fr"}`)
	bob := create("/user", `{"username":"bob","public_display_name":"Bob","two_factor_required":true}`)
	carol := create("/user", `{"username":"carol","public_display_name":"Carol","enabled":false,"password_expiration":"2031-01-02T03:04:05+00:00"}`)
	gone := create("/user", `{"username":"gone","public_display_name":"Gone"}`)
	if code, resp := call(t, "DELETE", fmt.Sprintf("%s/api/config/v1/user/%d", base, gone), tok, ""); code != http.StatusNoContent {
		t.Fatalf("DELETE user: %d %s", code, resp)
	}
	admins := create("/group-policy", `{"name":"Admins","perm_access_allowed":true,"perm_collaborate":true}`)
	create("/group-policy", `{"name":"Nobody"}`)
	for _, u := range []int64{alice, bob} {
		post(fmt.Sprintf("/group-policy/%d/member", admins), fmt.Sprintf(`{"security_provider_id":1,"user_id":%d}`, u))
	}
	ops := create("/team", `{"name":"Ops","code_name":"ops","comments":"on call"}`)
	post(fmt.Sprintf("/team/%d/user", ops), fmt.Sprintf(`{"user_id":%d,"role":"lead"}`, alice))
	post(fmt.Sprintf("/team/%d/user", ops), fmt.Sprintf(`{"user_id":%d}`, carol))
	if code, resp := call(t, "POST", base+"/api/config/v1/user/provision", tok, ""); code >= 300 {
		t.Fatalf("provision: %d %s", code, resp)
	}
	return gone
}

// snapshot reads every list the PRA API has, by path.
func snapshot(t *testing.T, base, tok string) map[string]string {
	t.Helper()
	out := map[string]string{}
	get := func(path string) string {
		t.Helper()
		code, body := call(t, "GET", base+"/api/config/v1"+path+"?per_page=100", tok, "")
		if code != http.StatusOK {
			t.Fatalf("GET %s: %d %s", path, code, body)
		}
		out[path] = string(body)
		return string(body)
	}
	get("/user")
	get("/security-provider")
	get("/api-account")
	for _, g := range ids(t, get("/group-policy")) {
		get(fmt.Sprintf("/group-policy/%d/member", g))
	}
	for _, team := range ids(t, get("/team")) {
		get(fmt.Sprintf("/team/%d/user", team))
	}
	return out
}

func ids(t *testing.T, list string) []int64 {
	t.Helper()
	var items []struct{ ID int64 }
	if err := json.Unmarshal([]byte(list), &items); err != nil {
		t.Fatalf("not a list: %v: %s", err, list)
	}
	out := make([]int64, len(items))
	for i, it := range items {
		out[i] = it.ID
	}
	return out
}

func idOf(t *testing.T, body []byte) int64 {
	t.Helper()
	var v struct{ ID int64 }
	if err := json.Unmarshal(body, &v); err != nil || v.ID == 0 {
		t.Fatalf("no id in %s (%v)", body, err)
	}
	return v.ID
}

func mapsKeys(m map[string]string) func(func(string) bool) {
	return func(yield func(string) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	}
}

// tokenStatus asks for a token and returns the status, without failing.
func tokenStatus(t *testing.T, base, id, secret string) int {
	t.Helper()
	resp, err := client().PostForm(base+"/oauth2/token", url.Values{
		"grant_type": {"client_credentials"}, "client_id": {id}, "client_secret": {secret}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

// A broken dump or a target in use is refused with exit status 1 and a
// message naming the problem, and the target is left empty.
func TestImportRefusesBadInput(t *testing.T) {
	src := filepath.Join(t.TempDir(), "src.db")
	p := start(t, src)
	id, secret := p.credentials(t)
	populateOverAPI(t, p.url, token(t, p.url, id, secret))
	good, err := exec.Command(binary, "export", "--db", src).Output()
	if err != nil {
		t.Fatalf("export: %v", err)
	}
	lines := strings.Split(strings.TrimSuffix(string(good), "\n"), "\n")
	member := slices.IndexFunc(lines, func(l string) bool { return strings.Contains(l, `"type":"member"`) })
	memberLine := fmt.Sprint(member + 1)
	replace := func(i int, l string) string {
		out := slices.Clone(lines)
		out[i] = l
		return strings.Join(out, "\n") + "\n"
	}
	cases := []struct {
		name, dump, want string
		used             bool // the target is not empty
	}{
		{"target in use", string(good), "the target directory is not empty (it has 1 users, 1 API accounts, 2 audit events)", true},
		{"malformed line", replace(member, `{"type":"member","id":1,`), "line " + memberLine + ": member record: unexpected EOF", false},
		{"wrong header", replace(0, `{"type":"pg_dump","version":1}`), `line 1: not a gatehouse export: the first line must be the "gatehouse-export" header, not a "pg_dump" record`, false},
		{"unknown record type", replace(member, `{"type":"widget","id":1}`), "line " + memberLine + `: unknown record type "widget"`, false},
		{"dangling reference", replace(member, regexp.MustCompile(`"user_id":\d+`).ReplaceAllString(lines[member], `"user_id":999`)),
			"line " + memberLine + ": member 1 of group 1: it refers to user 999, which no earlier line of the dump holds", false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dst := dsnFor(t)
			if c.used {
				q := start(t, dst) // its first start creates the bootstrap account and the administrator
				q.stop(t, syscall.SIGTERM)
			}
			before := exportEnd(t, dst)
			cmd := exec.Command(binary, "import", "--db", dst)
			cmd.Stdin = strings.NewReader(c.dump)
			out, err := cmd.CombinedOutput()
			var exit *exec.ExitError
			if !asExit(err, &exit) || exit.ExitCode() != 1 {
				t.Fatalf("import: %v, want exit status 1\n%s", err, out)
			}
			if !strings.Contains(string(out), c.want) {
				t.Fatalf("import said:\n%s\nwant %q", out, c.want)
			}
			if after := exportEnd(t, dst); after != before {
				t.Fatalf("the target changed: %s, was %s", after, before)
			}
		})
	}
}

// exportEnd returns the end record of an export of db: its counts.
func exportEnd(t *testing.T, db string) string {
	t.Helper()
	out, err := exec.Command(binary, "export", "--db", db).Output()
	if err != nil {
		t.Fatalf("export: %v", err)
	}
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")
	return lines[len(lines)-1]
}

func TestExportImportCommandLineMistakes(t *testing.T) {
	for _, args := range [][]string{
		{"export", "extra-argument"},
		{"export", "--out"},
		{"import", "--no-such-flag"},
	} {
		out, err := gatehouse(t, args...)
		var exit *exec.ExitError
		if !asExit(err, &exit) || exit.ExitCode() != 2 {
			t.Errorf("gatehouse %q: %v, want exit status 2\n%s", args, err, out)
		}
	}
	out, err := gatehouse(t, "import", "--db", dsnFor(t), "--in", filepath.Join(t.TempDir(), "missing.jsonl"))
	var exit *exec.ExitError
	if !asExit(err, &exit) || exit.ExitCode() != 1 || !strings.Contains(out, "missing.jsonl: no such file") {
		t.Errorf("import of a missing file: %v\n%s", err, out)
	}
}

// Exporting to something that is not a regular file, such as a named pipe
// (or /dev/null), writes into it instead of renaming a file over it.
func TestExportToANamedPipe(t *testing.T) {
	db := dsnFor(t)
	if out, err := gatehouse(t, "migrate", "--db", db); err != nil {
		t.Fatalf("migrate: %v\n%s", err, out)
	}
	fifo := filepath.Join(t.TempDir(), "dump.fifo")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Skipf("no named pipes here: %v", err)
	}
	read := make(chan string, 1)
	go func() {
		b, _ := os.ReadFile(fifo)
		read <- string(b)
	}()
	if out, err := gatehouse(t, "export", "--db", db, "--out", fifo); err != nil {
		t.Fatalf("export to a pipe: %v\n%s", err, out)
	}
	if got := <-read; !strings.Contains(got, `"type":"gatehouse-export"`) {
		t.Fatalf("the pipe carried %q", got)
	}
	if fi, err := os.Stat(fifo); err != nil || fi.Mode()&os.ModeNamedPipe == 0 {
		t.Fatalf("the pipe was replaced: %v %v", fi.Mode(), err)
	}
}
