package testserver

import (
	"io"
	"net"
	"net/url"
	"strings"
	"testing"
	"time"
)

// Raw sends one HTTP/1.1 request as written (head lines without the
// trailing blank line; Host and Connection: close are added) and returns
// the response exactly as it came over the wire. Go's client canonicalises
// header names as it parses them, so only the raw bytes show how the
// server spelt them.
func (s *Server) Raw(t testing.TB, head ...string) string {
	t.Helper()
	u, err := url.Parse(s.URL)
	if err != nil {
		t.Fatal(err)
	}
	conn, err := net.DialTimeout("tcp", u.Host, 5*time.Second)
	if err != nil {
		t.Fatalf("dial %s: %v", u.Host, err)
	}
	defer conn.Close()
	_ = conn.SetDeadline(time.Now().Add(10 * time.Second))
	req := strings.Join(append(head, "Host: "+u.Host, "Connection: close"), "\r\n") + "\r\n\r\n"
	if _, err := io.WriteString(conn, req); err != nil {
		t.Fatalf("write request: %v", err)
	}
	b, err := io.ReadAll(conn)
	if err != nil {
		t.Fatalf("read response: %v", err)
	}
	return string(b)
}
