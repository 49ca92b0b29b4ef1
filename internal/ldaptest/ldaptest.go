// Package ldaptest gives tests a throwaway OpenLDAP server: a fresh slapd
// per call, on a free loopback port, with an empty directory under
// dc=example,dc=com and schemas for people and Active-Directory-like
// accounts. When slapd is not installed the test is skipped, or fails if
// GATEHOUSE_REQUIRE_LDAP=1 (as CI sets it, so that a missing slapd cannot
// pass for a green run).
package ldaptest

import (
	"fmt"
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/go-ldap/ldap/v3"
)

// EnvRequire turns a skip for want of slapd into a failure.
const EnvRequire = "GATEHOUSE_REQUIRE_LDAP"

// What every server is set up with.
const (
	BaseDN        = "dc=example,dc=com"
	AdminDN       = "cn=admin," + BaseDN
	AdminPassword = "ldaptest-admin"
	peopleDN      = "ou=people," + BaseDN
)

// Server is a running slapd that lives as long as the test that started it.
type Server struct {
	Host          string
	Port          int // ldap://
	LDAPSPort     int // ldaps://, 0 unless started by StartLDAPS
	BaseDN        string
	AdminDN       string
	AdminPassword string
}

// Person is an inetOrgPerson under ou=people. SAMAccountName and UPN are
// optional; either makes the entry an adAccount too.
type Person struct {
	UID, GivenName, Surname, Mail, Password string
	SAMAccountName, UPN                     string
}

// Start starts a server that speaks plain LDAP.
func Start(t testing.TB) *Server {
	t.Helper()
	return start(t, nil, nil)
}

// StartLDAPS starts a server that also speaks LDAP over TLS on LDAPSPort,
// presenting the PEM-encoded certificate and key.
func StartLDAPS(t testing.TB, certPEM, keyPEM []byte) *Server {
	t.Helper()
	return start(t, certPEM, keyPEM)
}

// URL is the server's plain ldap:// address.
func (s *Server) URL() string { return fmt.Sprintf("ldap://%s:%d", s.Host, s.Port) }

// AddEntry adds an entry, bound as the administrator.
func (s *Server) AddEntry(t testing.TB, dn string, attrs map[string][]string) {
	t.Helper()
	conn, err := ldap.DialURL(s.URL())
	if err != nil {
		t.Fatalf("ldaptest: %v", err)
	}
	defer conn.Close()
	if err := conn.Bind(s.AdminDN, s.AdminPassword); err != nil {
		t.Fatalf("ldaptest: binding as administrator: %v", err)
	}
	req := ldap.NewAddRequest(dn, nil)
	for name, values := range attrs {
		req.Attribute(name, values)
	}
	if err := conn.Add(req); err != nil {
		t.Fatalf("ldaptest: adding %s: %v", dn, err)
	}
}

// AddPerson adds uid=<UID>,ou=people,dc=example,dc=com and returns its DN.
// The schema requires cn and sn: cn is the full name, and both fall back to
// the UID.
func (s *Server) AddPerson(t testing.TB, p Person) string {
	t.Helper()
	dn := "uid=" + ldap.EscapeDN(p.UID) + "," + peopleDN
	attrs := map[string][]string{"objectClass": {"inetOrgPerson"}, "uid": {p.UID}}
	set := func(name string, values ...string) {
		for _, v := range values {
			if v != "" {
				attrs[name] = []string{v}
				return
			}
		}
	}
	set("cn", strings.TrimSpace(p.GivenName+" "+p.Surname), p.UID)
	set("sn", p.Surname, p.UID)
	set("givenName", p.GivenName)
	set("mail", p.Mail)
	set("userPassword", p.Password)
	if p.SAMAccountName != "" || p.UPN != "" {
		attrs["objectClass"] = append(attrs["objectClass"], "adAccount")
		set("sAMAccountName", p.SAMAccountName)
		set("userPrincipalName", p.UPN)
	}
	s.AddEntry(t, dn, attrs)
	return dn
}

// slapdPath is where Debian's slapd package installs the server.
const slapdPath = "/usr/sbin/slapd"

func start(t testing.TB, certPEM, keyPEM []byte) *Server {
	t.Helper()
	if _, err := exec.LookPath(slapdPath); err != nil {
		msg := fmt.Sprintf("ldaptest: no slapd for this test: %v\n"+
			"Install OpenLDAP's server, e.g. apt-get install slapd (Debian).", err)
		if os.Getenv(EnvRequire) == "1" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	s := &Server{Host: "127.0.0.1", BaseDN: BaseDN, AdminDN: AdminDN, AdminPassword: AdminPassword}
	p, err := launch(t.TempDir(), certPEM, keyPEM)
	if err != nil {
		t.Fatalf("ldaptest: %v", err)
	}
	t.Cleanup(p.stop)
	s.Port, s.LDAPSPort = p.port, p.ldapsPort
	s.AddEntry(t, BaseDN, map[string][]string{"objectClass": {"dcObject", "organization"}, "dc": {"example"}, "o": {"Example"}})
	s.AddEntry(t, peopleDN, map[string][]string{"objectClass": {"organizationalUnit"}, "ou": {"people"}})
	return s
}
