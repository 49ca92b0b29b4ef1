package ldaptest_test

import (
	"testing"
	"time"

	"github.com/go-ldap/ldap/v3"

	"github.com/gatehouse/gatehouse/internal/ldaptest"
)

func TestPersonCanBindAndSearch(t *testing.T) {
	began := time.Now()
	s := ldaptest.Start(t)
	t.Logf("slapd started in %v", time.Since(began))
	dn := s.AddPerson(t, ldaptest.Person{
		UID: "ada", GivenName: "Ada", Surname: "Lovelace", Mail: "ada@example.com", Password: "engine",
		SAMAccountName: "ADA", UPN: "ada@example.com",
	})

	conn, err := ldap.DialURL(s.URL())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if err := conn.Bind(dn, "engine"); err != nil {
		t.Fatalf("binding as %s: %v", dn, err)
	}
	res, err := conn.Search(ldap.NewSearchRequest(s.BaseDN, ldap.ScopeWholeSubtree, ldap.NeverDerefAliases, 0, 0, false,
		"(sAMAccountName=ada)", []string{"cn", "mail", "userPrincipalName", "userPassword"}, nil))
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Entries) != 1 {
		t.Fatalf("found %d entries, want 1", len(res.Entries))
	}
	e := res.Entries[0]
	if e.DN != dn || e.GetAttributeValue("cn") != "Ada Lovelace" || e.GetAttributeValue("mail") != "ada@example.com" ||
		e.GetAttributeValue("userPrincipalName") != "ada@example.com" {
		t.Errorf("found %s %v", e.DN, e.Attributes)
	}
	if e.GetAttributeValue("userPassword") != "" {
		t.Error("a person can read a password")
	}

	if err := conn.Bind(dn, "wrong"); !ldap.IsErrorWithCode(err, ldap.LDAPResultInvalidCredentials) {
		t.Errorf("binding with a wrong password: %v, want invalid credentials", err)
	}
}
