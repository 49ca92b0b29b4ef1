package storetest

import (
	"slices"
	"testing"

	"github.com/gatehouse/gatehouse/internal/directory"
)

var memberCases = []testCase{
	{"Members", testMembers},
	{"MemberDuplicates", testMemberDuplicates},
	{"MemberUsers", testMemberUsers},
}

func testMembers(t *testing.T, open Opener) {
	s := openStore(t, open)
	u := createUsers(t, s, "someone")[0]
	g, other := createGroup(t, s, "g"), createGroup(t, s, "other")
	saml := directory.SecurityProvider{Type: directory.ProviderSAML, Name: "SAML", Enabled: true}
	write(t, s, func(tx directory.Tx) error { return tx.CreateSecurityProvider(ctx, &saml) })
	added := []directory.Member{
		{GroupID: g.ID, SecurityProviderID: u.SecurityProviderID, UserID: u.ID},
		{GroupID: g.ID, SecurityProviderID: saml.ID, GroupName: "Engineering"},
		{GroupID: g.ID, SecurityProviderID: saml.ID, DistinguishedName: "CN=Ops,DC=example,DC=com"},
	}
	write(t, s, func(tx directory.Tx) error {
		for i := range added {
			if err := tx.AddMember(ctx, &added[i]); err != nil {
				return err
			}
			if added[i].ID <= 0 || !added[i].CreatedAt.Equal(tx.Now()) {
				t.Errorf("added member %+v at %v", added[i], tx.Now())
			}
		}
		return nil
	})
	for _, m := range added {
		got, err := s.Member(ctx, g.ID, m.ID)
		must(t, err)
		equal(t, "member", got, m)
	}
	_, err := s.Member(ctx, other.ID, added[0].ID)
	wantKind(t, err, directory.KindNotFound)

	page, err := s.Members(ctx, g.ID, directory.Query{Offset: 1, Limit: 1})
	must(t, err)
	equal(t, "second member", page, directory.Page[directory.Member]{Items: added[1:2], Total: 3})

	write(t, s, func(tx directory.Tx) error {
		if err := tx.RemoveMember(ctx, g.ID, added[1].ID); err != nil {
			return err
		}
		wantKind(t, tx.RemoveMember(ctx, g.ID, added[1].ID), directory.KindNotFound)
		wantKind(t, tx.RemoveMember(ctx, other.ID, added[2].ID), directory.KindNotFound)
		if err := tx.RemoveUserMember(ctx, g.ID, u.ID); err != nil {
			return err
		}
		// Removing a membership that does not exist is no error.
		return tx.RemoveUserMember(ctx, other.ID, u.ID)
	})
	page, err = s.Members(ctx, g.ID, directory.Query{Limit: 10})
	must(t, err)
	equal(t, "remaining members", page, directory.Page[directory.Member]{Items: added[2:], Total: 1})
}

// testMemberDuplicates checks that the same user, DN or group name cannot
// be a member twice, and that a duplicate leaves the transaction usable.
func testMemberDuplicates(t *testing.T, open Opener) {
	s := openStore(t, open)
	u := createUsers(t, s, "someone")[0]
	g, other := createGroup(t, s, "g"), createGroup(t, s, "other")
	ldap := directory.SecurityProvider{Type: directory.ProviderLDAP, Name: "LDAP", Enabled: true}
	write(t, s, func(tx directory.Tx) error { return tx.CreateSecurityProvider(ctx, &ldap) })
	first := []directory.Member{
		{GroupID: g.ID, SecurityProviderID: u.SecurityProviderID, UserID: u.ID},
		{GroupID: g.ID, SecurityProviderID: ldap.ID, DistinguishedName: "CN=Ops,DC=example"},
		{GroupID: g.ID, SecurityProviderID: ldap.ID, GroupName: "Engineering"},
	}
	dups := []directory.Member{
		{GroupID: g.ID, SecurityProviderID: u.SecurityProviderID, UserID: u.ID},
		{GroupID: g.ID, SecurityProviderID: ldap.ID, DistinguishedName: "cn=ops,dc=EXAMPLE"},
		{GroupID: g.ID, SecurityProviderID: ldap.ID, GroupName: "ENGINEERING"},
	}
	fine := []directory.Member{
		{GroupID: other.ID, SecurityProviderID: u.SecurityProviderID, UserID: u.ID},
		{GroupID: other.ID, SecurityProviderID: ldap.ID, DistinguishedName: "CN=Ops,DC=example"},
		{GroupID: g.ID, SecurityProviderID: directory.LocalProviderID, GroupName: "Engineering"},
		{GroupID: g.ID, SecurityProviderID: ldap.ID, DistinguishedName: "CN=Dev,DC=example"},
	}
	write(t, s, func(tx directory.Tx) error {
		for i := range first {
			if err := tx.AddMember(ctx, &first[i]); err != nil {
				return err
			}
		}
		for _, m := range dups {
			wantConflict(t, tx.AddMember(ctx, &m), directory.FieldUserID)
		}
		for i := range fine {
			if err := tx.AddMember(ctx, &fine[i]); err != nil {
				return err
			}
		}
		return nil
	})
	for _, m := range dups {
		err := s.Write(ctx, func(tx directory.Tx) error { return tx.AddMember(ctx, &m) })
		wantConflict(t, err, directory.FieldUserID)
	}
	page, err := s.Members(ctx, g.ID, directory.Query{Limit: 10})
	must(t, err)
	equal(t, "members", ids(page.Items), ids(append(first, fine[2:]...)))
}

func testMemberUsers(t *testing.T, open Opener) {
	s := openStore(t, open)
	users := createUsers(t, s, "d", "c", "b", "a", "outsider")
	g := createGroup(t, s, "g")
	addUsers(t, s, g, users[3], users[0], users[2], users[1])
	write(t, s, func(tx directory.Tx) error {
		m := directory.Member{GroupID: g.ID, SecurityProviderID: directory.LocalProviderID, GroupName: "not a user"}
		return tx.AddMember(ctx, &m)
	})
	page, err := s.MemberUsers(ctx, g.ID, directory.Query{Limit: 3})
	must(t, err)
	if !slices.Equal(ids(page.Items), ids(users[:3])) || page.Total != 4 {
		t.Fatalf("member users: %v total %d", ids(page.Items), page.Total)
	}
	equal(t, "member user", page.Items[0], users[0])
	page, err = s.MemberUsers(ctx, g.ID, directory.Query{Sort: []directory.SortKey{{Attr: directory.UserUsername}}, Offset: 1, Limit: 2})
	must(t, err)
	equal(t, "sorted member users", usernames(page.Items), []string{"b", "c"})
	page, err = s.MemberUsers(ctx, g.ID, directory.Query{Filter: cmp(directory.UserID, directory.OpGt, users[1].ID), Limit: 10})
	must(t, err)
	equal(t, "member users after an id", ids(page.Items), ids(users[2:4]))
}
