//go:build linux

package main

import (
	"fmt"
	"os"
	"strconv"
	"syscall"

	"golang.org/x/sys/unix"
)

// pinProcess pins every thread of this process to cpu. Threads started
// later inherit the mask of the thread that starts them, so after this
// the whole process stays on cpu.
func pinProcess(cpu int) error {
	var set unix.CPUSet
	set.Set(cpu)
	tasks, err := os.ReadDir("/proc/self/task")
	if err != nil {
		return err
	}
	for _, t := range tasks {
		tid, err := strconv.Atoi(t.Name())
		if err != nil {
			continue
		}
		if err := unix.SchedSetaffinity(tid, &set); err != nil {
			return fmt.Errorf("pin thread %d to CPU %d: %w", tid, cpu, err)
		}
	}
	return nil
}

// cpuCount is how many CPUs this process may run on.
func cpuCount() int {
	var set unix.CPUSet
	if err := unix.SchedGetaffinity(0, &set); err != nil {
		return 0
	}
	return set.Count()
}

// canPin reports whether this platform can pin a child to a CPU.
const canPin = true

// execPinned pins this process to cpu and replaces it with self run with
// args: the affinity mask survives exec, so the new program and every
// thread it starts stay on cpu.
func execPinned(cpu int, args []string) error {
	if err := pinProcess(cpu); err != nil {
		return err
	}
	self, err := os.Executable()
	if err != nil {
		return err
	}
	return syscall.Exec(self, append([]string{self}, args...), os.Environ())
}

// execPinnedProgram pins this process to cpu and replaces it with the
// program at path (wrk) run with args.
func execPinnedProgram(cpu int, path string, args []string) error {
	if err := pinProcess(cpu); err != nil {
		return err
	}
	return syscall.Exec(path, append([]string{path}, args...), os.Environ())
}
