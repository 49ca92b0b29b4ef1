package auditlog

import (
	"context"
	"log/slog"
	"time"

	"github.com/gatehouse/gatehouse/internal/directory"
)

// Forwarder sends every committed event to a Sink as it lands (see the
// package documentation for why it follows the table).
type Forwarder struct {
	tail     *Tail
	sink     Sink
	log      *slog.Logger
	interval time.Duration
	pending  []directory.Event // read, not yet sent
	cancel   context.CancelFunc
	done     chan struct{}
}

const (
	// DefaultInterval is how often a Forwarder asks for new events.
	DefaultInterval = time.Second
	// maxPending bounds the events kept while the sink refuses them; the
	// oldest are dropped beyond it, and the log says how many.
	maxPending = 100_000
	// drainTimeout bounds the last forwarding at Stop.
	drainTimeout = 5 * time.Second
)

// Start forwards, every interval, the events newer than the newest one
// now. Stop ends it.
func Start(ctx context.Context, svc *directory.Service, sink Sink, log *slog.Logger, interval time.Duration) (*Forwarder, error) {
	newest, err := Newest(ctx, svc)
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	f := &Forwarder{tail: NewTail(svc, directory.AuditFilter{}, newest), sink: sink, log: log,
		interval: interval, cancel: cancel, done: make(chan struct{})}
	go f.run(ctx)
	return f, nil
}

func (f *Forwarder) run(ctx context.Context) {
	defer close(f.done)
	tick := time.NewTicker(f.interval)
	defer tick.Stop()
	for {
		for f.forward(ctx) {
		}
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
	}
}

// forward reads what committed and sends what it can. It reports whether
// more events may be waiting already.
func (f *Forwarder) forward(ctx context.Context) bool {
	events, more, err := f.tail.Next(ctx)
	f.pending = append(f.pending, events...)
	if err != nil && ctx.Err() == nil {
		f.log.Warn("audit forwarding: reading events", "err", err)
	}
	if over := len(f.pending) - maxPending; over > 0 {
		f.log.Error("audit forwarding: the sink refuses events; dropped the oldest", "dropped", over, "first_dropped_id", f.pending[0].ID)
		f.pending = f.pending[over:]
	}
	for len(f.pending) > 0 {
		e := f.pending[0]
		line, err := Line(e)
		if err == nil {
			err = f.sink.Send(line[:len(line)-1])
		}
		if err != nil {
			f.log.Warn("audit forwarding: sending an event; will retry", "event_id", e.ID, "err", err)
			return false
		}
		f.pending = f.pending[1:]
	}
	return more && err == nil
}

// Stop ends forwarding after sending what has committed by now (for up to
// a few seconds), and closes the sink. Call it once requests have
// finished, so that their events go out too.
func (f *Forwarder) Stop() {
	f.cancel()
	<-f.done
	ctx, cancel := context.WithTimeout(context.Background(), drainTimeout)
	defer cancel()
	for f.forward(ctx) {
	}
	if err := f.sink.Close(); err != nil {
		f.log.Warn("audit forwarding: closing the sink", "err", err)
	}
}
