package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

// loadGenerator makes one load run and measures it.
type loadGenerator interface {
	run(ctx context.Context, s loadSpec) (*loadResult, error)
}

// goGenerator is the bench's own closed-loop net/http client (runLoad).
type goGenerator struct{ client *http.Client }

func (g goGenerator) run(ctx context.Context, s loadSpec) (*loadResult, error) {
	return runLoad(ctx, g.client, s, grace(s.d)), nil
}

// wrkThreads is how many threads wrk runs: one, on the generator's core.
const wrkThreads = 1

// wrkTimeout is wrk's --timeout: slower answers count as "timeout"
// errors and leave its latency histogram (whose memory is one counter
// per microsecond up to it).
const wrkTimeout = 30 * time.Second

// wrkGenerator runs wrk with a Lua script generated from the scenario's
// templates (wrkLua), pinned to cpu when cpu >= 0, and reads the JSON
// line the script's done() prints.
type wrkGenerator struct {
	path string // the wrk executable
	cpu  int    // -1: not pinned
	dir  string // where scripts and wrk's output go
	seq  int
}

// Lines the Lua script prints for the bench.
const (
	wrkResultPrefix = "GATEHOUSE-BENCH-RESULT "
	wrkShareDone    = "GATEHOUSE-BENCH share-done"
	// wrkReady is printed by each thread's first request(): by then wrk
	// handles SIGINT (it installs its handler right after starting its
	// threads); before, SIGINT kills it without a report.
	wrkReady = "GATEHOUSE-BENCH ready"
)

func (g *wrkGenerator) run(ctx context.Context, s loadSpec) (*loadResult, error) {
	g.seq++
	u, err := url.Parse(s.base)
	if err != nil || u.Host == "" {
		return nil, fmt.Errorf("wrk: bad target %q", s.base)
	}
	// wrk takes the scheme and host from its URL; the script writes every
	// request's path, under base's own path.
	prefix := strings.TrimSuffix(u.Path, "/")
	script := filepath.Join(g.dir, fmt.Sprintf("wrk-%02d.lua", g.seq))
	if err := os.WriteFile(script, []byte(wrkLua(s, prefix, wrkThreads)), 0o600); err != nil {
		return nil, err
	}
	// wrk runs for whole seconds; a shorter or a limited run is ended
	// with SIGINT, on which wrk stops and reports as at its end.
	secs := int(math.Ceil(s.d.Seconds()))
	args := []string{"-t" + strconv.Itoa(wrkThreads), "-c" + strconv.Itoa(s.conns), "-d" + strconv.Itoa(secs) + "s",
		"--timeout", strconv.Itoa(int(wrkTimeout.Seconds())) + "s", "--latency", "-s", script, u.Scheme + "://" + u.Host + "/"}
	name := g.path
	if g.cpu >= 0 {
		self, err := os.Executable()
		if err != nil {
			return nil, err
		}
		args = append([]string{"bench", "--pin-exec-prog", strconv.Itoa(g.cpu), g.path}, args...)
		name = self
	}
	out, err := runWrk(ctx, name, args, s.d, secs, s.limit > 0, filepath.Join(g.dir, fmt.Sprintf("wrk-%02d.out", g.seq)))
	if err != nil {
		return nil, err
	}
	return parseWrkResult(out)
}

// runWrk runs wrk and returns its standard output. It interrupts wrk
// at d when d is shorter than the secs wrk was given, and as soon as each
// thread printed wrkShareDone when limited. Its output is also kept in
// logPath.
func runWrk(ctx context.Context, name string, args []string, d time.Duration, secs int, limited bool, logPath string) ([]byte, error) {
	cmd := exec.Command(name, args...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	pipe, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	var out bytes.Buffer
	var once sync.Once
	interrupt := make(chan struct{})
	stop := func() { once.Do(func() { close(interrupt) }) }
	started := make(chan struct{})
	read := make(chan error, 1)
	go func() {
		sc := bufio.NewScanner(pipe)
		sc.Buffer(make([]byte, 64<<10), 1<<20)
		done, ready := 0, 0
		for sc.Scan() {
			line := sc.Text()
			out.WriteString(line + "\n")
			switch line {
			case wrkShareDone:
				if done++; done == wrkThreads {
					stop()
				}
			case wrkReady:
				if ready++; ready == wrkThreads {
					close(started)
				}
			}
		}
		read <- sc.Err()
	}()
	exited := make(chan error, 1)
	go func() {
		err := <-read
		if werr := cmd.Wait(); err == nil {
			err = werr
		}
		exited <- err
	}()
	var timer <-chan time.Time
	if !limited && d < time.Duration(secs)*time.Second {
		timer = time.After(d)
	}
	var tick <-chan time.Time
	for {
		select {
		case err := <-exited:
			os.WriteFile(logPath, append(out.Bytes(), stderr.Bytes()...), 0o600)
			if err != nil {
				return nil, fmt.Errorf("wrk: %v: %s", err, strings.TrimSpace(stderr.String()))
			}
			return out.Bytes(), nil
		case <-ctx.Done():
			cmd.Process.Kill()
			<-exited
			return nil, ctx.Err()
		case <-timer:
			timer = nil
			stop()
		case <-interrupt:
			interrupt = nil
			// Not before every thread is ready (see wrkReady); then again
			// every 100 ms until wrk exits.
			select {
			case <-started:
			case err := <-exited:
				exited <- err
				continue
			case <-ctx.Done():
				cmd.Process.Kill()
				<-exited
				return nil, ctx.Err()
			}
			cmd.Process.Signal(syscall.SIGINT)
			t := time.NewTicker(100 * time.Millisecond)
			defer t.Stop()
			tick = t.C
		case <-tick:
			cmd.Process.Signal(syscall.SIGINT)
		}
	}
}

// wrkSummary is the JSON line the Lua script's done() prints.
type wrkSummary struct {
	Requests   int64  `json:"requests"`
	DurationUS int64  `json:"duration_us"`
	Bytes      int64  `json:"bytes"`      // wrk's count: status lines, headers and bodies
	BodyBytes  int64  `json:"body_bytes"` // bodies alone, summed in response() (limited runs only)
	Non2xx     int64  `json:"non2xx"`     // every non-2xx answer, counted in response() (limited runs only)
	Status     int64  `json:"status"`     // wrk's own count: answers with a status over 399
	Connect    int64  `json:"connect"`
	Read       int64  `json:"read"`
	Write      int64  `json:"write"`
	Timeout    int64  `json:"timeout"`
	P50US      int64  `json:"p50_us"`
	P99US      int64  `json:"p99_us"`
	FirstError string `json:"first_error"`
}

// parseWrkResult reads the script's result line from wrk's output.
func parseWrkResult(out []byte) (*loadResult, error) {
	var line string
	for _, l := range strings.Split(string(out), "\n") {
		if rest, ok := strings.CutPrefix(l, wrkResultPrefix); ok {
			line = rest
		}
	}
	if line == "" {
		return nil, errors.New("wrk printed no result line:\n" + string(out))
	}
	var w wrkSummary
	if err := json.Unmarshal([]byte(line), &w); err != nil {
		return nil, fmt.Errorf("wrk result %q: %w", line, err)
	}
	sock := w.Connect + w.Read + w.Write + w.Timeout
	bad := w.Status
	if w.Non2xx > 0 || w.BodyBytes > 0 {
		bad = w.Non2xx // the script saw the answers
	}
	r := &loadResult{requests: w.Requests, errors: bad + sock, cut: -1, bytes: w.Bytes, wire: true,
		elapsed: time.Duration(w.DurationUS) * time.Microsecond,
		p50:     time.Duration(w.P50US) * time.Microsecond, p99: time.Duration(w.P99US) * time.Microsecond}
	switch {
	case w.FirstError != "":
		r.firstError = w.FirstError
	case sock > 0:
		r.firstError = fmt.Sprintf("socket errors: connect %d, read %d, write %d, timeout (over %s) %d",
			w.Connect, w.Read, w.Write, wrkTimeout, w.Timeout)
	}
	return r, nil
}

// luaQuote quotes s as a Lua string literal (bytes outside printable
// ASCII as decimal escapes, which every Lua reads).
func luaQuote(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '"' || c == '\\':
			b.WriteByte('\\')
			b.WriteByte(c)
		case c >= 0x20 && c < 0x7f:
			b.WriteByte(c)
		default:
			fmt.Fprintf(&b, "\\%03d", c)
		}
	}
	b.WriteByte('"')
	return b.String()
}

// luaExpr is a Lua expression for t, with the placeholders as the locals
// request() sets.
func luaExpr(prefix string, t tmpl) string {
	var parts []string
	if prefix != "" {
		parts = append(parts, luaQuote(prefix))
	}
	for _, p := range t {
		switch p.ph {
		case phLiteral:
			parts = append(parts, luaQuote(p.lit))
		case phID:
			parts = append(parts, "id")
		case phRun:
			parts = append(parts, "RUN")
		case phN:
			parts = append(parts, "n")
		case phW:
			parts = append(parts, "w")
		case phI:
			parts = append(parts, "i")
		}
	}
	if len(parts) == 0 {
		return `""`
	}
	return strings.Join(parts, " .. ")
}

// wrkLua is the wrk script for s: request() makes what the Go generator
// makes for the same scenario (runLoad and scenario.next), response()
// counts every non-2xx answer and the body bytes, and done() prints one
// JSON line (wrkSummary) after wrkResultPrefix. With a limit, each thread
// prints wrkShareDone when it has had its share of answers.
func wrkLua(s loadSpec, prefix string, threads int) string {
	var b strings.Builder
	p := func(format string, a ...any) { fmt.Fprintf(&b, format+"\n", a...) }
	p("-- gatehouse bench: scenario %s, generated from its request templates (cmd/gatehouse/bench_template.go).", luaQuote(s.sc.name))
	p("local USERS = %d", max(s.sc.users, 1))
	p("local THREADS = %d", threads)
	p("local SEED = %d", s.seed)
	p("local RUN = %s", luaQuote(s.tag))
	share := int64(0)
	if s.limit > 0 {
		share = (s.limit + int64(threads) - 1) / int64(threads)
	}
	p("local SHARE = %d -- answers each thread waits for before it prints %s; 0: none", share, luaQuote(wrkShareDone))
	for k, t := range s.sc.reqs {
		var h []string
		if t.contentType != "" {
			h = append(h, "[\"Content-Type\"] = "+luaQuote(t.contentType))
		}
		if !s.sc.noAuth {
			h = append(h, "[\"Authorization\"] = "+luaQuote("Bearer "+s.token))
		}
		p("local H%d = {%s}", k+1, strings.Join(h, ", "))
	}
	b.WriteString(`
-- Per-thread state, read by done() through thread:get.
tid = 0
non2xx = 0
body_bytes = 0
responses = 0
first_err = ""
local j = 0

-- setup runs in the main state, once per thread.
local threads = {}
function setup(thread)
  table.insert(threads, thread)
  thread:set("tid", #threads)
end

function init(args)
  math.randomseed(SEED * 1000 + tid)
end

function request()
  if j == 0 then
    io.write("` + wrkReady + `\n")
    io.stdout:flush()
  end
  j = j + 1
  local n = tid + THREADS * (j - 1)
  local w, i = tid - 1, j - 1
`)
	total := s.sc.totalWeight()
	if len(s.sc.reqs) > 1 {
		p("  local r = math.random(0, %d)", total-1)
	}
	upTo := 0
	for k, t := range s.sc.reqs {
		upTo += t.weight
		indent := "  "
		if len(s.sc.reqs) > 1 && k < len(s.sc.reqs)-1 {
			p("  if r < %d then", upTo)
			indent = "    "
		}
		if t.uses(phID) {
			p("%slocal id = math.random(1, USERS)", indent)
		}
		body := "nil"
		if t.body != nil {
			body = luaExpr("", t.body)
		}
		p("%sreturn wrk.format(%s, %s, H%d, %s)", indent, luaQuote(t.method), luaExpr(prefix, t.path), k+1, body)
		if indent != "  " {
			p("  end")
		}
	}
	b.WriteString("end\n")
	if share > 0 {
		// Only a limited run needs to see answers: with a response(),
		// wrk copies every body into Lua, which on the 148 KB list pages
		// costs it more than the server spends.
		b.WriteString(`
function response(status, headers, body)
  responses = responses + 1
  if body then body_bytes = body_bytes + #body end
  if status < 200 or status > 299 then
    non2xx = non2xx + 1
    if first_err == "" then first_err = status .. ": " .. string.sub(body or "", 1, 300) end
  end
  if SHARE > 0 and responses == SHARE then
    io.write("` + wrkShareDone + `\n")
    io.stdout:flush()
  end
end
`)
	}
	b.WriteString(`
local function esc(s)
  return (string.gsub(s, '[%c"\\]', function(c) return string.format("\\u%04x", string.byte(c)) end))
end

function done(summary, latency, requests)
  local non, body, first = 0, 0, ""
  for _, t in ipairs(threads) do
    non = non + t:get("non2xx")
    body = body + t:get("body_bytes")
    local f = t:get("first_err")
    if first == "" and f then first = f end
  end
  local e = summary.errors
  io.write(string.format('` + wrkResultPrefix + `{"requests":%.0f,"duration_us":%.0f,"bytes":%.0f,"body_bytes":%.0f,' ..
    '"non2xx":%.0f,"status":%.0f,"connect":%.0f,"read":%.0f,"write":%.0f,"timeout":%.0f,"p50_us":%.0f,"p99_us":%.0f,"first_error":"%s"}\n',
    summary.requests, summary.duration, summary.bytes, body, non, e.status, e.connect, e.read, e.write, e.timeout,
    latency:percentile(50), latency:percentile(99), esc(first)))
  io.stdout:flush()
end
`)
	return b.String()
}

// wrkVersion is wrk's version line, for the report.
func wrkVersion(path string) string {
	out, _ := exec.Command(path, "-v").CombinedOutput()
	line, _, _ := strings.Cut(string(out), "\n")
	if v, _, ok := strings.Cut(line, " Copyright"); ok {
		return strings.TrimSpace(v)
	}
	return "wrk"
}
