//go:build !linux

package pgtest

import (
	"errors"
	"os"
	"syscall"
)

// runAs returns how to run the PostgreSQL binaries: as this user, which
// must not be root (PostgreSQL refuses to run as root).
func runAs() (*syscall.SysProcAttr, func(path string) error, error) {
	if os.Geteuid() == 0 {
		return nil, nil, errors.New("running as root: PostgreSQL must run as another user, which pgtest arranges on Linux only")
	}
	return nil, func(string) error { return nil }, nil
}
