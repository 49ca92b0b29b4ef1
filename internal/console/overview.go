package console

import (
	"context"
	"net/http"
	"runtime/debug"
	"time"

	"github.com/gatehouse/gatehouse/internal/directory"
)

// Rates is what the overview shows of the server's traffic; the server
// fills it from internal/metrics. Counts are since the process started,
// at Since; the rates are per second over Window, about the last minute
// (zero before the server's first sample).
type Rates struct {
	TokensIssued, Requests             float64
	Since                              time.Time
	TokensPerSecond, RequestsPerSecond float64
	Window                             time.Duration
}

// PerMinute is a rate per second as the overview says it.
func (Rates) PerMinute(perSecond float64) float64 { return perSecond * 60 }

// WindowText is the rates' window for a sentence, to the second.
func (r Rates) WindowText() string { return max(r.Window.Round(time.Second), time.Second).String() }

type overviewData struct {
	Counts  []count
	Recent  []eventRow
	Rates   *Rates
	Version string
}

type count struct {
	Label, Path string
	N           int
}

// recentEvents is how many of the latest changes the overview lists.
const recentEvents = 10

func (c *console) overview(q *request) error {
	d := overviewData{Version: version()}
	// Every total is one read of a count the store keeps or of a small
	// table: Limit 0 asks for the total alone.
	totals := []struct {
		label, path string
		fetch       func(context.Context, directory.Query) (int, error)
	}{
		{"Users", Prefix + "/users", total(c.dir.Users)},
		{"Group policies", Prefix + "/groups", total(c.dir.Groups)},
		{"Teams", Prefix + "/teams", total(c.dir.Teams)},
		{"API accounts", Prefix + "/accounts", total(c.dir.APIAccounts)},
		{"API registrations", Prefix + "/registrations", total(c.dir.APIRegistrations)},
	}
	for _, t := range totals {
		n, err := t.fetch(q.ctx(), directory.Query{})
		if err != nil {
			return err
		}
		d.Counts = append(d.Counts, count{Label: t.label, Path: t.path, N: n})
	}
	events, err := c.dir.Audit(q.ctx(), directory.AuditFilter{Limit: recentEvents})
	if err != nil {
		return err
	}
	d.Recent = eventRows(events.Items)
	if c.rates != nil {
		r := c.rates()
		d.Rates = &r
	}
	return q.render(http.StatusOK, "overview", "Overview", d)
}

func total[T any](list func(context.Context, directory.Query) (directory.Page[T], error)) func(context.Context, directory.Query) (int, error) {
	return func(ctx context.Context, q directory.Query) (int, error) {
		p, err := list(ctx, q)
		return p.Total, err
	}
}

// version is the main module's version, as `gatehouse version` prints it.
func version() string {
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" {
		return bi.Main.Version
	}
	return "(devel)"
}
