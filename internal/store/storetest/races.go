package storetest

import (
	"sync"
	"testing"
	"time"

	"github.com/gatehouse/gatehouse/internal/directory"
)

var raceCases = []testCase{
	{"ConflictWithConcurrentWriter", testConflictWithConcurrentWriter},
}

// race runs first in a transaction that stays open until second, started
// meanwhile, has had time to run into first's uncommitted rows; it returns
// second's error.
func race(t *testing.T, s directory.Store, first, second func(tx directory.Tx) error) error {
	t.Helper()
	var once sync.Once
	started, release := make(chan struct{}), make(chan struct{})
	firstDone := make(chan error, 1)
	go func() {
		firstDone <- s.Write(ctx, func(tx directory.Tx) error {
			if err := first(tx); err != nil {
				return err
			}
			once.Do(func() { close(started) })
			<-release
			return nil
		})
	}()
	<-started
	secondDone := make(chan error, 1)
	go func() { secondDone <- s.Write(ctx, second) }()
	time.Sleep(100 * time.Millisecond)
	close(release)
	must(t, <-firstDone)
	return <-secondDone
}

// testConflictWithConcurrentWriter checks that a unique value taken by a
// transaction still in progress is a Conflict once it commits, whichever
// statement runs into it.
func testConflictWithConcurrentWriter(t *testing.T, open Opener) {
	s := openStore(t, open)
	u := createUsers(t, s, "u")[0]
	g := createGroup(t, s, "g")
	a := account("a", "a")
	team := directory.Team{Name: "t", CodeName: "t"}
	app, reg := appUser("app", "app-client"), registration("r")
	write(t, s, func(tx directory.Tx) error {
		if err := tx.CreateTeam(ctx, &team); err != nil {
			return err
		}
		if err := tx.CreateUser(ctx, &app); err != nil {
			return err
		}
		if err := tx.CreateAPIRegistration(ctx, &reg); err != nil {
			return err
		}
		return tx.CreateAPIAccount(ctx, &a)
	})
	takenKey := directory.HashSecret("taken key")
	for _, c := range []struct {
		name          string
		first, second func(tx directory.Tx) error
		field         string
	}{
		{"username by update", func(tx directory.Tx) error { v := user("taken"); return tx.CreateUser(ctx, &v) },
			func(tx directory.Tx) error { v := u; v.Username = "TAKEN"; return tx.UpdateUser(ctx, &v) }, directory.FieldUsername},
		{"username by create", func(tx directory.Tx) error { v := user("new"); return tx.CreateUser(ctx, &v) },
			func(tx directory.Tx) error { v := user("New"); return tx.CreateUser(ctx, &v) }, directory.FieldUsername},
		{"group name", func(tx directory.Tx) error { v := group("taken"); return tx.CreateGroup(ctx, &v) },
			func(tx directory.Tx) error { v := g; v.Name = "Taken"; return tx.UpdateGroup(ctx, &v) }, directory.FieldName},
		{"code name", func(tx directory.Tx) error {
			v := directory.Team{Name: "x", CodeName: "taken"}
			return tx.CreateTeam(ctx, &v)
		},
			func(tx directory.Tx) error { v := team; v.CodeName = "taken"; return tx.UpdateTeam(ctx, &v) }, directory.FieldCodeName},
		{"account name", func(tx directory.Tx) error { v := account("taken", "c1"); return tx.CreateAPIAccount(ctx, &v) },
			func(tx directory.Tx) error { v := a; v.Name = "TAKEN"; return tx.UpdateAPIAccount(ctx, &v) }, directory.FieldName},
		{"client id", func(tx directory.Tx) error { v := account("other", "taken"); return tx.CreateAPIAccount(ctx, &v) },
			func(tx directory.Tx) error { v := a; v.ClientID = "taken"; return tx.UpdateAPIAccount(ctx, &v) }, "client_id"},
		{"user client id by update", func(tx directory.Tx) error { v := appUser("other app", "taken"); return tx.CreateUser(ctx, &v) },
			func(tx directory.Tx) error { v := app; v.ClientID = "taken"; return tx.UpdateUser(ctx, &v) }, "client_id"},
		{"user client id by create", func(tx directory.Tx) error { v := appUser("app 1", "new"); return tx.CreateUser(ctx, &v) },
			func(tx directory.Tx) error { v := appUser("app 2", "new"); return tx.CreateUser(ctx, &v) }, "client_id"},
		{"registration name", func(tx directory.Tx) error { v := registration("taken"); return tx.CreateAPIRegistration(ctx, &v) },
			func(tx directory.Tx) error { v := reg; v.Name = "TAKEN"; return tx.UpdateAPIRegistration(ctx, &v) }, directory.FieldName},
		{"registration key", func(tx directory.Tx) error {
			v := registration("other registration")
			v.KeyHash = takenKey
			return tx.CreateAPIRegistration(ctx, &v)
		},
			func(tx directory.Tx) error { v := reg; v.KeyHash = takenKey; return tx.UpdateAPIRegistration(ctx, &v) }, "key_hash"},
		{"member", func(tx directory.Tx) error {
			m := directory.Member{GroupID: g.ID, SecurityProviderID: directory.LocalProviderID, GroupName: "ext"}
			return tx.AddMember(ctx, &m)
		}, func(tx directory.Tx) error {
			m := directory.Member{GroupID: g.ID, SecurityProviderID: directory.LocalProviderID, GroupName: "EXT"}
			return tx.AddMember(ctx, &m)
		}, directory.FieldUserID},
	} {
		t.Run(c.name, func(t *testing.T) {
			wantConflict(t, race(t, s, c.first, c.second), c.field)
		})
	}
}
