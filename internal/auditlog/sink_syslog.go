//go:build !windows && !plan9

package auditlog

import "log/syslog"

// syslogSink sends each line as one syslog message.
type syslogSink struct{ w *syslog.Writer }

// dialSyslog connects to syslog: the local daemon when network is empty.
func dialSyslog(network, addr string) (Sink, error) {
	w, err := syslog.Dial(network, addr, syslog.LOG_AUTH|syslog.LOG_INFO, "gatehouse-audit")
	if err != nil {
		return nil, err
	}
	return syslogSink{w}, nil
}

func (s syslogSink) Send(line []byte) error {
	_, err := s.w.Write(line)
	return err
}

func (s syslogSink) Close() error { return s.w.Close() }
