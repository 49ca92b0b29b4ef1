package main

import (
	"bufio"
	"net"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestReadTimeoutCutsOffSlowClients runs the server with --read-timeout 1s
// and clients that send one byte per 100 ms, which would take 10 s to
// finish: each is answered (the body's, 408 in the face's dialect) or hung
// up on within a little more than the timeout.
func TestReadTimeoutCutsOffSlowClients(t *testing.T) {
	p := start(t, dsnFor(t), "--read-timeout", "1s")
	id, secret := p.credentials(t)
	tok := token(t, p.url, id, secret)
	const trickle = 100
	for _, c := range []struct {
		name, fast, slow, want string
	}{
		{"headers", "", "GET /healthz HTTP/1.1\r\nHost: gatehouse\r\nX-Slow: " + strings.Repeat("a", trickle), ""},
		{"PRA body", "POST /api/config/v1/user HTTP/1.1\r\nHost: gatehouse\r\nAuthorization: Bearer " + tok +
			"\r\nContent-Type: application/json\r\nContent-Length: " + strconv.Itoa(trickle) + "\r\n\r\n",
			strings.Repeat(" ", trickle), "HTTP/1.1 408 "},
		{"token form", "POST /oauth2/token HTTP/1.1\r\nHost: gatehouse\r\nContent-Type: application/x-www-form-urlencoded" +
			"\r\nContent-Length: " + strconv.Itoa(trickle) + "\r\n\r\n", strings.Repeat("a", trickle), "HTTP/1.1 400 "},
	} {
		t.Run(c.name, func(t *testing.T) {
			status, took := slowRequest(t, p.url, c.fast, c.slow)
			if took > 3*time.Second {
				t.Errorf("the server waited %v for a client sending a byte per 100 ms", took)
			}
			if !strings.HasPrefix(status, c.want) {
				t.Errorf("answered %q, want %q", status, c.want)
			}
		})
	}
}

// slowRequest sends fast at once and then slow a byte per 100 ms, until
// the server answers or hangs up; it returns the answer's status line ("" if
// none) and how long the server took.
func slowRequest(t *testing.T, base, fast, slow string) (string, time.Duration) {
	u, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	conn, err := net.Dial("tcp", u.Host)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	start := time.Now()
	if _, err := conn.Write([]byte(fast)); err != nil {
		t.Fatal(err)
	}
	stop := make(chan struct{})
	defer close(stop)
	go func() {
		for i := 0; i < len(slow); i++ {
			select {
			case <-stop:
				return
			case <-time.After(100 * time.Millisecond):
			}
			if _, err := conn.Write([]byte{slow[i]}); err != nil {
				return
			}
		}
	}()
	_ = conn.SetReadDeadline(time.Now().Add(15 * time.Second))
	line, _ := bufio.NewReader(conn).ReadString('\n')
	return strings.TrimSpace(line), time.Since(start)
}

// TestServeLimitFlags refuses limits that cannot work.
func TestServeLimitFlags(t *testing.T) {
	for _, args := range [][]string{
		{"--max-body-bytes", "0"},
		{"--max-body-bytes", "-1"},
		{"--read-timeout", "0s"},
		{"--read-timeout", "-1s"},
	} {
		var out, errOut strings.Builder
		err := runServe(t.Context(), append([]string{"--db", dsnFor(t)}, args...), &out, &errOut)
		if _, usage := err.(usageError); !usage || !strings.Contains(err.Error(), args[0]) {
			t.Errorf("serve %q: %v, want a usage error naming %s", args, err, args[0])
		}
	}
}
