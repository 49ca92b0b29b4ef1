package main

import (
	"bufio"
	"crypto/tls"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/gatehouse/gatehouse/internal/pgtest"
	"github.com/gatehouse/gatehouse/internal/testserver"
)

// binary is the gatehouse executable built once for the process tests,
// which run it as an operator would.
var binary string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "gatehouse-bin")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	binary = filepath.Join(dir, "gatehouse")
	build := exec.Command("go", "build", "-o", binary, ".")
	build.Stderr = os.Stderr
	if err := build.Run(); err != nil {
		fmt.Fprintln(os.Stderr, "build:", err)
		os.Exit(1)
	}
	pgtest.Main(m)
	os.RemoveAll(dir)
}

// proc is a running `gatehouse serve`.
type proc struct {
	cmd    *exec.Cmd
	url    string
	stdout *strings.Builder
	mu     *sync.Mutex
	done   chan error
}

var listening = regexp.MustCompile(`msg=listening url=(\S+)`)

// start runs `gatehouse serve` on db with extra flags and waits until it
// listens.
func start(t *testing.T, db string, flags ...string) *proc {
	t.Helper()
	args := append([]string{"serve", "--addr", "127.0.0.1:0", "--db", db, "--rate-limit", "0"}, flags...)
	cmd := exec.Command(binary, args...)
	cmd.Env = append(os.Environ(), "GATEHOUSE_BOOTSTRAP_CLIENT_ID=", "GATEHOUSE_BOOTSTRAP_CLIENT_SECRET=")
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	p := &proc{cmd: cmd, stdout: &strings.Builder{}, mu: &sync.Mutex{}, done: make(chan error, 1)}
	cmd.Stdout = lockedWriter{p.mu, p.stdout}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	urlc := make(chan string, 1)
	var logs strings.Builder
	go func() {
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			line := sc.Text()
			p.mu.Lock()
			logs.WriteString(line + "\n")
			p.mu.Unlock()
			if m := listening.FindStringSubmatch(line); m != nil {
				urlc <- m[1]
			}
		}
	}()
	go func() { p.done <- cmd.Wait() }()
	select {
	case p.url = <-urlc:
	case err := <-p.done:
		t.Fatalf("gatehouse serve exited: %v\n%s", err, logs.String())
	case <-time.After(20 * time.Second):
		cmd.Process.Kill()
		t.Fatalf("gatehouse serve did not start:\n%s", logs.String())
	}
	t.Cleanup(func() {
		if cmd.ProcessState == nil {
			cmd.Process.Kill()
			<-p.done
		}
	})
	return p
}

type lockedWriter struct {
	mu *sync.Mutex
	w  io.Writer
}

func (l lockedWriter) Write(b []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(b)
}

func (p *proc) output() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.stdout.String()
}

// stop sends sig and waits for the process to exit.
func (p *proc) stop(t *testing.T, sig syscall.Signal) error {
	t.Helper()
	if err := p.cmd.Process.Signal(sig); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-p.done:
		return err
	case <-time.After(30 * time.Second):
		t.Fatal("gatehouse serve did not exit")
		return nil
	}
}

var credLine = regexp.MustCompile(`client_(id|secret):\s+(\S+)`)

// credentials reads the client id and secret the process printed.
func credentials(t *testing.T, out string) (id, secret string) {
	t.Helper()
	for _, m := range credLine.FindAllStringSubmatch(out, -1) {
		if m[1] == "id" {
			id = m[2]
		} else {
			secret = m[2]
		}
	}
	if id == "" || secret == "" {
		t.Fatalf("no credentials printed in %q", out)
	}
	return id, secret
}

func client() *http.Client {
	return &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{
		TLSClientConfig: &tls.Config{InsecureSkipVerify: true}, // the self-signed test certificate
	}}
}

func token(t *testing.T, base, id, secret string) string {
	t.Helper()
	resp, err := client().PostForm(base+"/oauth2/token", url.Values{
		"grant_type": {"client_credentials"}, "client_id": {id}, "client_secret": {secret}})
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var body struct {
		AccessToken string `json:"access_token"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&body); err != nil || resp.StatusCode != 200 {
		t.Fatalf("token: %d %v", resp.StatusCode, err)
	}
	return body.AccessToken
}

func call(t *testing.T, method, u, tok, body string) (int, []byte) {
	t.Helper()
	req, err := http.NewRequest(method, u, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+tok)
	req.Header.Set("Content-Type", "application/json")
	resp, err := client().Do(req)
	if err != nil {
		return 0, nil
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, b
}

func TestFirstStartPrintsBootstrapCredentialsOnce(t *testing.T) {
	db := dsnFor(t)
	p := start(t, db)
	id, secret := p.credentials(t)
	tok := token(t, p.url, id, secret)
	if code, body := call(t, "GET", p.url+"/api/config/v1/user", tok, ""); code != 200 {
		t.Fatalf("GET /user with the bootstrap token: %d %s", code, body)
	}
	if err := p.stop(t, syscall.SIGTERM); err != nil {
		t.Fatalf("SIGTERM: exit %v, want 0", err)
	}
	p = start(t, db)
	if out := p.output(); strings.Contains(out, "client_secret") {
		t.Fatalf("second start printed a secret again: %q", out)
	}
	token(t, p.url, id, secret) // the account survived the restart
}

func TestFixedBootstrapCredentials(t *testing.T) {
	db := dsnFor(t)
	const id, secret = "ci-client", "ci-secret-0123456789abcdef0123456789abcdef"
	p := start(t, db, "--bootstrap-client-id", id, "--bootstrap-client-secret", secret)
	if strings.Contains(p.output(), secret) {
		t.Fatal("a secret the operator fixed was printed")
	}
	token(t, p.url, id, secret)
}

// A request still being sent when SIGTERM arrives is served before exit.
func TestGracefulShutdownFinishesInFlightRequests(t *testing.T) {
	p := start(t, dsnFor(t))
	id, secret := p.credentials(t)
	tok := token(t, p.url, id, secret)

	pr, pw := io.Pipe()
	req, _ := http.NewRequest("POST", p.url+"/api/config/v1/user", pr)
	req.Header.Set("Authorization", "Bearer "+tok)
	req.Header.Set("Content-Type", "application/json")
	result := make(chan int, 1)
	go func() {
		resp, err := client().Do(req)
		if err != nil {
			result <- 0
			return
		}
		resp.Body.Close()
		result <- resp.StatusCode
	}()
	io.WriteString(pw, `{"username":"inflight",`)
	time.Sleep(200 * time.Millisecond) // the request is now being read
	exited := make(chan error, 1)
	go func() { exited <- p.stop(t, syscall.SIGTERM) }()
	time.Sleep(200 * time.Millisecond)
	io.WriteString(pw, `"public_display_name":"In Flight"}`)
	pw.Close()
	if code := <-result; code != http.StatusCreated {
		t.Fatalf("in-flight request: status %d, want 201", code)
	}
	if err := <-exited; err != nil {
		t.Fatalf("exit: %v", err)
	}
}

func TestSelfSignedTLS(t *testing.T) {
	p := start(t, dsnFor(t), "--tls-self-signed")
	if !strings.HasPrefix(p.url, "https://") {
		t.Fatalf("url %s is not https", p.url)
	}
	id, secret := p.credentials(t)
	tok := token(t, p.url, id, secret)
	if code, _ := call(t, "GET", p.url+"/api/config/v1/user", tok, ""); code != 200 {
		t.Fatalf("GET over TLS: %d", code)
	}
}

// dsnFor returns a fresh database for one process test, of the store kind
// the test run selects.
func dsnFor(t *testing.T) string { return testserver.DSN(t) }

// credentials waits for the bootstrap credentials on the process's stdout,
// which is copied apart from the stderr that said it listens.
func (p *proc) credentials(t *testing.T) (id, secret string) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !strings.Contains(p.output(), "client_secret:") && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	return credentials(t, p.output())
}
