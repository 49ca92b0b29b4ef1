package storetest

import (
	"sync"
	"testing"
	"time"

	"github.com/gatehouse/gatehouse/internal/directory"
)

var sessionCases = []testCase{
	{"SessionRoundTrip", testSessionRoundTrip},
	{"SessionTouch", testSessionTouch},
	{"SessionDelete", testSessionDelete},
	{"SessionsIdleCleanup", testSessionsIdleCleanup},
}

func sessionID(s string) []byte { return directory.HashSecret("session " + s) }

func testSessionRoundTrip(t *testing.T, open Opener) {
	s := openStore(t, open)
	user := directory.Session{IDHash: sessionID("user"), UserID: 4, RegistrationID: 2,
		CreatedAt: at("2026-03-01T10:00:00.123456Z"), LastSeen: at("2026-03-01T10:05:00Z")}
	app := directory.Session{IDHash: sessionID("app"), UserID: 5, Generation: 3,
		CreatedAt: at("2026-03-01T11:00:00Z"), LastSeen: at("2026-03-01T11:00:00Z")}
	account := directory.Session{IDHash: sessionID("account"), AccountID: 9, Generation: 1,
		CreatedAt: at("2026-03-01T12:00:00Z"), LastSeen: at("2026-03-01T12:00:00Z")}
	for _, sess := range []*directory.Session{&user, &app, &account} {
		must(t, s.CreateSession(ctx, sess))
	}
	for _, want := range []directory.Session{user, app, account} {
		got, err := s.Session(ctx, want.IDHash)
		must(t, err)
		equal(t, "session", got, want)
	}
	_, err := s.Session(ctx, sessionID("none"))
	wantKind(t, err, directory.KindNotFound)

	// A session without times starts now, to the microsecond, in UTC.
	before := time.Now()
	fresh := directory.Session{IDHash: sessionID("fresh"), UserID: 4}
	must(t, s.CreateSession(ctx, &fresh))
	if fresh.CreatedAt.Before(before.Truncate(time.Microsecond)) || !fresh.LastSeen.Equal(fresh.CreatedAt) ||
		fresh.CreatedAt.Location() != time.UTC || fresh.CreatedAt.Nanosecond()%1000 != 0 {
		t.Fatalf("fresh session times %v, %v", fresh.CreatedAt, fresh.LastSeen)
	}
	got, err := s.Session(ctx, fresh.IDHash)
	must(t, err)
	equal(t, "fresh session", got, fresh)

	// Sessions are in the database, not in the store value.
	must(t, s.Close())
	s = openStore(t, open)
	got, err = s.Session(ctx, user.IDHash)
	must(t, err)
	equal(t, "session after re-opening", got, user)
}

func testSessionTouch(t *testing.T, open Opener) {
	s := openStore(t, open)
	sess := directory.Session{IDHash: sessionID("touched"), UserID: 1,
		CreatedAt: at("2026-03-01T10:00:00Z"), LastSeen: at("2026-03-01T10:00:00Z")}
	must(t, s.CreateSession(ctx, &sess))
	must(t, s.TouchSession(ctx, sess.IDHash, at("2026-03-01T10:30:00.000001Z")))
	// A touch from a request that started earlier does not move it back.
	must(t, s.TouchSession(ctx, sess.IDHash, at("2026-03-01T10:20:00Z")))
	got, err := s.Session(ctx, sess.IDHash)
	must(t, err)
	sess.LastSeen = at("2026-03-01T10:30:00.000001Z")
	equal(t, "touched session", got, sess)
	wantKind(t, s.TouchSession(ctx, sessionID("none"), at("2026-03-01T10:30:00Z")), directory.KindNotFound)

	// Concurrent touches keep the latest, as requests of one session do.
	var wg sync.WaitGroup
	latest := at("2026-03-01T11:00:00Z")
	for i := range 16 {
		wg.Go(func() {
			if err := s.TouchSession(ctx, sess.IDHash, latest.Add(-time.Duration(i)*time.Second)); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	got, err = s.Session(ctx, sess.IDHash)
	must(t, err)
	equal(t, "last seen after concurrent touches", got.LastSeen, latest)
}

func testSessionDelete(t *testing.T, open Opener) {
	s := openStore(t, open)
	a := directory.Session{IDHash: sessionID("a"), UserID: 1, CreatedAt: at("2026-03-01T10:00:00Z")}
	b := directory.Session{IDHash: sessionID("b"), UserID: 1, CreatedAt: at("2026-03-01T10:00:00Z")}
	must(t, s.CreateSession(ctx, &a))
	must(t, s.CreateSession(ctx, &b))
	must(t, s.DeleteSession(ctx, a.IDHash))
	_, err := s.Session(ctx, a.IDHash)
	wantKind(t, err, directory.KindNotFound)
	must(t, s.DeleteSession(ctx, a.IDHash)) // no longer there: not an error
	got, err := s.Session(ctx, b.IDHash)
	must(t, err)
	equal(t, "the other session", got, b)
	// Sessions are not directory rows: a session's user need not exist,
	// and deleting a user is the auth layer's business to notice.
	if err := s.CreateSession(ctx, &directory.Session{IDHash: sessionID("c"), UserID: 999}); err != nil {
		t.Fatalf("a session of a user the directory lacks: %v", err)
	}
	// The same id twice is refused.
	if err := s.CreateSession(ctx, &directory.Session{IDHash: b.IDHash, UserID: 2}); err == nil {
		t.Fatal("a second session with the same id was stored")
	}
	got, err = s.Session(ctx, b.IDHash)
	must(t, err)
	equal(t, "the session after a clashing create", got, b)
}

func testSessionsIdleCleanup(t *testing.T, open Opener) {
	s := openStore(t, open)
	base := at("2026-03-01T10:00:00Z")
	var all []directory.Session
	for i, name := range []string{"idle", "borderline", "active", "touched"} {
		sess := directory.Session{IDHash: sessionID(name), UserID: int64(i + 1), CreatedAt: base,
			LastSeen: base.Add(time.Duration(i) * 10 * time.Minute)}
		must(t, s.CreateSession(ctx, &sess))
		all = append(all, sess)
	}
	must(t, s.TouchSession(ctx, all[3].IDHash, base.Add(time.Hour)))
	all[3].LastSeen = base.Add(time.Hour)
	// Last seen before the cutoff goes; at it or after stays.
	must(t, s.DeleteSessionsIdleSince(ctx, base.Add(10*time.Minute)))
	_, err := s.Session(ctx, all[0].IDHash)
	wantKind(t, err, directory.KindNotFound)
	for _, want := range all[1:] {
		got, err := s.Session(ctx, want.IDHash)
		must(t, err)
		equal(t, "session kept", got, want)
	}
	must(t, s.DeleteSessionsIdleSince(ctx, base.Add(45*time.Minute)))
	for i, sess := range all {
		_, err := s.Session(ctx, sess.IDHash)
		if i < 3 {
			wantKind(t, err, directory.KindNotFound)
		} else {
			must(t, err)
		}
	}
}
