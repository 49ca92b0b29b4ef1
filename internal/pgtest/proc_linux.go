package pgtest

import (
	"errors"
	"os"
	"os/user"
	"strconv"
	"syscall"
)

// runAs returns how to run the PostgreSQL binaries, which refuse to run as
// root: as root, as the postgres user (and chown gives it the directory).
// The server is killed if the test binary dies without stopping it.
func runAs() (*syscall.SysProcAttr, func(path string) error, error) {
	attr := &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	if os.Geteuid() != 0 {
		return attr, func(string) error { return nil }, nil
	}
	u, err := user.Lookup("postgres")
	if err != nil {
		return nil, nil, errors.New("running as root, and there is no postgres user to run PostgreSQL as")
	}
	uid, _ := strconv.Atoi(u.Uid)
	gid, _ := strconv.Atoi(u.Gid)
	attr.Credential = &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid)}
	return attr, func(path string) error { return os.Chown(path, uid, gid) }, nil
}
