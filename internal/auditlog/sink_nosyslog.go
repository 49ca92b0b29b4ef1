//go:build windows || plan9

package auditlog

import "errors"

func dialSyslog(network, addr string) (Sink, error) {
	return nil, errors.New("syslog is not available on this system; forward to stdout instead")
}
