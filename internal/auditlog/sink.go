package auditlog

import (
	"errors"
	"io"
	"net"
	"strings"
	"sync"
)

// Sink receives each forwarded event as one line of JSON, without its
// newline.
type Sink interface {
	Send(line []byte) error
	Close() error
}

// OpenSink opens where --audit-forward sends events: "stdout" (stdout,
// one line each), "syslog" (the local syslog daemon), "syslog://host:port"
// (a syslog server over UDP) or "syslog+tcp://host:port". Syslog messages
// are tagged "gatehouse-audit", facility auth, severity info.
func OpenSink(target string, stdout io.Writer) (Sink, error) {
	switch {
	case target == "stdout":
		return &lineWriter{w: stdout}, nil
	case target == "syslog":
		return dialSyslog("", "")
	case strings.HasPrefix(target, "syslog://"):
		return dialSyslogAddr("udp", strings.TrimPrefix(target, "syslog://"))
	case strings.HasPrefix(target, "syslog+tcp://"):
		return dialSyslogAddr("tcp", strings.TrimPrefix(target, "syslog+tcp://"))
	}
	return nil, ErrTarget
}

// ErrTarget is OpenSink's answer to a target it cannot read.
var ErrTarget = errors.New("want stdout, syslog, syslog://host:port or syslog+tcp://host:port")

func dialSyslogAddr(network, addr string) (Sink, error) {
	if _, port, err := net.SplitHostPort(addr); err != nil || port == "" {
		return nil, ErrTarget
	}
	return dialSyslog(network, addr)
}

// lineWriter writes lines whole, one Write each, so that lines never
// interleave with other writers of the same stream.
type lineWriter struct {
	mu  sync.Mutex
	w   io.Writer
	buf []byte
}

func (l *lineWriter) Send(line []byte) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.buf = append(append(l.buf[:0], line...), '\n')
	_, err := l.w.Write(l.buf)
	return err
}

func (l *lineWriter) Close() error { return nil }
