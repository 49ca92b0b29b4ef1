package storetest

import (
	"bytes"
	"sync"
	"testing"

	"github.com/gatehouse/gatehouse/internal/directory"
)

var persistenceCases = []testCase{
	{"ServerKey", testServerKey},
	{"Reopen", testReopen},
}

func testServerKey(t *testing.T, open Opener) {
	s := openStore(t, open)
	keys := make([][]byte, 8)
	var wg sync.WaitGroup
	for i := range keys {
		wg.Go(func() {
			var err error
			if keys[i], err = s.ServerKey(ctx); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	if len(keys[0]) != 32 || bytes.Equal(keys[0], make([]byte, 32)) {
		t.Fatalf("server key %x", keys[0])
	}
	for _, k := range keys[1:] {
		if !bytes.Equal(k, keys[0]) {
			t.Fatalf("concurrent callers got keys %x and %x", keys[0], k)
		}
	}
	must(t, s.Close())
	s = openStore(t, open)
	again, err := s.ServerKey(ctx)
	must(t, err)
	if !bytes.Equal(again, keys[0]) {
		t.Fatalf("the key changed across re-opening: %x, then %x", keys[0], again)
	}
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
