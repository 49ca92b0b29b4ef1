//go:build unix

package sqlite

import (
	"errors"
	"io/fs"
	"os"
	"syscall"
)

// shmDMS is the byte of a WAL database's -shm file on which every process
// that has the database open holds a shared lock for as long as it does
// (SQLite's "dead man switch", UNIX_SHM_DMS in os_unix.c).
const shmDMS = 128

// ErrInUse says a process (a running server, a command beside it) has the
// database open.
var ErrInUse = errors.New("the database is in use: stop the server (and any gatehouse command on it) first")

// holdUnused takes an exclusive lock on the DMS byte, which fails while
// any other process holds its shared lock, and keeps it until release: a
// server starting meanwhile cannot open the database until then. A
// database with no -shm file is open nowhere.
func holdUnused(path string) (release func(), err error) {
	f, err := os.OpenFile(path+"-shm", os.O_RDWR, 0)
	if errors.Is(err, fs.ErrNotExist) {
		return func() {}, nil
	}
	if err != nil {
		return nil, err
	}
	lock := syscall.Flock_t{Type: syscall.F_WRLCK, Whence: 0, Start: shmDMS, Len: 1}
	if err := syscall.FcntlFlock(f.Fd(), syscall.F_SETLK, &lock); err != nil {
		f.Close()
		if errors.Is(err, syscall.EAGAIN) || errors.Is(err, syscall.EACCES) {
			return nil, ErrInUse
		}
		return nil, err
	}
	return func() { f.Close() }, nil // closing drops the lock
}

// processRuns reports whether a process with the id exists (signal 0
// checks without sending anything; EPERM means it exists as another user).
func processRuns(pid int) bool {
	err := syscall.Kill(pid, 0)
	return err == nil || errors.Is(err, syscall.EPERM)
}
