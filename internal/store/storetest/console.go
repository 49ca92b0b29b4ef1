package storetest

import (
	"sync"
	"sync/atomic"
	"testing"

	"github.com/gatehouse/gatehouse/internal/directory"
)

var consoleCases = []testCase{
	{"ConsoleSessions", testConsoleSessions},
	{"UserTOTP", testUserTOTP},
	{"TOTPStepAcceptedOnce", testTOTPStepAcceptedOnce},
}

// testConsoleSessions checks that console sessions read back, apart from
// BeyondInsight's, that a touch never moves one back, and that ending
// them goes by idleness, by age, or one by one.
func testConsoleSessions(t *testing.T, open Opener) {
	s := openStore(t, open)
	a := directory.ConsoleSession{IDHash: sessionID("console a"), UserID: 4, Generation: 2, SecondFactor: true,
		CreatedAt: at("2026-03-01T10:00:00.123456Z"), LastSeen: at("2026-03-01T10:05:00Z")}
	b := directory.ConsoleSession{IDHash: sessionID("console b"), UserID: 5,
		CreatedAt: at("2026-03-01T02:00:00Z"), LastSeen: at("2026-03-01T10:10:00Z")}
	c := directory.ConsoleSession{IDHash: sessionID("console c"), UserID: 6,
		CreatedAt: at("2026-03-01T09:00:00Z"), LastSeen: at("2026-03-01T09:30:00Z")}
	for _, sess := range []*directory.ConsoleSession{&a, &b, &c} {
		must(t, s.CreateConsoleSession(ctx, sess))
	}
	for _, want := range []directory.ConsoleSession{a, b, c} {
		got, err := s.ConsoleSession(ctx, want.IDHash)
		must(t, err)
		equal(t, "console session", got, want)
	}
	_, err := s.Session(ctx, a.IDHash)
	wantKind(t, err, directory.KindNotFound)
	_, err = s.ConsoleSession(ctx, sessionID("none"))
	wantKind(t, err, directory.KindNotFound)

	must(t, s.TouchConsoleSession(ctx, a.IDHash, at("2026-03-01T10:30:00Z")))
	must(t, s.TouchConsoleSession(ctx, a.IDHash, at("2026-03-01T10:20:00Z")))
	a.LastSeen = at("2026-03-01T10:30:00Z")
	got, err := s.ConsoleSession(ctx, a.IDHash)
	must(t, err)
	equal(t, "touched console session", got, a)
	wantKind(t, s.TouchConsoleSession(ctx, sessionID("none"), a.LastSeen), directory.KindNotFound)

	// c is idle since 09:30, b older than 03:00; a is neither.
	must(t, s.DeleteConsoleSessions(ctx, at("2026-03-01T10:00:00Z"), at("2026-03-01T03:00:00Z")))
	for _, gone := range [][]byte{b.IDHash, c.IDHash} {
		_, err := s.ConsoleSession(ctx, gone)
		wantKind(t, err, directory.KindNotFound)
	}
	must(t, s.DeleteConsoleSession(ctx, a.IDHash))
	must(t, s.DeleteConsoleSession(ctx, a.IDHash))
	_, err = s.ConsoleSession(ctx, a.IDHash)
	wantKind(t, err, directory.KindNotFound)
}

// testUserTOTP checks that an unconfirmed secret may be replaced and a
// confirmed one not (until it is removed), that a step is accepted only
// above the last one, and that the secret goes with its user.
func testUserTOTP(t *testing.T, open Opener) {
	s := openStore(t, open)
	users := createUsers(t, s, "ann", "bob")
	_, err := s.UserTOTP(ctx, users[0].ID)
	wantKind(t, err, directory.KindNotFound)

	must(t, s.PutUserTOTP(ctx, directory.TOTP{UserID: users[0].ID, Secret: "FIRSTSECRET"}))
	must(t, s.PutUserTOTP(ctx, directory.TOTP{UserID: users[0].ID, Secret: "SECONDSECRET"}))
	got, err := s.UserTOTP(ctx, users[0].ID)
	must(t, err)
	equal(t, "unconfirmed secret", got, directory.TOTP{UserID: users[0].ID, Secret: "SECONDSECRET"})

	ok, err := s.AcceptTOTPStep(ctx, users[0].ID, 100)
	must(t, err)
	if !ok {
		t.Fatal("first step refused")
	}
	for _, step := range []int64{100, 99} {
		if ok, err := s.AcceptTOTPStep(ctx, users[0].ID, step); err != nil || ok {
			t.Fatalf("step %d after 100: accepted %v, %v", step, ok, err)
		}
	}
	if ok, err := s.AcceptTOTPStep(ctx, users[1].ID, 100); err != nil || ok {
		t.Fatalf("step of a user without a secret: accepted %v, %v", ok, err)
	}
	got, err = s.UserTOTP(ctx, users[0].ID)
	must(t, err)
	equal(t, "confirmed secret", got, directory.TOTP{UserID: users[0].ID, Secret: "SECONDSECRET", Confirmed: true, LastStep: 100})
	wantKind(t, s.PutUserTOTP(ctx, directory.TOTP{UserID: users[0].ID, Secret: "THIRDSECRET"}), directory.KindConflict)
	got, err = s.UserTOTP(ctx, users[0].ID)
	must(t, err)
	equal(t, "secret after a refused replacement", got.Secret, "SECONDSECRET")

	// Removed in a transaction, a confirmed secret may be replaced.
	write(t, s, func(tx directory.Tx) error { return tx.DeleteUserTOTP(ctx, users[0].ID) })
	_, err = s.UserTOTP(ctx, users[0].ID)
	wantKind(t, err, directory.KindNotFound)
	write(t, s, func(tx directory.Tx) error { return tx.DeleteUserTOTP(ctx, users[1].ID) })
	must(t, s.PutUserTOTP(ctx, directory.TOTP{UserID: users[0].ID, Secret: "FOURTHSECRET"}))

	write(t, s, func(tx directory.Tx) error { return tx.DeleteUser(ctx, users[0].ID) })
	_, err = s.UserTOTP(ctx, users[0].ID)
	wantKind(t, err, directory.KindNotFound)
}

// testTOTPStepAcceptedOnce races requests carrying one code: exactly one
// is accepted.
func testTOTPStepAcceptedOnce(t *testing.T, open Opener) {
	s := openStore(t, open)
	u := createUsers(t, s, "carol")[0]
	must(t, s.PutUserTOTP(ctx, directory.TOTP{UserID: u.ID, Secret: "SECRET"}))
	var accepted atomic.Int32
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			ok, err := s.AcceptTOTPStep(ctx, u.ID, 7)
			if err != nil {
				t.Error(err)
			}
			if ok {
				accepted.Add(1)
			}
		})
	}
	wg.Wait()
	if n := accepted.Load(); n != 1 {
		t.Fatalf("%d of 8 requests with one code accepted, want 1", n)
	}
}
