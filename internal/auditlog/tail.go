package auditlog

import (
	"context"
	"maps"
	"slices"
	"time"

	"github.com/gatehouse/gatehouse/internal/directory"
)

// Tail follows the audit log: each Next returns the events that matched
// its filter and committed since the last call, each once.
//
// Asking only for ids above the newest one seen would skip events: ids are
// taken when a transaction inserts its event, and on PostgreSQL a
// transaction that took a smaller id can commit after one that took a
// larger. So each id skipped over is remembered as a gap for a grace
// period and asked for again until it shows up (it committed), or the
// grace period ends (it rolled back, was retried under a new id, or does
// not match the filter). SQLite commits in id order; its gaps are only
// ever rolled-back writes.
type Tail struct {
	svc    *directory.Service
	filter directory.AuditFilter // without cursors or limit
	last   int64                 // the newest id seen
	gaps   map[int64]time.Time   // ids skipped over, and when
}

const (
	// gapGrace is how long a gap is asked for: far longer than a write
	// transaction takes between inserting its event and committing.
	gapGrace = 30 * time.Second
	// maxGaps bounds the ids remembered, the newest kept. A filter that
	// matches little makes every id it does not match a gap.
	maxGaps = 1000
	// gapBatch is how many gaps one query asks for, well inside
	// directory.MaxFilterTests.
	gapBatch = 500
)

// NewTail returns a Tail of the events matching f (its cursors and limit
// are ignored) with ids above after.
func NewTail(svc *directory.Service, f directory.AuditFilter, after int64) *Tail {
	f.AfterID, f.BeforeID, f.Limit = 0, 0, directory.MaxPageSize
	return &Tail{svc: svc, filter: f, last: after, gaps: map[int64]time.Time{}}
}

// Newest returns the id of the newest event, 0 when there is none: where a
// Tail of what comes next starts.
func Newest(ctx context.Context, svc *directory.Service) (int64, error) {
	page, err := svc.Audit(ctx, directory.AuditFilter{Limit: 1})
	if err != nil || len(page.Items) == 0 {
		return 0, err
	}
	return page.Items[0].ID, nil
}

// Next returns events committed since the last call, oldest first: those
// that filled gaps, then at most one page of new ones. more reports that
// the page was full, so that more may be waiting already.
func (t *Tail) Next(ctx context.Context) (events []directory.Event, more bool, err error) {
	found, err := t.fillGaps(ctx)
	if err != nil {
		return nil, false, err
	}
	f := t.filter
	f.AfterID = t.last
	page, err := t.svc.Audit(ctx, f)
	if err != nil {
		return found, false, err
	}
	slices.Reverse(page.Items) // oldest first
	for _, e := range page.Items {
		t.skipped(e.ID)
		t.last = e.ID
		found = append(found, e)
	}
	return found, len(page.Items) == f.Limit, nil
}

// Follow passes each event to emit as it commits, asking every interval,
// until ctx ends (which it does not report) or emit or the store fails.
func (t *Tail) Follow(ctx context.Context, interval time.Duration, emit func(directory.Event) error) error {
	tick := time.NewTicker(interval)
	defer tick.Stop()
	for {
		events, more, err := t.Next(ctx)
		if ctx.Err() != nil {
			return nil
		}
		if err != nil {
			return err
		}
		for _, e := range events {
			if err := emit(e); err != nil {
				return err
			}
		}
		if more {
			continue
		}
		select {
		case <-ctx.Done():
			return nil
		case <-tick.C:
		}
	}
}

// skipped remembers the ids between the newest seen and id as gaps.
func (t *Tail) skipped(id int64) {
	now := time.Now()
	for g := max(t.last+1, id-maxGaps); g < id; g++ {
		t.gaps[g] = now
	}
	if over := len(t.gaps) - maxGaps; over > 0 {
		for _, g := range slices.Sorted(maps.Keys(t.gaps))[:over] {
			delete(t.gaps, g)
		}
	}
}

// fillGaps forgets the gaps past their grace and returns, oldest first,
// the events that have filled the others since.
func (t *Tail) fillGaps(ctx context.Context) ([]directory.Event, error) {
	now := time.Now()
	var open []int64
	for g, since := range t.gaps {
		if now.Sub(since) > gapGrace {
			delete(t.gaps, g)
			continue
		}
		open = append(open, g)
	}
	slices.Sort(open)
	base, err := t.filter.Query()
	if err != nil {
		return nil, err
	}
	var found []directory.Event
	for len(open) > 0 {
		batch := open[:min(len(open), gapBatch)]
		open = open[len(batch):]
		ids := make(directory.Or, len(batch))
		for i, g := range batch {
			ids[i] = directory.Eq(directory.EventID, g)
		}
		q := directory.Query{Filter: ids, Limit: len(batch), NoTotal: true}
		if base.Filter != nil {
			q.Filter = directory.And{base.Filter, ids}
		}
		page, err := t.svc.Events(ctx, q)
		if err != nil {
			return found, err
		}
		for _, e := range page.Items {
			delete(t.gaps, e.ID)
			found = append(found, e)
		}
	}
	return found, nil
}
