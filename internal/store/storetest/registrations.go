package storetest

import (
	"testing"
	"time"

	"github.com/gatehouse/gatehouse/internal/directory"
)

var registrationCases = []testCase{
	{"APIRegistrationRoundTrip", testAPIRegistrationRoundTrip},
	{"APIRegistrationUnique", testAPIRegistrationUnique},
	{"APIRegistrationNotFound", testAPIRegistrationNotFound},
}

func testAPIRegistrationRoundTrip(t *testing.T, open Opener) {
	s := openStore(t, open)
	a := registration("Scripts")
	a.IPAllow, a.UserPasswordRequired = []string{"10.0.0.0/8", "2001:db8::1"}, true
	b := registration("other")
	b.IPAllow = []string{} // stored as [], read back as nil
	var now time.Time
	write(t, s, func(tx directory.Tx) error {
		now = tx.Now()
		if err := tx.CreateAPIRegistration(ctx, &a); err != nil {
			return err
		}
		if err := tx.CreateAPIRegistration(ctx, &b); err != nil {
			return err
		}
		got, err := tx.APIRegistration(ctx, a.ID)
		if err != nil {
			return err
		}
		equal(t, "registration read in its transaction", got, a)
		return nil
	})
	if a.ID <= 0 || b.ID <= a.ID || a.Version != 1 || !a.CreatedAt.Equal(now) || !a.UpdatedAt.Equal(now) {
		t.Fatalf("created registrations %+v, %+v at %v", a, b, now)
	}
	b.IPAllow = nil
	got, err := s.APIRegistration(ctx, a.ID)
	must(t, err)
	equal(t, "registration", got, a)
	got, err = s.APIRegistrationByKeyHash(ctx, b.KeyHash)
	must(t, err)
	equal(t, "registration by key hash", got, b)

	page, err := s.APIRegistrations(ctx, directory.Query{Limit: 10})
	must(t, err)
	equal(t, "registrations", page, directory.Page[directory.APIRegistration]{Items: []directory.APIRegistration{a, b}, Total: 2})
	page, err = s.APIRegistrations(ctx, directory.Query{Filter: directory.Eq(directory.RegistrationName, "SCRIPTS"), Limit: 10})
	must(t, err)
	equal(t, "filtered by name", ids(page.Items), []int64{a.ID})
	page, err = s.APIRegistrations(ctx, directory.Query{Filter: cmp(directory.RegistrationName, directory.OpSw, "o"), Limit: 10})
	must(t, err)
	equal(t, "filtered by prefix", ids(page.Items), []int64{b.ID})
	page, err = s.APIRegistrations(ctx, directory.Query{Sort: []directory.SortKey{{Attr: directory.RegistrationName, Desc: true}}, Limit: 10})
	must(t, err)
	equal(t, "sorted by name, folding case", ids(page.Items), []int64{a.ID, b.ID})

	// A new key: the old hash finds nothing.
	old := a.KeyHash
	_, a.KeyHash = directory.NewRegistrationKey()
	a.Name, a.IPAllow, a.UserPasswordRequired = "Renamed", nil, false
	write(t, s, func(tx directory.Tx) error {
		now = tx.Now()
		return tx.UpdateAPIRegistration(ctx, &a)
	})
	if a.Version != 2 || !a.UpdatedAt.Equal(now) {
		t.Fatalf("updated registration %+v at %v", a, now)
	}
	got, err = s.APIRegistrationByKeyHash(ctx, a.KeyHash)
	must(t, err)
	equal(t, "updated registration", got, a)
	_, err = s.APIRegistrationByKeyHash(ctx, old)
	wantKind(t, err, directory.KindNotFound)

	write(t, s, func(tx directory.Tx) error { return tx.DeleteAPIRegistration(ctx, a.ID) })
	_, err = s.APIRegistration(ctx, a.ID)
	wantKind(t, err, directory.KindNotFound)
	page, err = s.APIRegistrations(ctx, directory.Query{Limit: 10})
	must(t, err)
	equal(t, "registrations after a delete", page.Items, []directory.APIRegistration{b})
}

func testAPIRegistrationUnique(t *testing.T, open Opener) {
	s := openStore(t, open)
	a, b := registration("Scripts"), registration("Other")
	write(t, s, func(tx directory.Tx) error {
		if err := tx.CreateAPIRegistration(ctx, &a); err != nil {
			return err
		}
		return tx.CreateAPIRegistration(ctx, &b)
	})
	sameKey := registration("New")
	sameKey.KeyHash = a.KeyHash
	for _, c := range []struct {
		reg   directory.APIRegistration
		field string
	}{
		{registration("SCRIPTS"), directory.FieldName},
		{registration("scripts"), directory.FieldName},
		{sameKey, "key_hash"},
	} {
		err := s.Write(ctx, func(tx directory.Tx) error { return tx.CreateAPIRegistration(ctx, &c.reg) })
		wantConflict(t, err, c.field)
	}
	renamed := b
	renamed.Name = "sCRIPTS"
	err := s.Write(ctx, func(tx directory.Tx) error { return tx.UpdateAPIRegistration(ctx, &renamed) })
	wantConflict(t, err, directory.FieldName)
	rekeyed := b
	rekeyed.KeyHash = a.KeyHash
	err = s.Write(ctx, func(tx directory.Tx) error { return tx.UpdateAPIRegistration(ctx, &rekeyed) })
	wantConflict(t, err, "key_hash")
	// A registration may change the case of its own name, and a conflict
	// leaves the transaction usable.
	write(t, s, func(tx directory.Tx) error {
		dup := registration("other")
		wantConflict(t, tx.CreateAPIRegistration(ctx, &dup), directory.FieldName)
		a.Name = "SCRIPTS"
		return tx.UpdateAPIRegistration(ctx, &a)
	})
	got, err := s.APIRegistration(ctx, a.ID)
	must(t, err)
	equal(t, "registration renamed in case only", got, a)
}

func testAPIRegistrationNotFound(t *testing.T, open Opener) {
	s := openStore(t, open)
	_, err := s.APIRegistration(ctx, 99)
	wantKind(t, err, directory.KindNotFound)
	_, err = s.APIRegistrationByKeyHash(ctx, directory.HashSecret("nothing"))
	wantKind(t, err, directory.KindNotFound)
	// No hash finds nothing, not a registration stored without one.
	keyless := registration("keyless")
	keyless.KeyHash = nil
	write(t, s, func(tx directory.Tx) error { return tx.CreateAPIRegistration(ctx, &keyless) })
	got, err := s.APIRegistration(ctx, keyless.ID)
	must(t, err)
	equal(t, "registration without a key", got, keyless)
	for _, hash := range [][]byte{nil, {}} {
		_, err = s.APIRegistrationByKeyHash(ctx, hash)
		wantKind(t, err, directory.KindNotFound)
	}
	missing := registration("taken")
	write(t, s, func(tx directory.Tx) error { return tx.CreateAPIRegistration(ctx, &missing) })
	missing.ID = 99
	err = s.Write(ctx, func(tx directory.Tx) error { return tx.UpdateAPIRegistration(ctx, &missing) })
	wantKind(t, err, directory.KindNotFound)
	err = s.Write(ctx, func(tx directory.Tx) error { return tx.DeleteAPIRegistration(ctx, 99) })
	wantKind(t, err, directory.KindNotFound)
}
