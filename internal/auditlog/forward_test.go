package auditlog_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gatehouse/gatehouse/internal/auditlog"
	"github.com/gatehouse/gatehouse/internal/directory"
	"github.com/gatehouse/gatehouse/internal/testserver"
)

var quiet = slog.New(slog.NewTextHandler(io.Discard, nil))

// syncBuffer is a bytes.Buffer the forwarder and the test share.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// createUser makes a change through the PRA API, which is audited.
func createUser(t *testing.T, s *testserver.Server, name string) {
	t.Helper()
	resp := s.Do(t, "POST", "/api/config/v1/user", s.AdminToken(t),
		`{"username":"`+name+`","public_display_name":"`+name+`","password":"a password of `+name+`"}`, "Content-Type", "application/json")
	if resp.Status != http.StatusCreated {
		t.Fatalf("create %s: %d %s", name, resp.Status, resp.Body)
	}
}

// rollBack appends an event in a transaction that then fails.
func rollBack(t *testing.T, s *testserver.Server) {
	t.Helper()
	err := s.Store().Write(context.Background(), func(tx directory.Tx) error {
		if err := tx.AppendEvent(context.Background(), &directory.Event{Actor: "cli", Action: "user.rolled_back", TargetType: "user", TargetID: 99}); err != nil {
			return err
		}
		return errors.New("changed my mind")
	})
	if err == nil {
		t.Fatal("the write did not fail")
	}
}

// waitFor polls until got() holds want, for up to five seconds.
func waitFor(t *testing.T, got func() string, want string) string {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !strings.Contains(got(), want) {
		if time.Now().After(deadline) {
			t.Fatalf("no %q within five seconds in:\n%s", want, got())
		}
		time.Sleep(10 * time.Millisecond)
	}
	return got()
}

// Forwarding to stdout writes each committed event once, as the JSON line
// gatehouse audit --json prints, from the events after its start; a write
// that rolled back is never forwarded.
func TestForwardsCommittedEventsOnly(t *testing.T) {
	s := testserver.New(t)
	createUser(t, s, "before")
	out := &syncBuffer{}
	sink, err := auditlog.OpenSink("stdout", out)
	if err != nil {
		t.Fatal(err)
	}
	fwd, err := auditlog.Start(context.Background(), s.Service(), sink, quiet, 10*time.Millisecond)
	if err != nil {
		t.Fatal(err)
	}
	rollBack(t, s)
	createUser(t, s, "alice")
	waitFor(t, out.String, `"username":"alice"`)
	rollBack(t, s)
	createUser(t, s, "bob")
	fwd.Stop() // sends what committed before it, without waiting for a tick
	lines := strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n")
	if len(lines) != 2 {
		t.Fatalf("forwarded %d lines, want alice's and bob's:\n%s", len(lines), out.String())
	}
	for i, name := range []string{"alice", "bob"} {
		var rec map[string]any
		if err := json.Unmarshal([]byte(lines[i]), &rec); err != nil {
			t.Fatalf("line %q: %v", lines[i], err)
		}
		after, _ := rec["after"].(map[string]any)
		if rec["action"] != "user.create" || !strings.HasPrefix(rec["actor"].(string), "api_account:1 (") || rec["target_type"] != "user" ||
			rec["before"] != nil || after["username"] != name || len(rec) != 8 {
			t.Errorf("line %d: %s", i, lines[i])
		}
	}
	if strings.Contains(out.String(), "a password of") || strings.Contains(out.String(), "rolled_back") {
		t.Errorf("forwarded a password or a rolled-back write:\n%s", out.String())
	}
}

// Forwarding to a syslog server sends each event as one UDP message,
// tagged gatehouse-audit.
func TestForwardsToSyslogOverUDP(t *testing.T) {
	s := testserver.New(t)
	pc, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer pc.Close()
	sink, err := auditlog.OpenSink("syslog://"+pc.LocalAddr().String(), nil)
	if err != nil {
		t.Fatal(err)
	}
	fwd, err := auditlog.Start(context.Background(), s.Service(), sink, quiet, 10*time.Millisecond)
	if err != nil {
		t.Fatal(err)
	}
	defer fwd.Stop()
	rollBack(t, s)
	createUser(t, s, "carol")
	_ = pc.SetReadDeadline(time.Now().Add(5 * time.Second))
	buf := make([]byte, 64<<10)
	n, _, err := pc.ReadFrom(buf)
	if err != nil {
		t.Fatal(err)
	}
	msg := string(buf[:n])
	// <facility auth (4) * 8 + severity info (6)>, then the tag.
	if !strings.HasPrefix(msg, "<38>") || !strings.Contains(msg, "gatehouse-audit") ||
		!strings.Contains(msg, `"action":"user.create"`) || !strings.Contains(msg, `"username":"carol"`) {
		t.Errorf("syslog message %q", msg)
	}
}

func TestOpenSinkRefusesUnknownTargets(t *testing.T) {
	for _, target := range []string{"", "stderr", "syslog:", "syslog://", "syslog://host", "udp://h:514", "file:///tmp/x"} {
		if _, err := auditlog.OpenSink(target, io.Discard); !errors.Is(err, auditlog.ErrTarget) {
			t.Errorf("OpenSink(%q): %v, want ErrTarget", target, err)
		}
	}
}

// flakySink refuses its first sends, as a syslog server that is down would.
type flakySink struct {
	mu      sync.Mutex
	refuse  int
	lines   []string
	refused int
}

func (f *flakySink) Send(line []byte) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.refused < f.refuse {
		f.refused++
		return errors.New("connection refused")
	}
	f.lines = append(f.lines, string(line))
	return nil
}

func (f *flakySink) Close() error { return nil }

func (f *flakySink) String() string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return strings.Join(f.lines, "\n")
}

// Events the sink refuses are sent again, in order, once it takes them.
func TestForwardRetriesARefusingSink(t *testing.T) {
	s := testserver.New(t)
	sink := &flakySink{refuse: 3}
	fwd, err := auditlog.Start(context.Background(), s.Service(), sink, quiet, 10*time.Millisecond)
	if err != nil {
		t.Fatal(err)
	}
	createUser(t, s, "dave")
	createUser(t, s, "erin")
	waitFor(t, sink.String, `"username":"erin"`)
	fwd.Stop()
	got := sink.String()
	if strings.Count(got, "\n") != 1 || strings.Index(got, `"username":"dave"`) > strings.Index(got, `"username":"erin"`) {
		t.Errorf("after refusals, sent:\n%s\nwant dave's event then erin's, once each", got)
	}
}
