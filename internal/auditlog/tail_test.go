package auditlog_test

import (
	"context"
	"sync"
	"testing"

	"github.com/gatehouse/gatehouse/internal/auditlog"
	"github.com/gatehouse/gatehouse/internal/directory"
	"github.com/gatehouse/gatehouse/internal/pgtest"
	"github.com/gatehouse/gatehouse/internal/store"
)

// On PostgreSQL a transaction can take an event id and commit after one
// that took a larger id; a Tail that has moved past the id still returns
// the event once it commits. (SQLite commits in id order.)
func TestTailReturnsEventsThatCommitLate(t *testing.T) {
	ctx := context.Background()
	st, err := store.Open(ctx, pgtest.DSN(t))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	svc := directory.NewService(st, nil)
	tail := auditlog.NewTail(svc, directory.AuditFilter{Action: "user."}, 0)
	appendEvent := func(tx directory.Tx, action string) error {
		return tx.AppendEvent(ctx, &directory.Event{Actor: "cli", Action: action, TargetType: "user", TargetID: 1})
	}

	appended, release, done := make(chan struct{}), make(chan struct{}), make(chan error)
	var once sync.Once
	go func() {
		done <- st.Write(ctx, func(tx directory.Tx) error {
			if err := appendEvent(tx, "user.slow"); err != nil {
				return err
			}
			once.Do(func() { close(appended) })
			<-release
			return nil
		})
	}()
	<-appended
	must(t, st.Write(ctx, func(tx directory.Tx) error { return appendEvent(tx, "user.fast") }))
	must(t, st.Write(ctx, func(tx directory.Tx) error { return appendEvent(tx, "group.other") }))
	got := next(t, tail)
	if len(got) != 1 || got[0].Action != "user.fast" {
		t.Fatalf("first poll: %v, want user.fast alone", got)
	}
	close(release)
	must(t, <-done)
	got = next(t, tail)
	if len(got) != 1 || got[0].Action != "user.slow" {
		t.Fatalf("after the slow commit: %v, want user.slow", got)
	}
	if got := next(t, tail); len(got) != 0 {
		t.Errorf("third poll: %v, want nothing new", got)
	}
}

func next(t *testing.T, tail *auditlog.Tail) []directory.Event {
	t.Helper()
	events, _, err := tail.Next(context.Background())
	must(t, err)
	return events
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
