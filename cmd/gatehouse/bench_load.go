package main

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"math/bits"
	"math/rand/v2"
	"net"
	"net/http"
	"os"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"text/tabwriter"
	"time"
)

// histogram records latencies in log-linear buckets: exact below 64 ns,
// then 32 buckets per power of two (under 3.2% error), in fixed memory.
type histogram struct {
	counts [64 + 58*32]int64
	n      int64
	max    time.Duration
}

func bucketOf(d time.Duration) int {
	v := uint64(max(d, 0))
	if v < 64 {
		return int(v)
	}
	e := bits.Len64(v) - 6 // v>>e is in [32, 64)
	return 64 + (e-1)*32 + int(v>>e) - 32
}

// bucketValue is the middle of bucket i.
func bucketValue(i int) time.Duration {
	if i < 64 {
		return time.Duration(i)
	}
	e := (i-64)/32 + 1
	m := uint64((i-64)%32 + 32)
	return time.Duration(m<<e + (uint64(1)<<e)/2)
}

func (h *histogram) record(d time.Duration) {
	h.counts[bucketOf(d)]++
	h.n++
	if d > h.max {
		h.max = d
	}
}

func (h *histogram) merge(o *histogram) {
	for i, c := range o.counts {
		h.counts[i] += c
	}
	h.n += o.n
	h.max = max(h.max, o.max)
}

// percentile returns the latency below which a fraction q of the samples
// fall (the nearest-rank method), 0 with no samples.
func (h *histogram) percentile(q float64) time.Duration {
	if h.n == 0 {
		return 0
	}
	rank := int64(q*float64(h.n) + 0.9999999)
	rank = min(max(rank, 1), h.n)
	var seen int64
	for i, c := range h.counts {
		seen += c
		if seen >= rank {
			return min(bucketValue(i), h.max)
		}
	}
	return h.max
}

// loadResult is what a scenario run measured.
type loadResult struct {
	requests, errors int64
	cut              int64 // requests cut off at the end, neither answered nor errors
	elapsed          time.Duration
	hist             histogram
	bytes            int64 // response body bytes, or with wire, whole responses
	wire             bool  // bytes counts status lines and headers too (wrk)
	firstError       string
	// p50 and p99 are the latency percentiles (from hist for the Go
	// generator, from wrk's own histogram for wrk).
	p50, p99 time.Duration
}

func (r *loadResult) rate() float64 {
	if r.elapsed <= 0 {
		return 0
	}
	return float64(r.requests) / r.elapsed.Seconds()
}

func (r *loadResult) meanBytes() int {
	if r.requests == 0 {
		return 0
	}
	return int(r.bytes / r.requests)
}

// newBenchClient returns a keep-alive client for conns connections.
func newBenchClient(conns int) *http.Client {
	return &http.Client{Timeout: 60 * time.Second, Transport: &http.Transport{
		DialContext:         (&net.Dialer{Timeout: 10 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
		MaxIdleConns:        conns,
		MaxIdleConnsPerHost: conns,
		MaxConnsPerHost:     conns,
		DisableCompression:  true,
		IdleConnTimeout:     90 * time.Second,
	}}
}

// loadSpec is one load run: a scenario against one target.
type loadSpec struct {
	base, token string
	sc          scenario
	conns       int
	// d is how long it runs; with limit, how long it may run at most.
	d time.Duration
	// limit, when positive, ends the run after that many responses.
	limit int64
	seed  uint64
	// tag is {run}: unique to this load run.
	tag string
}

// runLoad runs s.sc against s.base with s.conns workers, each with its own
// connection, for s.d (or until s.limit requests are answered), and
// measures every response. Requests still running grace after the end
// are cut off and counted, so that a scenario whose requests take longer
// than the run still ends.
func runLoad(ctx context.Context, client *http.Client, s loadSpec, grace time.Duration) *loadResult {
	results := make([]*loadResult, s.conns)
	var wg sync.WaitGroup
	start := time.Now()
	deadline := start.Add(s.d)
	parent := ctx
	ctx, cancel := context.WithDeadline(ctx, deadline.Add(grace))
	defer cancel()
	// With a limit, each request claims a slot first, so exactly limit
	// requests are sent and the run ends with the last answer.
	var counter, claimed atomic.Int64
	nextN := func() int64 { return counter.Add(1) }
	for w := range s.conns {
		res := &loadResult{}
		results[w] = res
		wg.Add(1)
		go func() {
			defer wg.Done()
			rng := rand.New(rand.NewPCG(s.seed, uint64(w)))
			buf := make([]byte, 32<<10)
			for i := 0; ctx.Err() == nil; i++ {
				t0 := time.Now()
				if !t0.Before(deadline) {
					return
				}
				if s.limit > 0 && claimed.Add(1) > s.limit {
					return
				}
				br := s.sc.next(rng, s.tag, nextN, w, i)
				var body io.Reader
				if br.body != nil {
					body = bytes.NewReader(br.body)
				}
				req, err := http.NewRequestWithContext(ctx, br.method, s.base+br.path, body)
				if err != nil {
					res.fail(err.Error())
					continue
				}
				if br.contentType != "" {
					req.Header.Set("Content-Type", br.contentType)
				}
				if !s.sc.noAuth {
					req.Header.Set("Authorization", "Bearer "+s.token)
				}
				resp, err := client.Do(req)
				if err != nil {
					if parent.Err() != nil {
						return
					}
					if ctx.Err() != nil {
						// Its latency is a lower bound, but leaving it out
						// would hide the slowest requests.
						res.cut++
						res.hist.record(time.Since(t0))
						return
					}
					res.fail(err.Error())
					res.hist.record(time.Since(t0))
					continue
				}
				var n int64
				var head []byte
				for {
					k, err := resp.Body.Read(buf)
					if n == 0 && res.firstError == "" {
						head = append(head, buf[:min(k, 300)]...)
					}
					n += int64(k)
					if err != nil {
						break
					}
				}
				resp.Body.Close()
				res.hist.record(time.Since(t0))
				res.requests++
				res.bytes += n
				if resp.StatusCode < 200 || resp.StatusCode > 299 {
					res.fail(br.method + " " + br.path + ": " + resp.Status + ": " + string(head))
				}
			}
		}()
	}
	wg.Wait()
	total := &loadResult{elapsed: time.Since(start)}
	for _, r := range results {
		total.requests += r.requests
		total.errors += r.errors
		total.cut += r.cut
		total.bytes += r.bytes
		total.hist.merge(&r.hist)
		if total.firstError == "" {
			total.firstError = r.firstError
		}
	}
	total.p50, total.p99 = total.hist.percentile(0.50), total.hist.percentile(0.99)
	return total
}

func (r *loadResult) fail(msg string) {
	r.errors++
	if r.firstError == "" {
		r.firstError = msg
	}
}

// benchRow is one line of the result table.
type benchRow struct {
	scenario   string
	rate       float64
	p50, p99   time.Duration
	errors     int64
	requests   int64
	cut        int64 // -1: not known (wrk does not report requests in flight at the end)
	rssKB      int64 // peak server RSS during the scenario; 0 when unknown
	bareRate   float64
	bareP99    time.Duration
	respBytes  int
	firstError string
	// peerRate and peerP99 are the same scenario against a peer
	// (--peer-token, --peer-get); peerRate 0 when none.
	peerRate float64
	peerP99  time.Duration
}

// writeBenchTable prints rows as one aligned table, with a peer's rate
// and p99 in two more columns when peers.
func writeBenchTable(w io.Writer, rows []benchRow, peers bool) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	head := "scenario\t req/s\t p50\t p99\t errors\t cut off\t server peak RSS\t resp bytes\t bare req/s\t bare p99\t vs bare\t"
	if peers {
		head += " peer req/s\t peer p99\t"
	}
	fmt.Fprintln(tw, head)
	for _, r := range rows {
		rss, bare, bareP99, ratio, cut := "-", "-", "-", "-", "-"
		if r.rssKB > 0 {
			rss = fmt.Sprintf("%.0f MB", float64(r.rssKB)/1024)
		}
		if r.bareRate > 0 {
			bare = fmt.Sprintf("%.0f", r.bareRate)
			bareP99 = fmtLatency(r.bareP99)
			ratio = fmt.Sprintf("%.0f%%", 100*r.rate/r.bareRate)
		}
		if r.cut >= 0 {
			cut = strconv.FormatInt(r.cut, 10)
		}
		fmt.Fprintf(tw, "%s\t %.0f\t %s\t %s\t %d/%d\t %s\t %s\t %d\t %s\t %s\t %s\t", r.scenario, r.rate,
			fmtLatency(r.p50), fmtLatency(r.p99), r.errors, r.requests, cut, rss, r.respBytes, bare, bareP99, ratio)
		if peers {
			peer, peerP99 := "-", "-"
			if r.peerRate > 0 {
				peer, peerP99 = fmt.Sprintf("%.0f", r.peerRate), fmtLatency(r.peerP99)
			}
			fmt.Fprintf(tw, " %s\t %s\t", peer, peerP99)
		}
		fmt.Fprintln(tw)
	}
	return tw.Flush()
}

// fmtLatency prints d in milliseconds with three significant digits.
func fmtLatency(d time.Duration) string {
	ms := float64(d) / float64(time.Millisecond)
	switch {
	case ms >= 100:
		return fmt.Sprintf("%.0f ms", ms)
	case ms >= 10:
		return fmt.Sprintf("%.1f ms", ms)
	default:
		return fmt.Sprintf("%.2f ms", ms)
	}
}

// rssSampler polls a process's resident set size.
type rssSampler struct {
	pid  int
	mu   sync.Mutex
	peak int64
	stop chan struct{}
	done chan struct{}
}

// procStatusKB reads a "Name:   123 kB" field of /proc/pid/status.
func procStatusKB(pid int, field string) int64 {
	f, err := os.Open("/proc/" + strconv.Itoa(pid) + "/status")
	if err != nil {
		return 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), field+":"); ok {
			n, _ := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
			return n
		}
	}
	return 0
}

func startRSS(pid int) *rssSampler {
	s := &rssSampler{pid: pid, stop: make(chan struct{}), done: make(chan struct{})}
	if pid == 0 {
		close(s.done)
		return s
	}
	go func() {
		defer close(s.done)
		t := time.NewTicker(100 * time.Millisecond)
		defer t.Stop()
		for {
			if kb := procStatusKB(pid, "VmRSS"); kb > 0 {
				s.mu.Lock()
				s.peak = max(s.peak, kb)
				s.mu.Unlock()
			}
			select {
			case <-s.stop:
				return
			case <-t.C:
			}
		}
	}()
	return s
}

// end stops sampling and returns the peak in kB (0 when unknown).
func (s *rssSampler) end() int64 {
	if s.pid != 0 {
		close(s.stop)
	}
	<-s.done
	return s.peak
}
