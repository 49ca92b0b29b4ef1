package storetest

import (
	"testing"
	"time"

	"github.com/gatehouse/gatehouse/internal/directory"
)

var providerCases = []testCase{
	{"SecurityProviders", testSecurityProviders},
	{"DirectoryProvider", testDirectoryProvider},
}

var accountCases = []testCase{
	{"APIAccountRoundTrip", testAPIAccountRoundTrip},
	{"APIAccountUnique", testAPIAccountUnique},
	{"AccountsChangedSince", testAccountsChangedSince},
}

func testSecurityProviders(t *testing.T, open Opener) {
	s := openStore(t, open)
	local := directory.SecurityProvider{ID: directory.LocalProviderID, Type: directory.ProviderLocal, Name: "Local",
		Enabled: true, UserAuthentication: true}
	got, err := s.SecurityProvider(ctx, directory.LocalProviderID)
	must(t, err)
	equal(t, "built-in local provider", got, local)

	scim := directory.SecurityProvider{Type: directory.ProviderSCIM, Name: "Okta", Enabled: false,
		GroupLookup: true, Priority: 3, DefaultPolicyID: 7}
	write(t, s, func(tx directory.Tx) error { return tx.CreateSecurityProvider(ctx, &scim) })
	if scim.ID <= directory.LocalProviderID {
		t.Fatalf("new provider got ID %d", scim.ID)
	}
	page, err := s.SecurityProviders(ctx, directory.Query{Limit: 10})
	must(t, err)
	equal(t, "providers", page, directory.Page[directory.SecurityProvider]{Items: []directory.SecurityProvider{local, scim}, Total: 2})
	_, err = s.SecurityProvider(ctx, scim.ID+1)
	wantKind(t, err, directory.KindNotFound)
}

// testDirectoryProvider checks that directory settings read back as
// written, the bind password included or empty, and none as nil.
func testDirectoryProvider(t *testing.T, open Opener) {
	s := openStore(t, open)
	ad := directory.SecurityProvider{Type: directory.ProviderLDAP, Name: "Corp AD", Enabled: true, UserAuthentication: true,
		Priority: 2, Directory: &directory.DirectorySettings{Kind: directory.SourceActiveDirectory, Domain: "corp.example.com",
			Host: "dc1.corp.example.com", Port: 636, UseSSL: true, BaseDN: "DC=corp,DC=example,DC=com",
			AccountAttribute: "sAMAccountName", BindUser: "CORP\\svc-gatehouse", BindPassword: "p@ss 'word\" -- 1"}}
	ldap := directory.SecurityProvider{Type: directory.ProviderLDAP, Name: "OpenLDAP", Priority: 3,
		Directory: &directory.DirectorySettings{Kind: directory.SourceLDAP, Host: "ldap.example.org", BaseDN: "dc=example,dc=org",
			AccountAttribute: "uid"}} // anonymous: no bind user, no password
	plain := directory.SecurityProvider{Type: directory.ProviderSAML, Name: "SAML", Priority: 4}
	write(t, s, func(tx directory.Tx) error {
		for _, p := range []*directory.SecurityProvider{&ad, &ldap, &plain} {
			if err := tx.CreateSecurityProvider(ctx, p); err != nil {
				return err
			}
		}
		return nil
	})
	for _, want := range []directory.SecurityProvider{ad, ldap, plain} {
		got, err := s.SecurityProvider(ctx, want.ID)
		must(t, err)
		equal(t, want.Name, got, want)
		if got.Directory != nil && got.Directory == want.Directory {
			t.Fatalf("%s: the store returned the caller's settings, not its own", want.Name)
		}
	}
	page, err := s.SecurityProviders(ctx, directory.Query{Limit: 10})
	must(t, err)
	equal(t, "providers", page.Items[1:], []directory.SecurityProvider{ad, ldap, plain})
}

func testAPIAccountRoundTrip(t *testing.T, open Opener) {
	s := openStore(t, open)
	a := account("CI", "ci-client")
	a.Comments, a.IPAllow = "for CI", []string{"10.0.0.0/8", "192.0.2.1"}
	a.Perms = directory.Permissions{Configuration: directory.AccessReadOnly, UserManagement: directory.AccessNone, SCIM: true}
	b := account("Other", "other-client")
	b.Enabled, b.SecretHash = false, nil
	var now time.Time
	write(t, s, func(tx directory.Tx) error {
		now = tx.Now()
		if err := tx.CreateAPIAccount(ctx, &a); err != nil {
			return err
		}
		return tx.CreateAPIAccount(ctx, &b)
	})
	if a.ID <= 0 || a.Version != 1 || !a.CreatedAt.Equal(now) || !a.UpdatedAt.Equal(now) {
		t.Fatalf("created account %+v at %v", a, now)
	}
	got, err := s.APIAccount(ctx, a.ID)
	must(t, err)
	equal(t, "account", got, a)
	got, err = s.APIAccountByClientID(ctx, "other-client")
	must(t, err)
	equal(t, "account by client id", got, b)
	_, err = s.APIAccountByClientID(ctx, "OTHER-CLIENT")
	wantKind(t, err, directory.KindNotFound)
	_, err = s.APIAccount(ctx, b.ID+1)
	wantKind(t, err, directory.KindNotFound)

	a.FailedLogins, a.LockedUntil, a.TokenSerial, a.TokenGeneration = 5, ptr(at("2030-01-01T00:00:00.5Z")), 31, 2
	a.LastTokenAt = ptr(at("2029-12-31T23:59:59.25Z"))
	a.IPAllow, a.SecretHash = nil, directory.HashSecret("rotated")
	write(t, s, func(tx directory.Tx) error {
		now = tx.Now()
		return tx.UpdateAPIAccount(ctx, &a)
	})
	if a.Version != 2 || !a.UpdatedAt.Equal(now) {
		t.Fatalf("updated account %+v at %v", a, now)
	}
	got, err = s.APIAccount(ctx, a.ID)
	must(t, err)
	equal(t, "updated account", got, a)

	page, err := s.APIAccounts(ctx, directory.Query{Filter: cmp(directory.APIAccountName, directory.OpSw, "ot"), Limit: 10})
	must(t, err)
	equal(t, "filtered accounts", page, directory.Page[directory.APIAccount]{Items: []directory.APIAccount{b}, Total: 1})
	page, err = s.APIAccounts(ctx, directory.Query{Sort: []directory.SortKey{{Attr: directory.APIAccountName, Desc: true}}, Limit: 10})
	must(t, err)
	equal(t, "sorted accounts", ids(page.Items), []int64{b.ID, a.ID})

	err = s.Write(ctx, func(tx directory.Tx) error {
		missing := a
		missing.ID = b.ID + 1
		return tx.UpdateAPIAccount(ctx, &missing)
	})
	wantKind(t, err, directory.KindNotFound)
}

func testAPIAccountUnique(t *testing.T, open Opener) {
	s := openStore(t, open)
	a, b := account("CI", "ci-client"), account("Other", "other-client")
	write(t, s, func(tx directory.Tx) error {
		if err := tx.CreateAPIAccount(ctx, &a); err != nil {
			return err
		}
		return tx.CreateAPIAccount(ctx, &b)
	})
	for _, c := range []struct {
		account directory.APIAccount
		field   string
	}{
		{account("ci", "new-client"), directory.FieldName},
		{account("New", "ci-client"), "client_id"},
		{account("CI", "ci-client"), "client_id"},
	} {
		err := s.Write(ctx, func(tx directory.Tx) error { return tx.CreateAPIAccount(ctx, &c.account) })
		wantConflict(t, err, c.field)
	}
	renamed := b
	renamed.Name = "cI"
	err := s.Write(ctx, func(tx directory.Tx) error { return tx.UpdateAPIAccount(ctx, &renamed) })
	wantConflict(t, err, directory.FieldName)
	moved := b
	moved.ClientID = "ci-client"
	err = s.Write(ctx, func(tx directory.Tx) error { return tx.UpdateAPIAccount(ctx, &moved) })
	wantConflict(t, err, "client_id")
	// Client ids are exact: another case is another id.
	c := account("Third", "CI-CLIENT")
	write(t, s, func(tx directory.Tx) error { return tx.CreateAPIAccount(ctx, &c) })
}

func testAccountsChangedSince(t *testing.T, open Opener) {
	s := openStore(t, open)
	a, b := account("A", "a"), account("B", "b")
	write(t, s, func(tx directory.Tx) error { return tx.CreateAPIAccount(ctx, &a) })
	write(t, s, func(tx directory.Tx) error { return tx.CreateAPIAccount(ctx, &b) })
	changed := func(since time.Time) []int64 {
		t.Helper()
		got, err := s.AccountsChangedSince(ctx, since)
		must(t, err)
		return ids(got)
	}
	equal(t, "since before both", changed(a.UpdatedAt.Add(-time.Second)), []int64{a.ID, b.ID})
	equal(t, "since the first (inclusive)", changed(a.UpdatedAt), []int64{a.ID, b.ID})
	equal(t, "since the second", changed(b.UpdatedAt), []int64{b.ID})
	equal(t, "since after both", changed(b.UpdatedAt.Add(time.Microsecond)), []int64{})

	a.Enabled = false
	write(t, s, func(tx directory.Tx) error { return tx.UpdateAPIAccount(ctx, &a) })
	got, err := s.AccountsChangedSince(ctx, b.UpdatedAt.Add(time.Microsecond))
	must(t, err)
	equal(t, "changed since", got, []directory.APIAccount{a})
}
