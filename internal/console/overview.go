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
// at Since.
type Rates struct {
	TokensIssued float64
	Requests     float64
	Since        time.Time
}

// PerMinute is a count's average rate since the process started.
func (r Rates) PerMinute(n float64, now time.Time) float64 {
	minutes := now.Sub(r.Since).Minutes()
	if minutes < 1 {
		return n
	}
	return n / minutes
}

type ratesView struct {
	Rates
	Now time.Time
}

type overviewData struct {
	Counts  []count
	Recent  []eventRow
	Rates   *ratesView
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
		d.Rates = &ratesView{Rates: c.rates(), Now: time.Now()}
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
