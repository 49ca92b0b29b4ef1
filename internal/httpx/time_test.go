package httpx

import (
	"testing"
	"time"
)

func TestParseUTC(t *testing.T) {
	want := time.Date(2025, 10, 16, 14, 46, 25, 0, time.UTC)
	for _, s := range []string{"2025-10-16T14:46:25.930+00:00", "2025-10-16T14:46:25+00:00", "2025-10-16T14:46:25.930Z", "2025-10-16T14:46:25Z"} {
		got, ok := ParseUTC(s)
		if !ok || !got.Equal(want) || got.Location() != time.UTC {
			t.Errorf("ParseUTC(%q) = %v, %v; want %v", s, got, ok, want)
		}
	}
	for _, s := range []string{
		"2025-10-16T14:46:25.930", "2026-10-16T14:46:23", // no zone
		"2025-10-16T14:46:25.930-08:00", "2026-10-16T14:46:23+04:00", "2026-10-16T14:46:23-00:00", // not UTC
		"2026-10-16", "2026-13-16T14:46:23Z", "2026-10-16 14:46:23Z", "", "Z", "+00:00", "yesterday",
	} {
		if got, ok := ParseUTC(s); ok {
			t.Errorf("ParseUTC(%q) = %v, want refusal", s, got)
		}
	}
}

func TestAppendUTC(t *testing.T) {
	t0 := time.Date(2026, 1, 2, 3, 4, 5, 999_000_000, time.FixedZone("CET", 3600))
	if got, want := string(AppendUTC(nil, t0)), "2026-01-02T02:04:05+00:00"; got != want {
		t.Errorf("AppendUTC = %q, want %q", got, want)
	}
}
