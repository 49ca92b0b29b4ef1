//go:build !linux

package main

import (
	"errors"
	"runtime"
)

var errNoPinning = errors.New("CPU pinning is only implemented on Linux")

func pinProcess(int) error { return errNoPinning }

func cpuCount() int { return runtime.NumCPU() }

const canPin = false

func execPinned(int, []string) error { return errNoPinning }

func execPinnedProgram(int, string, []string) error { return errNoPinning }
