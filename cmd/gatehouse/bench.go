package main

import (
	"bufio"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/gatehouse/gatehouse/internal/directory"
	"github.com/gatehouse/gatehouse/internal/store"
)

type benchFlags struct {
	users        int
	duration     time.Duration
	bareDuration time.Duration
	conns        int
	db           string
	keep         bool
	url          string
	clientID     string
	secret       string
	only         string
	pin          bool
	generator    string
	creates      int64
	peerToken    string
	peerClient   string
	peerGet      string
}

// runBench seeds a directory, starts the server and a bare net/http
// baseline, and measures each scenario against both.
func runBench(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	// Hidden modes the bench runs its children in.
	if len(args) >= 2 && args[0] == "--pin-exec" {
		cpu, err := strconv.Atoi(args[1])
		if err != nil {
			return usagef("--pin-exec wants a CPU number")
		}
		return execPinned(cpu, args[2:])
	}
	if len(args) >= 3 && args[0] == "--pin-exec-prog" {
		cpu, err := strconv.Atoi(args[1])
		if err != nil {
			return usagef("--pin-exec-prog wants a CPU number")
		}
		return execPinnedProgram(cpu, args[2], args[3:])
	}
	if len(args) >= 2 && args[0] == "--argon2-rate" {
		d, err := time.ParseDuration(args[1])
		if err != nil {
			return usagef("--argon2-rate wants a duration")
		}
		fmt.Fprintf(stdout, "%f\n", argon2Rate(ctx, d))
		return nil
	}
	if len(args) >= 1 && args[0] == "--serve-bare" {
		return serveBare(ctx, stderr)
	}

	fs := flag.NewFlagSet("bench", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprint(stderr, `Usage: gatehouse bench [flags]

Seeds a directory of --users users through the import path (into a new
SQLite file in a temporary directory unless --db names one), starts
'gatehouse serve' and a bare net/http handler as child processes pinned to
CPU 0, runs every scenario for --duration at --conns keep-alive
connections against the server and then against the bare handler (same
requests, responses of the same size), and prints one table.

The load comes from wrk (--generator wrk; the default when wrk is on
PATH): one wrk thread pinned to CPU 1 per run, driven by a Lua script
generated from the scenario's request templates into the temporary
directory. Otherwise (--generator go) it comes from this process's own
closed-loop net/http client on CPU 1 with GOMAXPROCS=1, which is slower
than the bare handler and so understates it. Both send the same requests.
With wrk, "resp bytes" is the mean size of whole responses as they cross
the wire (status line, headers and body, wrk's own count), and the bare
baseline answers with the same number of bytes on the wire; with the go
generator it is the mean body size. "errors" counts answers with a
status over 399 (wrk's count; the "PRA create, no password" run, whose
script sees every answer, counts every non-2xx) and wrk's socket errors,
including answers slower than wrk's --timeout of 30 s; "cut off" is "-",
since wrk does not report requests still in flight when it stops.
With the go generator,
requests still running max(duration/2, 1s) after a scenario ends are cut
off and counted under "cut off"; their time so far still counts towards
p50/p99.

"PRA create, no password" runs until --creates creates were answered (its
rate is over all of them; it gives up after max(--duration, creates/100
seconds)), the issue's sustained-create target; --creates 0 runs it for
--duration like the rest. Its bare baseline runs for --bare-duration.

With --peer-token (and --peer-token-client) and --peer-get, token
issuance and PRA GET user/{id} also run against those peers (see
scripts/bench-peers) with the same generator, connections and duration,
and the table gets "peer req/s" and "peer p99" columns.

With --url it loads a running server instead (give its --client-id and
--client-secret; no RSS, no pinning; the server needs users
user1..user<--users>). A --db that already has users is reused as it is,
so that a second run skips seeding: 'gatehouse bench --db /tmp/bench.db'
twice.

Quick run:    gatehouse bench --users 10000 --duration 3s --bare-duration 1s --creates 5000
Full run:     gatehouse bench      (1,000,000 users, 10 s per scenario, 100,000 creates)

Flags:
`)
		fs.PrintDefaults()
	}
	var f benchFlags
	fs.IntVar(&f.users, "users", 1_000_000, "users to seed into an empty database")
	fs.DurationVar(&f.duration, "duration", 10*time.Second, "how long each scenario runs against the server")
	fs.DurationVar(&f.bareDuration, "bare-duration", 5*time.Second, "how long each scenario runs against the bare baseline; 0 skips the baseline")
	fs.IntVar(&f.conns, "conns", 50, "concurrent keep-alive connections")
	fs.StringVar(&f.db, "db", "", "SQLite file or postgres:// URL to seed (if empty) and serve; default: a new SQLite file in a temporary directory")
	fs.BoolVar(&f.keep, "keep", false, "keep the temporary directory (and its seeded database) and print its path")
	fs.StringVar(&f.url, "url", "", "load this running server instead of starting one (needs --client-id, --client-secret, and users user1..user<--users>)")
	fs.StringVar(&f.clientID, "client-id", "", "API account client id for --url")
	fs.StringVar(&f.secret, "client-secret", "", "API account client secret for --url")
	fs.StringVar(&f.only, "only", "", "run only the scenarios whose names contain one of these comma-separated words")
	fs.BoolVar(&f.pin, "pin", true, "pin the server to CPU 0 and the load generator to CPU 1 (Linux, 2+ CPUs)")
	fs.StringVar(&f.generator, "generator", "auto", "load generator: wrk (1 thread; resp bytes are whole responses on the wire), "+
		"go (this process's net/http client; resp bytes are bodies), or auto (wrk when it is on PATH)")
	fs.Int64Var(&f.creates, "creates", 100_000, "run \"PRA create, no password\" until this many creates were answered and report "+
		"its rate over all of them (0: for --duration)")
	fs.StringVar(&f.peerToken, "peer-token", "", "a peer's client_credentials token endpoint URL, loaded like token issuance (needs --peer-token-client)")
	fs.StringVar(&f.peerClient, "peer-token-client", "", "id:secret of the --peer-token client, sent in the form body (client_secret_post)")
	fs.StringVar(&f.peerGet, "peer-get", "", "a peer's GET URL, loaded like PRA GET user/{id} with a bearer header; {id} in it is a random user id")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return usageError{err.Error()}
	}
	if fs.NArg() > 0 {
		return usagef("unexpected argument %q", fs.Arg(0))
	}
	if f.users < 1 || f.conns < 1 || f.duration <= 0 || f.bareDuration < 0 {
		return usagef("--users, --conns and --duration must be positive")
	}
	if f.url != "" && (f.clientID == "" || f.secret == "") {
		return usagef("--url needs --client-id and --client-secret")
	}
	switch f.generator {
	case "auto", "go", "wrk":
	default:
		return usagef("--generator is auto, go or wrk, not %q", f.generator)
	}
	if f.creates < 0 {
		return usagef("--creates must not be negative")
	}
	if (f.peerToken == "") != (f.peerClient == "") {
		return usagef("--peer-token and --peer-token-client go together")
	}
	if f.peerClient != "" && !strings.Contains(f.peerClient, ":") {
		return usagef("--peer-token-client is id:secret")
	}
	for _, u := range []string{f.peerToken, f.peerGet} {
		if u == "" {
			continue
		}
		if p, err := url.Parse(strings.ReplaceAll(u, "{id}", "1")); err != nil || p.Host == "" || (p.Scheme != "http" && p.Scheme != "https") {
			return usagef("bad peer URL %q", u)
		}
	}
	return bench(ctx, f, stdout, stderr)
}

// benchChild is a child process the bench started.
type benchChild struct {
	cmd  *exec.Cmd
	url  string
	done chan error
}

var benchListening = regexp.MustCompile(`msg=listening url=(\S+)`)

// startBenchChild runs this executable with args (pinned to CPU 0 when
// pin), with its stderr in logPath, and waits until it says it listens.
func startBenchChild(ctx context.Context, args []string, env []string, pin bool, logPath string) (*benchChild, error) {
	self, err := os.Executable()
	if err != nil {
		return nil, err
	}
	if pin {
		args = append([]string{"bench", "--pin-exec", "0"}, args...)
	}
	logf, err := os.Create(logPath)
	if err != nil {
		return nil, err
	}
	defer logf.Close()
	cmd := exec.Command(self, args...)
	cmd.Env = append(os.Environ(), env...)
	cmd.Stdout = logf
	cmd.Stderr = logf
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	c := &benchChild{cmd: cmd, done: make(chan error, 1)}
	go func() { c.done <- cmd.Wait() }()
	deadline := time.Now().Add(60 * time.Second)
	for {
		b, _ := os.ReadFile(logPath)
		if m := benchListening.FindSubmatch(b); m != nil {
			c.url = string(m[1])
			return c, nil
		}
		select {
		case err := <-c.done:
			return nil, fmt.Errorf("%s exited (%v):\n%s", strings.Join(args, " "), err, b)
		case <-ctx.Done():
			c.stop()
			return nil, ctx.Err()
		case <-time.After(20 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			c.stop()
			return nil, fmt.Errorf("%s did not start within a minute:\n%s", strings.Join(args, " "), b)
		}
	}
}

func (c *benchChild) pid() int { return c.cmd.Process.Pid }

func (c *benchChild) stop() {
	if c == nil || c.cmd.ProcessState != nil {
		return
	}
	c.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-c.done:
	case <-time.After(10 * time.Second):
		c.cmd.Process.Kill()
		<-c.done
	}
}

func randomHex(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	return hex.EncodeToString(b)
}

func bench(ctx context.Context, f benchFlags, stdout, stderr io.Writer) error {
	log := stderr
	fmt.Fprintf(log, "bench: %s, %s/%s, %d CPUs\n", runtime.Version(), runtime.GOOS, runtime.GOARCH, cpuCount())
	tmp, err := os.MkdirTemp("", "gatehouse-bench-")
	if err != nil {
		return err
	}
	if f.keep {
		fmt.Fprintf(log, "bench: keeping %s\n", tmp)
	} else {
		defer os.RemoveAll(tmp)
	}

	base, clientID, secret := f.url, f.clientID, f.secret
	n := f.users
	db := f.db
	if f.url == "" {
		if db == "" {
			db = filepath.Join(tmp, "gatehouse.db")
		}
		if !store.IsPostgres(db) {
			if abs, err := filepath.Abs(db); err == nil {
				db = abs
			}
		}
		if n, err = benchSeed(ctx, db, f.users, log); err != nil {
			return err
		}
	}
	// Pin the load generator after seeding (which may use every CPU), so
	// that every thread it starts later inherits CPU 1.
	pinned := false
	if f.pin && f.url == "" && canPin && cpuCount() >= 2 {
		if err := pinProcess(1); err != nil {
			fmt.Fprintf(log, "bench: not pinned: %v\n", err)
		} else {
			pinned = true
		}
	}
	prev := runtime.GOMAXPROCS(1)
	defer runtime.GOMAXPROCS(prev)
	wrkPath := ""
	if f.generator != "go" {
		p, err := exec.LookPath("wrk")
		switch {
		case err == nil:
			wrkPath = p
		case f.generator == "wrk":
			return fmt.Errorf("--generator wrk: %w", err)
		}
	}
	genName := "go (net/http, GOMAXPROCS=1)"
	if wrkPath != "" {
		genName = wrkVersion(wrkPath) + ", 1 thread"
	}
	switch {
	case pinned:
		fmt.Fprintf(log, "bench: pinning: server and bare baseline on CPU 0, load generator on CPU 1; generator: %s\n", genName)
	case f.url != "":
		fmt.Fprintf(log, "bench: pinning: none (--url); generator: %s\n", genName)
	default:
		fmt.Fprintf(log, "bench: pinning: none (needs Linux, 2+ CPUs and --pin); generator: %s\n", genName)
	}

	// The raw argon2id rate, measured where the server will run (CPU 0,
	// one P) before it starts, is what password creates compare with.
	var rawArgon2 float64
	if f.url == "" {
		if rawArgon2, err = argon2RateChild(ctx, pinned, min(f.duration, 3*time.Second)); err != nil {
			fmt.Fprintf(log, "bench: raw argon2id rate: %v\n", err)
		}
	}
	var server *benchChild
	if f.url == "" {
		clientID, secret = "bench-"+randomHex(8), randomHex(32)
		t0 := time.Now()
		server, err = startBenchChild(ctx, []string{"serve", "--addr", "127.0.0.1:0", "--rate-limit", "0", "--token-rate-limit", "0", "--db", db},
			[]string{"GATEHOUSE_BOOTSTRAP_CLIENT_ID=" + clientID, "GATEHOUSE_BOOTSTRAP_CLIENT_SECRET=" + secret},
			pinned, filepath.Join(tmp, "serve.log"))
		if err != nil {
			return err
		}
		defer server.stop()
		base = server.url
		fmt.Fprintf(log, "bench: server %s (pid %d) listening after %s, RSS %d MB\n", base, server.pid(),
			time.Since(t0).Round(time.Millisecond), procStatusKB(server.pid(), "VmRSS")/1024)
	}
	var bare *benchChild
	bareToken := randomHex(16)
	if f.bareDuration > 0 {
		bare, err = startBenchChild(ctx, []string{"bench", "--serve-bare"}, []string{"GATEHOUSE_BENCH_BARE_TOKEN=" + bareToken},
			pinned && f.url == "", filepath.Join(tmp, "bare.log"))
		if err != nil {
			return err
		}
		defer bare.stop()
	}

	client := newBenchClient(f.conns)
	tokenOf := func() (string, error) {
		resp, err := client.PostForm(base+"/oauth2/token", url.Values{"grant_type": {"client_credentials"},
			"client_id": {clientID}, "client_secret": {secret}})
		if err != nil {
			return "", err
		}
		defer resp.Body.Close()
		var body struct {
			AccessToken string `json:"access_token"`
		}
		if err := json.NewDecoder(resp.Body).Decode(&body); err != nil || resp.StatusCode != 200 {
			return "", fmt.Errorf("POST /oauth2/token: %s %v", resp.Status, err)
		}
		return body.AccessToken, nil
	}
	if _, err := tokenOf(); err != nil {
		return err
	}
	var gen loadGenerator = goGenerator{client}
	if wrkPath != "" {
		cpu := -1
		if pinned {
			cpu = 1
		}
		gen = &wrkGenerator{path: wrkPath, cpu: cpu, dir: tmp}
	}
	// {run} is the run id and the load run's number: unique per load run,
	// so that runs against a reused database never create a user twice.
	runID := randomHex(4)
	runs := 0
	load := func(s loadSpec) (*loadResult, error) {
		runs++
		s.tag = runID + "-" + strconv.Itoa(runs)
		s.conns = f.conns
		return gen.run(ctx, s)
	}
	scenarios := benchScenarios(n, clientID, secret)
	if f.only != "" {
		var keep []scenario
		for _, sc := range scenarios {
			for _, w := range strings.Split(f.only, ",") {
				if w != "" && strings.Contains(sc.name, w) {
					keep = append(keep, sc)
					break
				}
			}
		}
		scenarios = keep
	}
	peers := benchPeers(f, n)
	fmt.Fprintf(log, "bench: %d users, %d scenarios, %s each (+%s bare), %d connections\n",
		n, len(scenarios), f.duration, f.bareDuration, f.conns)

	var rows []benchRow
	var token string
	for i, sc := range scenarios {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		// A token is fetched after token issuance has run, which makes
		// more than the account's cap and so revokes the older ones.
		if !sc.noAuth && token == "" {
			if token, err = tokenOf(); err != nil {
				return err
			}
		}
		pid := 0
		if server != nil {
			pid = server.pid()
		}
		spec := loadSpec{base: base, token: token, sc: sc, d: f.duration, seed: uint64(i + 1)}
		if sc.sustained && f.creates > 0 {
			// At most until the rate has fallen below 100/s.
			spec.limit = f.creates
			spec.d = max(f.duration, time.Duration(f.creates)*time.Second/100)
			fmt.Fprintf(log, "bench: %s: until %d creates are answered (at most %s)\n", sc.name, f.creates, spec.d)
		}
		rss := startRSS(pid)
		res, err := load(spec)
		rssKB := rss.end()
		if err != nil {
			return fmt.Errorf("%s: %w", sc.name, err)
		}
		row := benchRow{scenario: sc.name, rate: res.rate(), p50: res.p50, p99: res.p99, errors: res.errors,
			requests: res.requests, cut: res.cut, rssKB: rssKB, respBytes: res.meanBytes(), firstError: res.firstError}
		if spec.limit > 0 && res.requests < spec.limit {
			fmt.Fprintf(log, "bench: %s: only %d of %d creates answered in %s\n", sc.name, res.requests, spec.limit, spec.d)
		}
		if sc.noAuth {
			token = ""
		}
		// With no answer there is no response size to copy.
		if bare != nil && ctx.Err() == nil && res.requests > 0 {
			body := row.respBytes
			if res.wire {
				// The same bytes on the wire: the baseline's body is the
				// server's whole response less the baseline's own headers.
				hdr, err := bareHeaderBytes(bare.url, bareToken)
				if err != nil {
					return err
				}
				body = max(0, body-hdr)
			}
			if err := setBareSize(client, bare.url, body); err != nil {
				return err
			}
			bsc := sc
			bsc.noAuth = false
			br, err := load(loadSpec{base: bare.url, token: bareToken, sc: bsc, d: f.bareDuration, seed: uint64(i + 1)})
			if err != nil {
				return fmt.Errorf("%s, bare baseline: %w", sc.name, err)
			}
			row.bareRate, row.bareP99 = br.rate(), br.p99
			if br.errors > 0 {
				fmt.Fprintf(log, "bench: bare baseline for %s had %d errors, first: %s\n", sc.name, br.errors, br.firstError)
			}
		}
		if p, ok := peers[sc.name]; ok && ctx.Err() == nil {
			pr, err := load(loadSpec{base: p.base, token: p.token, sc: p.sc, d: f.duration, seed: uint64(i + 1)})
			if err != nil {
				return fmt.Errorf("%s, peer %s: %w", sc.name, p.base, err)
			}
			row.peerRate, row.peerP99 = pr.rate(), pr.p99
			fmt.Fprintf(log, "bench: %-28s peer %s: %.0f req/s  p50 %s p99 %s errors %d/%d\n", sc.name, p.base, pr.rate(),
				fmtLatency(pr.p50), fmtLatency(pr.p99), pr.errors, pr.requests)
			if pr.errors > 0 {
				fmt.Fprintf(log, "bench:   peer's first error: %s\n", pr.firstError)
			}
		}
		cut := "-"
		if row.cut >= 0 {
			cut = strconv.FormatInt(row.cut, 10)
		}
		fmt.Fprintf(log, "bench: %-28s %8.0f req/s  p50 %-9s p99 %-9s errors %d  cut off %s\n", sc.name, row.rate,
			fmtLatency(row.p50), fmtLatency(row.p99), row.errors, cut)
		if row.errors > 0 {
			fmt.Fprintf(log, "bench:   first error: %s\n", row.firstError)
		}
		rows = append(rows, row)
	}
	if err := writeBenchTable(stdout, rows, len(peers) > 0); err != nil {
		return err
	}
	for _, r := range rows {
		if r.scenario == "PRA create, password" && rawArgon2 > 0 {
			p := directory.DefaultArgon2
			fmt.Fprintf(stdout, "raw argon2id (m=%d KiB, t=%d, p=%d), one goroutine on the server's CPU before it started: "+
				"%.1f hashes/s; create with password = %.0f%% of it\n", p.MemoryKiB, p.Time, p.Threads, rawArgon2, 100*r.rate/rawArgon2)
		}
	}
	if server != nil {
		fmt.Fprintf(stdout, "server peak RSS over the whole run (VmHWM): %d MB\n", procStatusKB(server.pid(), "VmHWM")/1024)
	}
	creates := "for --duration"
	if f.creates > 0 {
		creates = fmt.Sprintf("over %d creates", f.creates)
	}
	fmt.Fprintf(stdout, "%d users; %d connections; %s per scenario, %s against the bare baseline; create without password %s; "+
		"generator: %s; pinned: %v\n", n, f.conns, f.duration, f.bareDuration, creates, genName, pinned)
	return nil
}

// benchScenarios are the workloads, token issuance first (see bench), for
// a directory of users 1..n. Each is declared as request templates (see
// bench_template.go) that the Go and the wrk generators both expand.
func benchScenarios(n int, clientID, secret string) []scenario {
	const user = "/api/config/v1/user"
	get := func(path string) benchTemplate { return reqTmpl("GET", path, "", "") }
	jsonReq := func(method, path, body string) benchTemplate {
		return reqTmpl(method, path, "application/json", body)
	}
	lastPage := (n + 99) / 100
	deep, deepName := 10000, "PRA list page 10000"
	if lastPage < deep {
		deep, deepName = lastPage, fmt.Sprintf("PRA list last page (%d)", lastPage)
	}
	const name = "bench-{run}-{n}"
	createBody := `{"username":"` + name + `","public_display_name":"` + name + `","email_address":"` + name + `@bench.example"`
	patch := jsonReq("PATCH", user+"/{id}", `{"public_display_name":"Bench {w}-{i}"}`)
	// A filter's value is escaped around its placeholder, which escaping
	// would mangle; the ids are digits and need none.
	scimFilter := func(before, after string) benchTemplate {
		return get("/scim/v2/Users?filter=" + url.QueryEscape(before) + "{id}" + url.QueryEscape(after))
	}
	scenarios := []scenario{
		{name: "token issuance", noAuth: true, reqs: []benchTemplate{tokenTmpl("/oauth2/token", clientID, secret)}},
		{name: "PRA GET user/{id}", reqs: []benchTemplate{get(user + "/{id}")}},
		{name: "PRA list page 1", reqs: []benchTemplate{get(user + "?per_page=100&current_page=1")}},
		{name: deepName, reqs: []benchTemplate{get(user + "?per_page=100&current_page=" + strconv.Itoa(deep))}},
		{name: "PRA username= filter", reqs: []benchTemplate{get(user + "?username=user{id}")}},
		{name: "PRA create, no password", sustained: true, reqs: []benchTemplate{jsonReq("POST", user, createBody+"}")}},
		{name: "PRA create, password", reqs: []benchTemplate{
			jsonReq("POST", user, createBody+`,"password":"Bench-Passw0rd-{n}"}`)}},
		{name: "PRA PATCH user", reqs: []benchTemplate{patch}},
		{name: "PRA mixed 90% GET/10% PATCH", reqs: []benchTemplate{get(user + "/{id}").weighted(9), patch.weighted(1)}},
		{name: "SCIM userName eq", reqs: []benchTemplate{scimFilter(`userName eq "user`, `"`)}},
		{name: "SCIM emails.value co", reqs: []benchTemplate{scimFilter(`emails.value co "user`, `@bench"`)}},
		{name: "BeyondInsight GET Users/{id}", reqs: []benchTemplate{get("/BeyondTrust/api/public/v3/Users/{id}")}},
	}
	for i := range scenarios {
		scenarios[i].users = n
	}
	return scenarios
}

// tokenTmpl is a client_credentials token request with the client's
// credentials in the form body (client_secret_post).
func tokenTmpl(path, clientID, secret string) benchTemplate {
	form := url.Values{"grant_type": {"client_credentials"}, "client_id": {clientID}, "client_secret": {secret}}.Encode()
	// Braces in a path or a form would read as placeholders; a client id
	// or secret with "{id}" in it is escaped by Encode.
	return reqTmpl("POST", path, "application/x-www-form-urlencoded", form)
}

// setBareSize tells the bare baseline how many bytes to answer with.
func setBareSize(c *http.Client, base string, n int) error {
	resp, err := c.Post(base+"/_bench/size?n="+strconv.Itoa(n), "text/plain", nil)
	if err != nil {
		return err
	}
	resp.Body.Close()
	if resp.StatusCode != 204 {
		return fmt.Errorf("bare baseline: set size: %s", resp.Status)
	}
	return nil
}

// bareHeaderBytes is the size of the bare baseline's status line and
// headers, read off one raw answer.
func bareHeaderBytes(base, token string) (int, error) {
	u, err := url.Parse(base)
	if err != nil {
		return 0, err
	}
	c, err := net.DialTimeout("tcp", u.Host, 5*time.Second)
	if err != nil {
		return 0, err
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(5 * time.Second))
	// Kept alive, as under load: a "Connection: close" would add a header.
	fmt.Fprintf(c, "GET / HTTP/1.1\r\nHost: %s\r\nAuthorization: Bearer %s\r\n\r\n", u.Host, token)
	r := bufio.NewReader(c)
	n := 0
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			return 0, fmt.Errorf("bare baseline: reading headers: %w", err)
		}
		n += len(line)
		if line == "\r\n" {
			return n, nil
		}
	}
}

// serveBare is the baseline: a net/http server that checks the bearer
// token and answers every request with a fixed number of bytes.
func serveBare(ctx context.Context, stderr io.Writer) error {
	want := "Bearer " + os.Getenv("GATEHOUSE_BENCH_BARE_TOKEN")
	var body atomic.Pointer[[]byte]
	empty := []byte{}
	body.Store(&empty)
	mux := http.NewServeMux()
	mux.HandleFunc("POST /_bench/size", func(w http.ResponseWriter, r *http.Request) {
		n, err := strconv.Atoi(r.URL.Query().Get("n"))
		if err != nil || n < 0 || n > 64<<20 {
			http.Error(w, "bad n", http.StatusBadRequest)
			return
		}
		b := []byte(strings.Repeat("x", n))
		body.Store(&b)
		w.WriteHeader(http.StatusNoContent)
	})
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != want {
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		io.Copy(io.Discard, r.Body)
		b := *body.Load()
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Content-Length", strconv.Itoa(len(b)))
		w.Write(b)
	})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	hs := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	bw := bufio.NewWriter(stderr)
	fmt.Fprintf(bw, "level=INFO msg=listening url=http://%s\n", ln.Addr())
	bw.Flush()
	go func() {
		<-ctx.Done()
		hs.Close()
	}()
	if err := hs.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// argon2Rate measures how many passwords a second one goroutine hashes at
// the default cost (the server's, unless configured otherwise).
func argon2Rate(ctx context.Context, d time.Duration) float64 {
	h := directory.NewHasher(directory.DefaultArgon2)
	start := time.Now()
	n := 0
	for time.Since(start) < d || n == 0 {
		if _, err := h.Hash(ctx, "Bench-Passw0rd-"+strconv.Itoa(n)); err != nil {
			break
		}
		n++
	}
	return float64(n) / time.Since(start).Seconds()
}

// grace is how long requests may run past the end of a scenario of
// length d before they are cut off.
func grace(d time.Duration) time.Duration { return max(d/2, time.Second) }

// argon2RateChild measures argon2Rate for d in a child process, pinned to
// CPU 0 like the server when pinned.
func argon2RateChild(ctx context.Context, pinned bool, d time.Duration) (float64, error) {
	self, err := os.Executable()
	if err != nil {
		return 0, err
	}
	args := []string{"bench", "--argon2-rate", d.String()}
	if pinned {
		args = append([]string{"bench", "--pin-exec", "0"}, args...)
	}
	out, err := exec.CommandContext(ctx, self, args...).Output()
	if err != nil {
		return 0, err
	}
	return strconv.ParseFloat(strings.TrimSpace(string(out)), 64)
}
