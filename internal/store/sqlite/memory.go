package sqlite

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// Memory is the --db value for an ephemeral directory.
const Memory = "memory"

// memoryPrefix names the directories OpenMemory makes; the process id that
// follows lets a later start tell a crashed process's leftovers from a
// live one's.
const memoryPrefix = "gatehouse-memory-"

// OpenMemory opens a new, empty database that lives only as long as the
// Store: Close removes it.
//
// It is the file store itself, on a file in memory-backed storage
// (/dev/shm, a tmpfs, where there is one), rather than SQLite's in-memory
// VFS: that one has no WAL, so a reader would block the writer and the
// ephemeral server would not behave as the file store does. A process
// killed before Close leaves its directory behind; the next OpenMemory
// removes every such directory whose process is gone.
func OpenMemory(ctx context.Context) (*Store, error) {
	base := memoryBase()
	removeOrphans(base)
	dir, err := os.MkdirTemp(base, memoryPrefix+strconv.Itoa(os.Getpid())+"-")
	if err != nil {
		return nil, fmt.Errorf("sqlite: %w", err)
	}
	s, err := Open(ctx, filepath.Join(dir, "gatehouse.db"))
	if err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	s.removeOnClose = dir
	return s, nil
}

// memoryBase is tmpfs where the system has it, else the temporary
// directory (on disk, but still removed on Close).
func memoryBase() string {
	if fi, err := os.Stat("/dev/shm"); err == nil && fi.IsDir() {
		if f, err := os.CreateTemp("/dev/shm", memoryPrefix+"probe-"); err == nil {
			f.Close()
			os.Remove(f.Name())
			return "/dev/shm"
		}
	}
	return os.TempDir()
}

// removeOrphans removes the directories of ephemeral databases whose
// process no longer runs. Errors are ignored: an orphan left behind costs
// memory, not correctness.
func removeOrphans(base string) {
	entries, _ := os.ReadDir(base)
	for _, e := range entries {
		rest, ok := strings.CutPrefix(e.Name(), memoryPrefix)
		if !ok || !e.IsDir() {
			continue
		}
		pidText, _, _ := strings.Cut(rest, "-")
		pid, err := strconv.Atoi(pidText)
		if err != nil || pid == os.Getpid() || processRuns(pid) {
			continue
		}
		os.RemoveAll(filepath.Join(base, e.Name()))
	}
}
