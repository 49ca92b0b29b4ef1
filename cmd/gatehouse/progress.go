package main

import (
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/gatehouse/gatehouse/internal/dump"
)

// progress shows how an export or import is getting on, one record type
// at a time. On a terminal it redraws one line per type at most ten times
// a second; anywhere else (a log, a pipe) it writes one summary line per
// type when the type is done.
type progress struct {
	w        io.Writer
	terminal bool
	now      func() time.Time

	label        string
	total, done  int
	start, drawn time.Time
}

var _ dump.Progress = (*progress)(nil)

func newProgress(w io.Writer) *progress {
	return &progress{w: w, terminal: isTerminal(w), now: time.Now}
}

// isTerminal reports whether w is a character device. golang.org/x/term
// would also tell a terminal from /dev/null, which is not worth a
// dependency: a bar drawn into /dev/null harms nobody.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}

// redraw is the shortest time between two drawings of the line.
const redraw = 100 * time.Millisecond

func (p *progress) Begin(typ string, total int) {
	p.label, p.total, p.done = labels[typ], total, 0
	p.start = p.now()
	if p.terminal {
		p.draw(p.start)
	}
}

func (p *progress) Add(n int) {
	p.done += n
	if !p.terminal {
		return
	}
	if t := p.now(); t.Sub(p.drawn) >= redraw {
		p.draw(t)
	}
}

func (p *progress) End() {
	t := p.now()
	if p.terminal {
		p.draw(t)
		fmt.Fprintln(p.w)
		return
	}
	took := t.Sub(p.start)
	if took < time.Second {
		fmt.Fprintf(p.w, "%s %d\n", p.label, p.done) // a rate over less would be noise
		return
	}
	fmt.Fprintf(p.w, "%s %d in %s (%s)\n", p.label, p.done, took.Round(time.Millisecond), p.rate(t))
}

// draw rewrites the line: users 120000/1000000 [=====>     ] 12% 35000/s.
func (p *progress) draw(t time.Time) {
	p.drawn = t
	line := fmt.Sprintf("%s %d", p.label, p.done)
	if p.total > 0 {
		const width = 30
		frac := min(float64(p.done)/float64(p.total), 1)
		filled := int(frac * width)
		bar := strings.Repeat("=", filled)
		if filled < width {
			bar += ">" + strings.Repeat(" ", width-filled-1)
		}
		line = fmt.Sprintf("%s %d/%d [%s] %d%%", p.label, p.done, p.total, bar, int(frac*100))
	}
	if t.Sub(p.start) >= redraw { // a rate over less would be noise
		line += " " + p.rate(t)
	}
	fmt.Fprintf(p.w, "\r%s\x1b[K", line)
}

func (p *progress) rate(t time.Time) string {
	secs := max(t.Sub(p.start).Seconds(), 1e-3)
	return fmt.Sprintf("%.0f/s", float64(p.done)/secs)
}

// labels name the record types for people.
var labels = map[string]string{
	dump.TypeSecurityProvider: "security providers",
	dump.TypeUser:             "users",
	dump.TypeGroup:            "groups",
	dump.TypeMember:           "members",
	dump.TypeTeam:             "teams",
	dump.TypeTeamUser:         "team users",
	dump.TypeAPIAccount:       "API accounts",
	dump.TypeAPIRegistration:  "API registrations",
	dump.TypeSecret:           "secrets",
	dump.TypeEvent:            "events",
}

// summary lists counts in export order: "users 3, groups 1".
func summary(c dump.Counts) string {
	var parts []string
	for _, typ := range dump.Types {
		if n, ok := c[typ]; ok {
			parts = append(parts, fmt.Sprintf("%s %d", labels[typ], n))
		}
	}
	return strings.Join(parts, ", ")
}
