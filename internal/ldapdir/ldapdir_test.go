package ldapdir_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"math/big"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/gatehouse/gatehouse/internal/directory"
	"github.com/gatehouse/gatehouse/internal/ldapdir"
	"github.com/gatehouse/gatehouse/internal/ldaptest"
)

const svcPassword = "svc-secret"

func TestFinder(t *testing.T) {
	s := ldaptest.Start(t)
	svc := s.AddPerson(t, ldaptest.Person{UID: "svc", Password: svcPassword})
	ada := s.AddPerson(t, ldaptest.Person{UID: "ada", GivenName: "Ada", Surname: "Lovelace", Mail: "ada@example.com",
		SAMAccountName: "ADA", UPN: "ada@corp.example.com"})
	s.AddPerson(t, ldaptest.Person{UID: "twin1", Surname: "Twin", Mail: "twins@example.com"})
	s.AddPerson(t, ldaptest.Person{UID: "twin2", Surname: "Twin", Mail: "twins@example.com"})
	s.AddPerson(t, ldaptest.Person{UID: "twin3", Surname: "Twin"})
	grace := "uid=grace,ou=people," + s.BaseDN
	s.AddEntry(t, grace, map[string][]string{"objectClass": {"inetOrgPerson"}, "uid": {"grace"},
		"cn": {"Grace Hopper"}, "sn": {"Hopper"}, "displayName": {"Rear Admiral Hopper"}})

	bind := directory.DirectoryBind{Host: s.Host, Port: s.Port, BindUser: svc, BindPassword: svcPassword}
	f := &ldapdir.Finder{}
	ctx := context.Background()
	wantAda := directory.ExternalAccount{DN: ada, AccountName: "ada", FirstName: "Ada", LastName: "Lovelace",
		DisplayName: "Ada Lovelace", Email: "ada@example.com"}

	cases := []struct {
		name      string
		find      func() (directory.ExternalAccount, error)
		want      directory.ExternalAccount
		wantError error
	}{
		{"by name", func() (directory.ExternalAccount, error) {
			return f.FindByName(ctx, bind, s.BaseDN, "uid", "ada")
		}, wantAda, nil},
		{"by DN", func() (directory.ExternalAccount, error) {
			return f.ReadDN(ctx, bind, grace, "uid")
		}, directory.ExternalAccount{DN: grace, AccountName: "grace", LastName: "Hopper", DisplayName: "Rear Admiral Hopper"}, nil},
		{"by sAMAccountName, ignoring case", func() (directory.ExternalAccount, error) {
			return f.FindByName(ctx, bind, s.BaseDN, "sAMAccountName", "ada")
		}, withAccountName(wantAda, "ADA"), nil},
		{"by userPrincipalName", func() (directory.ExternalAccount, error) {
			return f.FindByName(ctx, bind, s.BaseDN, "userPrincipalName", "ada@corp.example.com")
		}, withAccountName(wantAda, "ada@corp.example.com"), nil},
		{"wrong password", func() (directory.ExternalAccount, error) {
			b := bind
			b.BindPassword = "not-the-password"
			return f.FindByName(ctx, b, s.BaseDN, "uid", "ada")
		}, directory.ExternalAccount{}, directory.ErrDirectoryBind},
		{"empty password", func() (directory.ExternalAccount, error) {
			b := bind
			b.BindPassword = ""
			return f.FindByName(ctx, b, s.BaseDN, "uid", "ada")
		}, directory.ExternalAccount{}, directory.ErrDirectoryBind},
		{"bind", func() (directory.ExternalAccount, error) {
			return directory.ExternalAccount{}, f.Bind(ctx, bind)
		}, directory.ExternalAccount{}, nil},
		{"bind with a wrong password", func() (directory.ExternalAccount, error) {
			b := bind
			b.BindPassword = "not-the-password"
			return directory.ExternalAccount{}, f.Bind(ctx, b)
		}, directory.ExternalAccount{}, directory.ErrDirectoryBind},
		{"bind with an empty password", func() (directory.ExternalAccount, error) {
			b := bind
			b.BindPassword = ""
			return directory.ExternalAccount{}, f.Bind(ctx, b)
		}, directory.ExternalAccount{}, directory.ErrDirectoryBind},
		{"unknown name", func() (directory.ExternalAccount, error) {
			return f.FindByName(ctx, bind, s.BaseDN, "uid", "nobody")
		}, directory.ExternalAccount{}, directory.ErrDirectoryNoAccount},
		{"unknown DN", func() (directory.ExternalAccount, error) {
			return f.ReadDN(ctx, bind, "uid=nobody,ou=people,"+s.BaseDN, "uid")
		}, directory.ExternalAccount{}, directory.ErrDirectoryNoAccount},
		{"wildcard", func() (directory.ExternalAccount, error) {
			return f.FindByName(ctx, bind, s.BaseDN, "uid", "*")
		}, directory.ExternalAccount{}, directory.ErrDirectoryNoAccount},
		{"filter injection", func() (directory.ExternalAccount, error) {
			return f.FindByName(ctx, bind, s.BaseDN, "uid", "a)(uid=*")
		}, directory.ExternalAccount{}, directory.ErrDirectoryNoAccount},
		{"attribute injection", func() (directory.ExternalAccount, error) {
			return f.FindByName(ctx, bind, s.BaseDN, "uid=*)(uid", "ada")
		}, directory.ExternalAccount{}, directory.ErrDirectoryNoAccount},
		{"two matches", func() (directory.ExternalAccount, error) {
			return f.FindByName(ctx, bind, s.BaseDN, "mail", "twins@example.com")
		}, directory.ExternalAccount{}, directory.ErrDirectoryNoAccount},
		{"three matches, past the size limit", func() (directory.ExternalAccount, error) {
			return f.FindByName(ctx, bind, s.BaseDN, "sn", "Twin")
		}, directory.ExternalAccount{}, directory.ErrDirectoryNoAccount},
		{"unreachable", func() (directory.ExternalAccount, error) {
			b := bind
			b.Port = closedPort(t)
			return f.FindByName(ctx, b, s.BaseDN, "uid", "ada")
		}, directory.ExternalAccount{}, directory.ErrDirectoryUnreachable},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := c.find()
			if !errors.Is(err, c.wantError) || got != c.want {
				t.Errorf("got %+v, %v; want %+v, %v", got, err, c.want, c.wantError)
			}
			if err != nil && strings.Contains(err.Error(), "not-the-password") {
				t.Errorf("the error shows the password: %v", err)
			}
		})
	}
}

func withAccountName(a directory.ExternalAccount, name string) directory.ExternalAccount {
	a.AccountName = name
	return a
}

func TestTimeout(t *testing.T) {
	// A server that accepts connections and never answers.
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			t.Cleanup(func() { c.Close() })
		}
	}()
	f := &ldapdir.Finder{Timeout: 200 * time.Millisecond}
	b := directory.DirectoryBind{Host: "127.0.0.1", Port: l.Addr().(*net.TCPAddr).Port, BindUser: "cn=x", BindPassword: "x"}
	began := time.Now()
	_, err = f.FindByName(context.Background(), b, "dc=example,dc=com", "uid", "ada")
	if !errors.Is(err, directory.ErrDirectoryUnreachable) || !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("got %v, want a timeout", err)
	}
	if d := time.Since(began); d > 5*time.Second {
		t.Errorf("gave up after %v", d)
	}
}

func TestLDAPS(t *testing.T) {
	certPEM, keyPEM := selfSigned(t, "127.0.0.1")
	s := ldaptest.StartLDAPS(t, certPEM, keyPEM)
	svc := s.AddPerson(t, ldaptest.Person{UID: "svc", Password: svcPassword})
	ada := s.AddPerson(t, ldaptest.Person{UID: "ada", Surname: "Lovelace"})
	bind := directory.DirectoryBind{Host: s.Host, Port: s.LDAPSPort, UseSSL: true, BindUser: svc, BindPassword: svcPassword}

	roots := x509.NewCertPool()
	roots.AppendCertsFromPEM(certPEM)
	got, err := (&ldapdir.Finder{RootCAs: roots}).FindByName(context.Background(), bind, s.BaseDN, "uid", "ada")
	if err != nil || got.DN != ada {
		t.Errorf("trusting the certificate: got %+v, %v; want %s", got, err, ada)
	}
	_, err = (&ldapdir.Finder{}).FindByName(context.Background(), bind, s.BaseDN, "uid", "ada")
	if !errors.Is(err, directory.ErrDirectoryUnreachable) {
		t.Errorf("not trusting the certificate: got %v, want %v", err, directory.ErrDirectoryUnreachable)
	}
}

// selfSigned makes a certificate for an IP address, and its key, in PEM.
func selfSigned(t *testing.T, ip string) (certPEM, keyPEM []byte) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1),
		Subject:      pkix.Name{CommonName: ip},
		IPAddresses:  []net.IP{net.ParseIP(ip)},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(time.Hour),
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	pkcs8, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}),
		pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: pkcs8})
}

// closedPort is a loopback port that nothing listens on.
func closedPort(t *testing.T) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}
