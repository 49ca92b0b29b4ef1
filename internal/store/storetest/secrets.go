package storetest

import (
	"fmt"
	"testing"
	"time"

	"github.com/gatehouse/gatehouse/internal/directory"
)

var secretCases = []testCase{
	{"SecretRoundTrip", testSecretRoundTrip},
	{"SecretsKeyset", testSecretsKeyset},
	{"SoleOwnedSecrets", testSoleOwnedSecrets},
	{"SecretOwnersGoWithUsers", testSecretOwnersGoWithUsers},
}

func createSecret(t *testing.T, s directory.Store, title string, owners ...int64) directory.Secret {
	t.Helper()
	sec := directory.Secret{Title: title, OwnerIDs: owners}
	write(t, s, func(tx directory.Tx) error { return tx.CreateSecret(ctx, &sec) })
	return sec
}

func testSecretRoundTrip(t *testing.T, open Opener) {
	s := openStore(t, open)
	users := createUsers(t, s, "a", "b", "c")
	owners := []int64{users[2].ID, users[0].ID, users[2].ID}
	sec := directory.Secret{Title: "Database root", OwnerIDs: owners}
	var now time.Time
	write(t, s, func(tx directory.Tx) error {
		now = tx.Now()
		if err := tx.CreateSecret(ctx, &sec); err != nil {
			return err
		}
		got, err := tx.Secret(ctx, sec.ID)
		if err != nil {
			return err
		}
		equal(t, "secret read in its transaction", got, sec)
		return nil
	})
	if sec.ID <= 0 || !sec.CreatedAt.Equal(now) {
		t.Fatalf("created secret %+v at %v", sec, now)
	}
	// Owners come sorted, once each, and the caller's slice is untouched.
	equal(t, "owners", sec.OwnerIDs, []int64{users[0].ID, users[2].ID})
	equal(t, "the caller's owners", owners, []int64{users[2].ID, users[0].ID, users[2].ID})
	got, err := s.Secret(ctx, sec.ID)
	must(t, err)
	equal(t, "secret", got, sec)
	other := createSecret(t, s, "API key", users[1].ID)
	page, err := s.Secrets(ctx, directory.Query{Limit: 10})
	must(t, err)
	equal(t, "secrets", page, directory.Page[directory.Secret]{Items: []directory.Secret{sec, other}, Total: 2})
	_, err = s.Secret(ctx, other.ID+1)
	wantKind(t, err, directory.KindNotFound)
}

// testSecretsKeyset pages through secrets by id, as an export does: each
// page comes with its own secrets' owners.
func testSecretsKeyset(t *testing.T, open Opener) {
	s := openStore(t, open)
	users := createUsers(t, s, "a", "b")
	var all []directory.Secret
	write(t, s, func(tx directory.Tx) error {
		for i := range 7 {
			sec := directory.Secret{Title: fmt.Sprintf("s%d", i), OwnerIDs: []int64{users[i%2].ID}}
			if i%3 == 0 {
				sec.OwnerIDs = []int64{users[0].ID, users[1].ID}
			}
			if err := tx.CreateSecret(ctx, &sec); err != nil {
				return err
			}
			all = append(all, sec)
		}
		return nil
	})
	var got []directory.Secret
	for after := int64(0); ; {
		page, err := s.Secrets(ctx, directory.Query{Filter: cmp(directory.SecretID, directory.OpGt, after), Limit: 3,
			NoTotal: true})
		must(t, err)
		got = append(got, page.Items...)
		if len(page.Items) < 3 {
			break
		}
		after = page.Items[len(page.Items)-1].ID
	}
	equal(t, "secrets paged by id", got, all)
	page, err := s.Secrets(ctx, directory.Query{Sort: []directory.SortKey{{Attr: directory.SecretID, Desc: true}}, Limit: 2})
	must(t, err)
	equal(t, "newest secrets", page, directory.Page[directory.Secret]{Items: []directory.Secret{all[6], all[5]}, Total: 7})
	page, err = s.Secrets(ctx, directory.Query{Filter: cmp(directory.SecretID, directory.OpGt, all[6].ID), Limit: 2})
	must(t, err)
	equal(t, "past the last secret", page, directory.Page[directory.Secret]{Items: []directory.Secret{}, Total: 0})
}

func testSoleOwnedSecrets(t *testing.T, open Opener) {
	s := openStore(t, open)
	users := createUsers(t, s, "alone", "shared", "none")
	createSecret(t, s, "mine", users[0].ID)
	createSecret(t, s, "also mine", users[0].ID)
	createSecret(t, s, "ours", users[0].ID, users[1].ID)
	createSecret(t, s, "theirs", users[1].ID, users[1].ID) // one owner, named twice
	for i, want := range []int{2, 1, 0} {
		n, err := s.SoleOwnedSecrets(ctx, users[i].ID)
		must(t, err)
		if n != want {
			t.Errorf("%s solely owns %d secrets, want %d", users[i].Username, n, want)
		}
	}
	write(t, s, func(tx directory.Tx) error {
		n, err := tx.SoleOwnedSecrets(ctx, 12345)
		if err == nil && n != 0 {
			t.Errorf("a missing user solely owns %d secrets", n)
		}
		return err
	})
}

// testSecretOwnersGoWithUsers checks that deleting a user takes it off the
// secrets it owned, leaving the others' ownership and the secrets.
func testSecretOwnersGoWithUsers(t *testing.T, open Opener) {
	s := openStore(t, open)
	users := createUsers(t, s, "gone", "stays")
	shared := createSecret(t, s, "shared", users[0].ID, users[1].ID)
	sole := createSecret(t, s, "sole", users[0].ID)
	n, err := s.SoleOwnedSecrets(ctx, users[1].ID)
	must(t, err)
	equal(t, "sole secrets of the co-owner before", n, 0)
	write(t, s, func(tx directory.Tx) error { return tx.DeleteUser(ctx, users[0].ID) })
	got, err := s.Secret(ctx, shared.ID)
	must(t, err)
	shared.OwnerIDs = []int64{users[1].ID}
	equal(t, "shared secret after deleting a co-owner", got, shared)
	n, err = s.SoleOwnedSecrets(ctx, users[1].ID)
	must(t, err)
	equal(t, "sole secrets of the remaining owner", n, 1)
	// The store keeps a secret whose owners are all gone (the Service
	// refuses to delete a sole owner); it reads back with none.
	got, err = s.Secret(ctx, sole.ID)
	must(t, err)
	sole.OwnerIDs = nil
	equal(t, "secret without owners", got, sole)
}
