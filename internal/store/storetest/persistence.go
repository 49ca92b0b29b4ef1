package storetest

import (
	"bytes"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/gatehouse/gatehouse/internal/directory"
)

var persistenceCases = []testCase{
	{"SigningKeys", testSigningKeys},
	{"Reopen", testReopen},
}

func testSigningKeys(t *testing.T, open Opener) {
	s := openStore(t, open)
	stored, err := s.SigningKeys(ctx)
	must(t, err)
	if len(stored) != 0 {
		t.Fatalf("a new database holds %d signing keys", len(stored))
	}
	// Instances starting together each add a first key only if there is
	// none: exactly one is stored, and every one of them gets it.
	at := time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC)
	firsts := make([][]directory.SigningKey, 8)
	var wg sync.WaitGroup
	for i := range firsts {
		wg.Go(func() {
			var err error
			firsts[i], err = s.ChangeSigningKeys(ctx, func(stored []directory.SigningKey) (*directory.SigningKey, []uint32, error) {
				if len(stored) > 0 {
					return nil, nil, nil
				}
				return &directory.SigningKey{ID: uint32(i + 1), Key: bytes.Repeat([]byte{byte(i + 1)}, 32), CreatedAt: at, SignsFrom: at}, nil, nil
			})
			if err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	first := firsts[0]
	if len(first) != 1 {
		t.Fatalf("%d keys after concurrent first adds, want 1", len(first))
	}
	for _, keys := range firsts[1:] {
		equal(t, "keys each first adder got", keys, first)
	}
	// A rotation adds a newer key; keys come newest first.
	next := directory.SigningKey{ID: 0xabcdef, Key: bytes.Repeat([]byte{0xee}, 64), CreatedAt: at.Add(time.Hour), SignsFrom: at.Add(time.Hour + 2*time.Second)}
	keys, err := s.ChangeSigningKeys(ctx, func([]directory.SigningKey) (*directory.SigningKey, []uint32, error) { return &next, nil, nil })
	must(t, err)
	equal(t, "keys after a rotation", keys, []directory.SigningKey{next, first[0]})
	// An id already stored is a conflict, and changes nothing.
	_, err = s.ChangeSigningKeys(ctx, func([]directory.SigningKey) (*directory.SigningKey, []uint32, error) {
		dup := next
		dup.Key = bytes.Repeat([]byte{0x11}, 32)
		return &dup, []uint32{first[0].ID}, nil
	})
	wantKind(t, err, directory.KindConflict)
	// A failing change changes nothing either.
	_, err = s.ChangeSigningKeys(ctx, func([]directory.SigningKey) (*directory.SigningKey, []uint32, error) {
		return nil, []uint32{next.ID}, errors.New("no")
	})
	if err == nil || err.Error() != "no" {
		t.Fatalf("a failing change returned %v", err)
	}
	must(t, s.Close())
	s = openStore(t, open)
	keys, err = s.SigningKeys(ctx)
	must(t, err)
	equal(t, "keys after re-opening", keys, []directory.SigningKey{next, first[0]})
	keys, err = s.ChangeSigningKeys(ctx, func([]directory.SigningKey) (*directory.SigningKey, []uint32, error) {
		return nil, []uint32{first[0].ID}, nil
	})
	must(t, err)
	equal(t, "keys after dropping the old one", keys, []directory.SigningKey{next})
}

// testReopen checks that committed data survives closing and re-opening
// the database, and that re-opening does not migrate again.
func testReopen(t *testing.T, open Opener) {
	s := openStore(t, open)
	u := fullUser()
	g := group("g")
	a := account("a", "a")
	write(t, s, func(tx directory.Tx) error {
		if err := tx.CreateUser(ctx, &u); err != nil {
			return err
		}
		if err := tx.CreateGroup(ctx, &g); err != nil {
			return err
		}
		m := directory.Member{GroupID: g.ID, SecurityProviderID: u.SecurityProviderID, UserID: u.ID}
		if err := tx.AddMember(ctx, &m); err != nil {
			return err
		}
		return tx.CreateAPIAccount(ctx, &a)
	})
	must(t, s.Close())

	s = openStore(t, open)
	got, err := s.User(ctx, u.ID)
	must(t, err)
	equal(t, "user after re-opening", got, u)
	groups, err := s.UserGroups(ctx, u.ID, directory.Query{Limit: 10})
	must(t, err)
	equal(t, "groups after re-opening", groups.Items, []directory.Group{g})
	acct, err := s.APIAccountByClientID(ctx, "a")
	must(t, err)
	equal(t, "account after re-opening", acct, a)
	providers, err := s.SecurityProviders(ctx, directory.Query{})
	must(t, err)
	if providers.Total != 1 {
		t.Fatalf("%d security providers after re-opening, want 1", providers.Total)
	}
	// New rows never reuse an id, not even the deleted newest row's.
	v, w := user("later"), user("latest")
	write(t, s, func(tx directory.Tx) error {
		if err := tx.CreateUser(ctx, &v); err != nil {
			return err
		}
		return tx.DeleteUser(ctx, v.ID)
	})
	must(t, s.Close())
	s = openStore(t, open)
	write(t, s, func(tx directory.Tx) error { return tx.CreateUser(ctx, &w) })
	if v.ID <= u.ID || w.ID <= v.ID {
		t.Fatalf("user ids %d, %d, %d", u.ID, v.ID, w.ID)
	}
}
