package main

import (
	"bytes"
	"context"
	"os/exec"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/gatehouse/gatehouse/internal/dump"
	"github.com/gatehouse/gatehouse/internal/store"
)

func TestHistogramBuckets(t *testing.T) {
	for _, d := range []time.Duration{0, 1, 63, 64, 65, 100, 999, 1234567, time.Second, 17 * time.Minute} {
		got := bucketValue(bucketOf(d))
		if diff := float64(got-d) / float64(max(d, 1)); diff > 0.032 || diff < -0.032 {
			t.Errorf("bucketValue(bucketOf(%d)) = %d: off by %.1f%%", d, got, 100*diff)
		}
	}
	prev := -1
	for d := time.Duration(1); d < time.Hour; d = d*11/10 + 1 {
		b := bucketOf(d)
		if b < prev {
			t.Fatalf("bucketOf(%d) = %d < %d: not monotonic", d, b, prev)
		}
		prev = b
	}
	if b := bucketOf(24 * time.Hour); b >= len(histogram{}.counts) {
		t.Fatalf("bucketOf(24h) = %d is out of range", b)
	}
}

func TestHistogramPercentiles(t *testing.T) {
	var h histogram
	if h.percentile(0.5) != 0 {
		t.Fatal("empty histogram has a p50")
	}
	// 1..1000 ms: p50 is 500 ms, p99 990 ms, p100 the maximum.
	var a, b histogram
	for i := 1; i <= 1000; i++ {
		if i%2 == 0 {
			a.record(time.Duration(i) * time.Millisecond)
		} else {
			b.record(time.Duration(i) * time.Millisecond)
		}
	}
	h.merge(&a)
	h.merge(&b)
	for _, c := range []struct {
		q    float64
		want time.Duration
	}{{0.5, 500 * time.Millisecond}, {0.99, 990 * time.Millisecond}, {1, 1000 * time.Millisecond}, {0, time.Millisecond}} {
		got := h.percentile(c.q)
		if d := float64(got-c.want) / float64(c.want); d > 0.032 || d < -0.032 {
			t.Errorf("p%v = %v, want about %v", c.q*100, got, c.want)
		}
	}
	if h.percentile(1) > time.Second {
		t.Errorf("p100 %v is above the maximum", h.percentile(1))
	}
}

func TestBenchTable(t *testing.T) {
	var out bytes.Buffer
	rows := []benchRow{
		{scenario: "PRA GET user/{id}", rate: 15700, p50: 2500 * time.Microsecond, p99: 8600 * time.Microsecond,
			requests: 157000, cut: 7, rssKB: 29 * 1024, respBytes: 1489, bareRate: 75100, bareP99: 2100 * time.Microsecond},
		{scenario: "token issuance", rate: 6800, p50: 5 * time.Millisecond, p99: 261 * time.Millisecond, errors: 3, requests: 68000},
	}
	if err := writeBenchTable(&out, rows, false); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimRight(out.String(), "\n"), "\n")
	if len(lines) != 3 {
		t.Fatalf("want a header and 2 rows, got:\n%s", out.String())
	}
	for _, want := range []string{"15700", "2.50 ms", "8.60 ms", "0/157000         7 ", "29 MB", "75100", "2.10 ms", "21%"} {
		if !strings.Contains(lines[1], want) {
			t.Errorf("row %q lacks %q", lines[1], want)
		}
	}
	for _, want := range []string{"6800", "261 ms", "3/68000", " - "} {
		if !strings.Contains(lines[2], want) {
			t.Errorf("row %q lacks %q", lines[2], want)
		}
	}
}

func TestBenchTablePeers(t *testing.T) {
	var out bytes.Buffer
	rows := []benchRow{
		{scenario: "token issuance", rate: 9000, p50: time.Millisecond, p99: 20 * time.Millisecond, requests: 90000, cut: -1,
			peerRate: 1200, peerP99: 80 * time.Millisecond},
		{scenario: "PRA list page 1", rate: 400, requests: 4000, cut: -1},
	}
	if err := writeBenchTable(&out, rows, true); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimRight(out.String(), "\n"), "\n")
	if len(lines) != 3 || !strings.HasSuffix(strings.Join(strings.Fields(lines[0]), " "), "vs bare peer req/s peer p99") {
		t.Fatalf("want a header with peer columns and 2 rows, got:\n%s", out.String())
	}
	if f := strings.Fields(lines[1]); f[len(f)-3] != "1200" || f[len(f)-2] != "80.0" || !regexp.MustCompile(`0/90000\s+-\s`).MatchString(lines[1]) {
		t.Errorf("row %q", lines[1])
	}
	if f := strings.Fields(lines[2]); f[len(f)-1] != "-" || f[len(f)-2] != "-" {
		t.Errorf("row without a peer %q", lines[2])
	}
}

func TestBenchDumpImports(t *testing.T) {
	ctx := context.Background()
	st, err := store.Open(ctx, t.TempDir()+"/bench.db")
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	var buf bytes.Buffer
	if err := writeBenchDump(&buf, 250, time.Now()); err != nil {
		t.Fatal(err)
	}
	res, err := dump.Import(ctx, st, &buf, nil)
	if err != nil {
		t.Fatal(err)
	}
	if res.Counts["user"] != 250 || res.RandomPasswords != 0 {
		t.Fatalf("imported %v, %d random passwords", res.Counts, res.RandomPasswords)
	}
	u, err := st.User(ctx, 250)
	if err != nil || u.Username != benchUsername(250) || u.Email != benchEmail(250) {
		t.Fatalf("user 250: %+v %v", u, err)
	}
}

// TestBenchRuns runs the whole bench with tiny settings, as an operator
// would: every scenario must answer without an error, beside a baseline.
func TestBenchRuns(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the server")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, binary, "bench", "--generator", "go", "--users", "2000", "--duration", "300ms",
		"--bare-duration", "100ms", "--conns", "4", "--creates", "200")
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("gatehouse bench: %v\n%s\n%s", err, stderr.String(), stdout.String())
	}
	out := stdout.String()
	if !strings.Contains(stderr.String(), "pinning:") {
		t.Errorf("the bench does not say whether it pinned:\n%s", stderr.String())
	}
	// Requests cut off at a scenario's end (a slow password hash on a
	// busy machine) are allowed; errors are not.
	row := regexp.MustCompile(`(?m)^\s*(.+?)\s{2,}(\d+)\s.*?\s(\d+)/(\d+)\s+\d+\s.*?(\d+%)\s*$`)
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
	}
	if !strings.Contains(out, "VmHWM") {
		t.Errorf("no peak RSS:\n%s", out)
	}
}
