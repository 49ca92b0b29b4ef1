package main

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// envRequireWrk turns a skip for want of wrk into a failure (CI sets it).
const envRequireWrk = "GATEHOUSE_REQUIRE_WRK"

// needWrk returns wrk's path, or skips the test (fails it under
// GATEHOUSE_REQUIRE_WRK=1) when wrk is not installed.
func needWrk(t *testing.T) string {
	t.Helper()
	p, err := exec.LookPath("wrk")
	if err != nil {
		if os.Getenv(envRequireWrk) == "1" {
			t.Fatalf("wrk is not installed and %s=1", envRequireWrk)
		}
		t.Skip("wrk is not installed")
	}
	return p
}

func TestParseWrkResult(t *testing.T) {
	out := "Running 1s test @ http://127.0.0.1:1/\n  1 threads and 2 connections\n" +
		"GATEHOUSE-BENCH share-done\n" +
		`GATEHOUSE-BENCH-RESULT {"requests":1000,"duration_us":500000,"bytes":250000,"body_bytes":150000,` +
		`"non2xx":3,"connect":1,"read":0,"write":0,"timeout":2,"p50_us":1250,"p99_us":9000,"first_error":"404: {\"message\":\"x\"}"}` + "\n" +
		"Requests/sec:   2000.00\n"
	r, err := parseWrkResult([]byte(out))
	if err != nil {
		t.Fatal(err)
	}
	if r.requests != 1000 || r.errors != 6 || r.cut != -1 || r.bytes != 250000 || !r.wire || r.meanBytes() != 250 ||
		r.elapsed != 500*time.Millisecond || r.rate() != 2000 || r.p50 != 1250*time.Microsecond || r.p99 != 9*time.Millisecond ||
		r.firstError != `404: {"message":"x"}` {
		t.Errorf("parsed %+v", r)
	}
	// Without a response() in the script, wrk's own count of answers over
	// 399 is the errors'.
	r, err = parseWrkResult([]byte(wrkResultPrefix + `{"requests":10,"duration_us":1000000,"bytes":2000,"body_bytes":0,` +
		`"non2xx":0,"status":4,"connect":0,"read":1,"write":0,"timeout":0,"p50_us":1,"p99_us":2,"first_error":""}` + "\n"))
	if err != nil || r.errors != 5 || r.meanBytes() != 200 {
		t.Errorf("parsed %+v, %v", r, err)
	}
	if _, err := parseWrkResult([]byte("Running 1s test\n")); err == nil {
		t.Error("no result line parsed")
	}
	if _, err := parseWrkResult([]byte(wrkResultPrefix + "{nope\n")); err == nil {
		t.Error("a broken result line parsed")
	}
	r, err = parseWrkResult([]byte(wrkResultPrefix + `{"requests":5,"duration_us":1,"connect":0,"read":2,"write":0,"timeout":0}` + "\n"))
	if err != nil || r.errors != 2 || !strings.Contains(r.firstError, "read 2") {
		t.Errorf("socket errors: %+v %v", r, err)
	}
}

func TestLuaQuote(t *testing.T) {
	for in, want := range map[string]string{
		"":             `""`,
		`a"b\c`:        `"a\"b\\c"`,
		"x\ny\x00\xff": `"x\010y\000\255"`,
		"{id}":         `"{id}"`,
	} {
		if got := luaQuote(in); got != want {
			t.Errorf("luaQuote(%q) = %s, want %s", in, got, want)
		}
	}
}

func TestCompileTmpl(t *testing.T) {
	tm := compileTmpl(`{"username":"bench-{run}-{n}","x":"{w}-{i}","id":{id},"{other}":{}}`)
	v := tmplVars{id: 7, run: "abc-1", n: 42, w: 3, i: 9}
	got := string(tm.expand(nil, &v))
	if want := `{"username":"bench-abc-1-42","x":"3-9","id":7,"{other}":{}}`; got != want {
		t.Errorf("expand = %s, want %s", got, want)
	}
	if !tm.uses(phID) || compileTmpl("/x").uses(phID) {
		t.Error("uses")
	}
	if e := luaExpr("/p", compileTmpl("/u/{id}?x={n}")); e != `"/p" .. "/u/" .. id .. "?x=" .. n` {
		t.Errorf("luaExpr = %s", e)
	}
}

func TestSplitPeerURL(t *testing.T) {
	for in, want := range map[string][2]string{
		"http://127.0.0.1:3000/token":                   {"http://127.0.0.1:3000", "/token"},
		"http://127.0.0.1:4010/api/config/v1/user/{id}": {"http://127.0.0.1:4010", "/api/config/v1/user/{id}"},
		"http://h:1":     {"http://h:1", "/"},
		"http://h:1?a=b": {"http://h:1", "/?a=b"},
	} {
		if b, p := splitPeerURL(in); b != want[0] || p != want[1] {
			t.Errorf("splitPeerURL(%q) = %q, %q", in, b, p)
		}
	}
}

// seenReq is what a test server saw of a request.
type seenReq struct {
	method, path, contentType, auth, body string
}

// recorder is a test server that records every request and answers 200,
// or 404 to every third when notFound.
type recorder struct {
	mu       sync.Mutex
	reqs     []seenReq
	notFound bool
	non2xx   int
}

func (rc *recorder) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	b, _ := io.ReadAll(r.Body)
	rc.mu.Lock()
	rc.reqs = append(rc.reqs, seenReq{r.Method, r.URL.RequestURI(), r.Header.Get("Content-Type"), r.Header.Get("Authorization"), string(b)})
	fail := rc.notFound && len(rc.reqs)%3 == 0
	if fail {
		rc.non2xx++
	}
	rc.mu.Unlock()
	if fail {
		http.Error(w, `{"message":"not found"}`, http.StatusNotFound)
		return
	}
	io.WriteString(w, `{"ok":true}`)
}

var digits = regexp.MustCompile(`[0-9]+`)

// shapes are the distinct requests with every number replaced by #.
func shapes(reqs []seenReq) map[seenReq]int {
	m := map[seenReq]int{}
	for _, r := range reqs {
		r.path = digits.ReplaceAllString(r.path, "#")
		r.body = digits.ReplaceAllString(r.body, "#")
		m[r]++
	}
	return m
}

// TestWrkScriptMatchesGo runs every scenario's generated Lua script in
// wrk against a test server for 300 ms and checks that the requests that
// arrive are the ones the Go generator sends for the same scenario.
func TestWrkScriptMatchesGo(t *testing.T) {
	wrk := needWrk(t)
	ctx := context.Background()
	const users = 50
	scenarios := benchScenarios(users, "cid", "s3cret")
	peers := benchPeers(benchFlags{peerToken: "http://127.0.0.1:3000/token", peerClient: "peer:psecret",
		peerGet: "http://127.0.0.1:4010/api/config/v1/user/{id}"}, users)
	for _, p := range peers {
		scenarios = append(scenarios, p.sc)
	}
	gen := &wrkGenerator{path: wrk, cpu: -1, dir: t.TempDir()}
	client := newBenchClient(2)
	for i, sc := range scenarios {
		t.Run(sc.name, func(t *testing.T) {
			var goRec, wrkRec recorder
			goSrv := httptest.NewServer(&goRec)
			defer goSrv.Close()
			wrkSrv := httptest.NewServer(&wrkRec)
			defer wrkSrv.Close()
			spec := loadSpec{token: "tok", sc: sc, conns: 2, d: 300 * time.Millisecond, seed: uint64(i + 1), tag: "tag-x"}
			spec.base = goSrv.URL
			gres := runLoad(ctx, client, spec, time.Second)
			spec.base = wrkSrv.URL
			wres, err := gen.run(ctx, spec)
			if err != nil {
				t.Fatal(err)
			}
			// wrk runs whole seconds; the bench interrupts it at 300 ms,
			// which shows in the duration wrk itself reports.
			if wres.elapsed >= time.Second {
				t.Errorf("a 300 ms wrk run lasted %s", wres.elapsed)
			}
			if gres.errors != 0 || wres.errors != 0 || wres.requests < 10 {
				t.Fatalf("go: %d errors (%s); wrk: %d errors in %d (%s)", gres.errors, gres.firstError,
					wres.errors, wres.requests, wres.firstError)
			}
			// wrk counts whole answers: the headers of one (read off a
			// twin server, which the shapes below do not see) and the body.
			twin := httptest.NewServer(&recorder{})
			hdr, err := bareHeaderBytes(twin.URL, "t")
			twin.Close()
			if err != nil {
				t.Fatal(err)
			}
			if want := hdr + len(`{"ok":true}`); !wres.wire || wres.meanBytes() != want {
				t.Errorf("wrk: mean response size %d (wire %v), want %d", wres.meanBytes(), wres.wire, want)
			}
			gs, ws := shapes(goRec.reqs), shapes(wrkRec.reqs)
			for s := range ws {
				if gs[s] == 0 {
					t.Errorf("wrk sent %+v, which the Go generator never did (it sent %v)", s, gs)
				}
			}
			for s := range gs {
				if ws[s] == 0 {
					t.Errorf("the Go generator sent %+v, which wrk never did in %d requests (it sent %v)", s, len(wrkRec.reqs), ws)
				}
			}
			if sc.noAuth && wrkRec.reqs[0].auth != "" {
				t.Errorf("wrk sent Authorization %q", wrkRec.reqs[0].auth)
			}
			if !sc.noAuth && wrkRec.reqs[0].auth != "Bearer tok" {
				t.Errorf("wrk sent Authorization %q", wrkRec.reqs[0].auth)
			}
			// Ids stay in 1..users, and every create is a new user.
			var ids []string
			names := map[string]bool{}
			for _, r := range wrkRec.reqs {
				if m := regexp.MustCompile(`(?:user/|Users/|user%22|username=user)(\d+)`).FindStringSubmatch(r.path); m != nil {
					ids = append(ids, m[1])
				}
				if m := regexp.MustCompile(`"username":"(bench-tag-x-\d+)"`).FindStringSubmatch(r.body); m != nil {
					if names[m[1]] {
						t.Fatalf("wrk created %s twice", m[1])
					}
					names[m[1]] = true
				}
			}
			distinct := map[string]bool{}
			for _, id := range ids {
				n, _ := strconv.Atoi(id)
				if n < 1 || n > users {
					t.Fatalf("id %d out of 1..%d", n, users)
				}
				distinct[id] = true
			}
			if len(ids) > 200 && len(distinct) < users/2 {
				t.Errorf("%d requests used only %d distinct ids", len(ids), len(distinct))
			}
		})
	}
}

// TestWrkCountsNon2xxAndLimit checks the script's own non-2xx count and
// that a limited run ends once its answers are in.
func TestWrkCountsNon2xxAndLimit(t *testing.T) {
	wrk := needWrk(t)
	var rec recorder
	rec.notFound = true
	srv := httptest.NewServer(&rec)
	defer srv.Close()
	gen := &wrkGenerator{path: wrk, cpu: -1, dir: t.TempDir()}
	sc := benchScenarios(10, "a", "b")[1] // GET user/{id}
	res, err := gen.run(context.Background(), loadSpec{base: srv.URL, token: "t", sc: sc, conns: 2, d: 10 * time.Second, limit: 300, tag: "x"})
	if err != nil {
		t.Fatal(err)
	}
	if res.elapsed >= 10*time.Second {
		t.Errorf("a run limited to 300 answers lasted %s: it was not stopped", res.elapsed)
	}
	rec.mu.Lock()
	defer rec.mu.Unlock()
	if res.requests < 300 || res.requests > int64(len(rec.reqs)) {
		t.Errorf("wrk answered %d; the server saw %d", res.requests, len(rec.reqs))
	}
	// wrk itself counts only status > 399; the script counts every
	// non-2xx, and may miss the answers in flight when wrk stopped.
	if res.errors < int64(rec.non2xx)-2 || res.errors > int64(rec.non2xx) {
		t.Errorf("wrk counted %d non-2xx; the server sent %d", res.errors, rec.non2xx)
	}
	if !strings.HasPrefix(res.firstError, "404: ") {
		t.Errorf("first error %q", res.firstError)
	}
}

// TestBenchRunsWrk runs the whole bench with wrk as its generator.
func TestBenchRunsWrk(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the server")
	}
	needWrk(t)
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	// A second per scenario (wrk's least): under a loaded CI machine one
	// argon2id hash can take longer than a shorter run, which then has no
	// answer and no ratio.
	cmd := exec.CommandContext(ctx, binary, "bench", "--generator", "wrk", "--users", "2000", "--duration", "1s",
		"--bare-duration", "100ms", "--conns", "4", "--creates", "200")
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("gatehouse bench: %v\n%s\n%s", err, stderr.String(), stdout.String())
	}
	out := stdout.String()
	if !strings.Contains(out, "generator: wrk") {
		t.Errorf("the bench does not say it used wrk:\n%s", out)
	}
	row := regexp.MustCompile(`(?m)^\s*(.+?)\s{2,}(\d+)\s.*?\s(\d+)/(\d+)\s+-\s.*?(\d+%)\s*$`)
	rows := row.FindAllStringSubmatch(out, -1)
	names := benchScenarios(2000, "id", "secret")
	if len(rows) != len(names) {
		t.Fatalf("want %d rows with a ratio to the baseline, got %d:\n%s\n%s", len(names), len(rows), out, stderr.String())
	}
	for i, m := range rows {
		if m[1] != names[i].name {
			t.Errorf("row %d is %q, want %q", i, m[1], names[i].name)
		}
		if m[3] != "0" || m[4] == "0" {
			t.Errorf("%s: %s errors in %s requests\n%s", m[1], m[3], m[4], stderr.String())
		}
		if names[i].sustained {
			if n, _ := strconv.Atoi(m[4]); n < 200 {
				t.Errorf("%s: %d creates, want at least --creates 200", m[1], n)
			}
		}
	}
}
