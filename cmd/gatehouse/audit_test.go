package main

import (
	"bufio"
	"encoding/json"
	"os/exec"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"
)

// auditLine is the human form: id, time, actor, action, target.
var auditLine = regexp.MustCompile(`^ +(\d+)  (\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ)  (\S+(?: \(.*\))?) +(\S+) +(\w+):(\d+)$`)

// gatehouse audit prints the log oldest first, in aligned lines or as JSON
// lines, filtered by every flag.
func TestAuditCommand(t *testing.T) {
	db := dsnFor(t)
	mustRun(t, "", "user", "create", "--db", db, "--username", "root", "--admin")
	mustRun(t, "", "user", "create", "--db", db, "--username", "alice")
	mustRun(t, "", "api-account", "create", "--db", db, "--name", "ci")

	out := mustRun(t, "", "audit", "--db", db)
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	var actions []string
	for _, l := range lines {
		m := auditLine.FindStringSubmatch(l)
		if m == nil || m[3] != "cli" {
			t.Fatalf("line %q is not an aligned audit line by cli", l)
		}
		actions = append(actions, m[4]+" "+m[5])
	}
	if strings.Join(actions, ", ") != "user.create user, user.create user, api_account.create api_account" {
		t.Errorf("audit lists %q, want the three changes oldest first", actions)
	}
	if len(lines[0]) > 0 && strings.Index(lines[0], "user.create") != strings.Index(lines[2], "api_account.create") {
		t.Errorf("columns are not aligned:\n%s", out)
	}

	out = mustRun(t, "", "audit", "--db", db, "--json")
	var first map[string]any
	if err := json.Unmarshal([]byte(strings.SplitN(out, "\n", 2)[0]), &first); err != nil {
		t.Fatal(err)
	}
	after, _ := first["after"].(map[string]any)
	if first["action"] != "user.create" || first["actor"] != "cli" || first["target_type"] != "user" || first["target_id"] != 1.0 ||
		first["before"] != nil || after["username"] != "root" || len(first) != 8 || !strings.HasSuffix(first["at"].(string), "Z") {
		t.Errorf("first JSON line %v", first)
	}

	count := func(args ...string) int {
		t.Helper()
		out := mustRun(t, "", append([]string{"audit", "--db", db}, args...)...)
		return strings.Count(out, "\n")
	}
	for _, c := range []struct {
		args []string
		want int
	}{
		{[]string{"--actor", "cli"}, 3},
		{[]string{"--actor", "api_account"}, 0},
		{[]string{"--entity", "user"}, 2},
		{[]string{"--entity", "user", "--id", "2"}, 1},
		{[]string{"--action", "user."}, 2},
		{[]string{"--action", "api_account.create"}, 1},
		{[]string{"--since", "1h"}, 3},
		{[]string{"--until", "1h"}, 0},
		{[]string{"--since", "2000-01-01T00:00:00Z", "--until", "2100-01-01T00:00:00+02:00"}, 3},
		{[]string{"--limit", "1"}, 1},
		{[]string{"--before", "3"}, 2},
	} {
		if got := count(c.args...); got != c.want {
			t.Errorf("audit %q: %d lines, want %d", c.args, got, c.want)
		}
	}
	if out := mustRun(t, "", "audit", "--db", db, "--limit", "1"); !strings.Contains(out, "api_account.create") {
		t.Errorf("--limit 1 shows %q, want the newest event", out)
	}
}

func TestAuditCommandMistakes(t *testing.T) {
	db := dsnFor(t)
	checkMistakes(t, []mistake{
		{args: []string{"audit", "--db", db, "--since", "yesterday"}, code: 2,
			err: `gatehouse audit: --since "yesterday" must be an RFC 3339 date-time such as "2026-11-30T21:00:00Z", or a duration ago such as "24h"`},
		{args: []string{"audit", "--db", db, "--until", "2026-11-30 21:00"}, code: 2,
			err: `gatehouse audit: --until "2026-11-30 21:00" must be an RFC 3339 date-time such as "2026-11-30T21:00:00Z", or a duration ago such as "24h"`},
		{args: []string{"audit", "--db", db, "--actor", "robot"}, code: 2,
			err: `gatehouse audit: --actor must be an actor kind (api_account, user, cli or system), or api_account or user with an id, such as "api_account:3"`},
		{args: []string{"audit", "--db", db, "--entity", "User", "--id", "-1"}, code: 2,
			err: `gatehouse audit: --entity must be a resource type such as user or group; --id must be a positive integer`},
		{args: []string{"audit", "--db", db, "--action", "user..x", "--limit", "0"}, code: 2,
			err: `gatehouse audit: --action must be an action such as "user.create", or a prefix ending in a dot such as "user."; --limit must be between 1 and 1000`},
		{args: []string{"audit", "--db", db, "--since", "1h", "--until", "2h"}, code: 2,
			err: `gatehouse audit: --until must be later than since`},
		{args: []string{"audit", "--db", db, "--follow", "--before", "5"}, code: 2,
			err: `gatehouse audit: --follow prints what comes after the newest events; it cannot start --before one`},
		{args: []string{"audit", "--db", db, "--follow", "--interval", "0s"}, code: 2,
			err: `gatehouse audit: --interval must be more than 0`},
		{args: []string{"audit", "--db", db, "extra"}, code: 2, err: `gatehouse audit: unexpected argument "extra"`},
	})
}

// gatehouse audit --follow prints what was there, then each new event as
// another process writes it, until interrupted.
func TestAuditFollow(t *testing.T) {
	db := dsnFor(t)
	mustRun(t, "", "user", "create", "--db", db, "--username", "first")
	cmd := exec.Command(binary, "audit", "--db", db, "--follow", "--json", "--interval", "50ms", "--action", "user.")
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if cmd.ProcessState == nil {
			cmd.Process.Kill()
			cmd.Wait()
		}
	})
	lines := make(chan string)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
	}()
	read := func(want string) {
		t.Helper()
		select {
		case l := <-lines:
			if !strings.Contains(l, want) {
				t.Fatalf("line %q, want one with %q", l, want)
			}
		case <-time.After(10 * time.Second):
			t.Fatalf("no line with %q", want)
		}
	}
	read(`"username":"first"`)
	mustRun(t, "", "api-account", "create", "--db", db, "--name", "not-a-user-change")
	mustRun(t, "", "user", "create", "--db", db, "--username", "second")
	read(`"username":"second"`)
	if err := cmd.Process.Signal(syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	if err := cmd.Wait(); err != nil {
		t.Errorf("interrupted --follow: %v, want exit 0", err)
	}
	if l, ok := <-lines; ok {
		t.Errorf("after the interrupt: %q", l)
	}
}

// serve --audit-forward stdout writes every event committed while it runs
// as a JSON line: the API's, and the command line's beside it.
func TestServeForwardsAuditEvents(t *testing.T) {
	db := dsnFor(t)
	p := start(t, db, "--audit-forward", "stdout")
	id, secret := p.credentials(t)
	tok := token(t, p.url, id, secret)
	if code, body := call(t, "POST", p.url+"/api/config/v1/user", tok, `{"username":"viaapi","public_display_name":"A"}`); code != 201 {
		t.Fatalf("create: %d %s", code, body)
	}
	mustRun(t, "", "user", "create", "--db", db, "--username", "viacli")
	eventually := func(want string) {
		t.Helper()
		deadline := time.Now().Add(10 * time.Second)
		for !strings.Contains(p.output(), want) {
			if time.Now().After(deadline) {
				t.Fatalf("no %s forwarded:\n%s", want, p.output())
			}
			time.Sleep(20 * time.Millisecond)
		}
	}
	eventually(`"actor":"system","action":"api_account.create"`) // the bootstrap account
	eventually(`"username":"viaapi"`)
	eventually(`"actor":"cli","action":"user.create"`)
	if strings.Contains(strings.ReplaceAll(p.output(), "client_secret: "+secret, ""), secret) {
		t.Error("a forwarded event holds the bootstrap secret")
	}
	if err := p.stop(t, syscall.SIGTERM); err != nil {
		t.Errorf("stop: %v", err)
	}

	checkMistakes(t, []mistake{{args: []string{"serve", "--db", db, "--addr", "127.0.0.1:0", "--audit-forward", "kafka://x"}, code: 2,
		err: `gatehouse serve: --audit-forward "kafka://x": want stdout, syslog, syslog://host:port or syslog+tcp://host:port`}})
}
