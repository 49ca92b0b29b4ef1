// Package ldapdir looks accounts up in LDAP directories, Active Directory
// among them.
package ldapdir

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"regexp"
	"strconv"
	"time"

	"github.com/go-ldap/ldap/v3"

	"github.com/gatehouse/gatehouse/internal/directory"
)

// Finder implements directory.AccountFinder.
type Finder struct {
	// RootCAs verifies ldaps:// servers; nil means the system pool.
	RootCAs *x509.CertPool
	// Timeout bounds dial + bind + search; 0 means 10 seconds.
	Timeout time.Duration
}

var _ directory.AccountFinder = (*Finder)(nil)

// attrName keeps FindByName's filter to the one assertion it means: only
// the value is escaped, so the attribute must not need escaping.
var attrName = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9-]*$`)

// FindByName implements directory.AccountFinder.
func (f *Finder) FindByName(ctx context.Context, b directory.DirectoryBind, base, attr, name string) (directory.ExternalAccount, error) {
	// Two results are enough to tell one match from several.
	return f.search(ctx, b, attr, fmt.Sprintf("%s=%q under %s", attr, name, base),
		ldap.NewSearchRequest(base, ldap.ScopeWholeSubtree, ldap.NeverDerefAliases, 2, 0, false,
			"("+attr+"="+ldap.EscapeFilter(name)+")", attributes(attr), nil))
}

// ReadDN implements directory.AccountFinder.
func (f *Finder) ReadDN(ctx context.Context, b directory.DirectoryBind, dn, attr string) (directory.ExternalAccount, error) {
	return f.search(ctx, b, attr, dn, ldap.NewSearchRequest(dn, ldap.ScopeBaseObject, ldap.NeverDerefAliases, 0, 0, false,
		"(objectClass=*)", attributes(attr), nil))
}

func attributes(attr string) []string {
	return []string{attr, "givenName", "sn", "mail", "displayName", "cn"}
}

// Bind implements directory.AccountFinder.
func (f *Finder) Bind(ctx context.Context, b directory.DirectoryBind) error {
	ctx, cancel := f.withTimeout(ctx)
	defer cancel()
	conn, err := f.bind(ctx, b)
	if err != nil {
		return err
	}
	conn.Close()
	return nil
}

// search runs req and reads the one entry it finds; what names the entry
// sought in errors.
func (f *Finder) search(ctx context.Context, b directory.DirectoryBind, attr, what string, req *ldap.SearchRequest) (directory.ExternalAccount, error) {
	var none directory.ExternalAccount
	if !attrName.MatchString(attr) {
		return none, fmt.Errorf("%w: %q is not an attribute name", directory.ErrDirectoryNoAccount, attr)
	}
	ctx, cancel := f.withTimeout(ctx)
	defer cancel()
	conn, err := f.bind(ctx, b)
	if err != nil {
		return none, err
	}
	defer conn.Close()
	res, err := conn.Search(req)
	switch {
	case err != nil && !answered(err):
		return none, unreachable(ctx, err)
	case ldap.IsErrorWithCode(err, ldap.LDAPResultNoSuchObject), ldap.IsErrorWithCode(err, ldap.LDAPResultInvalidDNSyntax):
		return none, fmt.Errorf("%w: %s does not exist", directory.ErrDirectoryNoAccount, req.BaseDN)
	case ldap.IsErrorWithCode(err, ldap.LDAPResultSizeLimitExceeded), err == nil && len(res.Entries) > 1:
		return none, fmt.Errorf("%w: more than one entry for %s", directory.ErrDirectoryNoAccount, what)
	case err != nil:
		return none, fmt.Errorf("searching the directory for %s: %w", what, err)
	case len(res.Entries) == 0:
		return none, fmt.Errorf("%w: no entry for %s", directory.ErrDirectoryNoAccount, what)
	}
	e := res.Entries[0]
	display := e.GetEqualFoldAttributeValue("displayName")
	if display == "" {
		display = e.GetEqualFoldAttributeValue("cn")
	}
	return directory.ExternalAccount{
		DN:          e.DN,
		AccountName: e.GetEqualFoldAttributeValue(attr),
		FirstName:   e.GetEqualFoldAttributeValue("givenName"),
		LastName:    e.GetEqualFoldAttributeValue("sn"),
		DisplayName: display,
		Email:       e.GetEqualFoldAttributeValue("mail"),
	}, nil
}

func (f *Finder) withTimeout(ctx context.Context) (context.Context, context.CancelFunc) {
	if f.Timeout == 0 {
		return context.WithTimeout(ctx, 10*time.Second)
	}
	return context.WithTimeout(ctx, f.Timeout)
}

// bind dials the directory and binds with b's credentials.
func (f *Finder) bind(ctx context.Context, b directory.DirectoryBind) (*ldap.Conn, error) {
	// A simple bind with an empty password is an unauthenticated bind
	// (RFC 4513 5.1.2), which many servers accept as anonymous.
	if b.BindUser == "" || b.BindPassword == "" {
		return nil, fmt.Errorf("%w: a bind user and password are required", directory.ErrDirectoryBind)
	}
	conn, err := f.dial(ctx, b)
	if err != nil {
		return nil, unreachable(ctx, err)
	}
	if err := conn.Bind(b.BindUser, b.BindPassword); err != nil {
		conn.Close()
		if !answered(err) {
			return nil, unreachable(ctx, err)
		}
		return nil, fmt.Errorf("%w: %v", directory.ErrDirectoryBind, err)
	}
	return conn, nil
}

func (f *Finder) dial(ctx context.Context, b directory.DirectoryBind) (*ldap.Conn, error) {
	port := b.Port
	if port == 0 {
		port = 389
		if b.UseSSL {
			port = 636
		}
	}
	tcp, err := new(net.Dialer).DialContext(ctx, "tcp", net.JoinHostPort(b.Host, strconv.Itoa(port)))
	if err != nil {
		return nil, err
	}
	// go-ldap's calls take no context; closing the socket under them is
	// what ends them when ctx does.
	context.AfterFunc(ctx, func() { tcp.Close() })
	raw := tcp
	if b.UseSSL {
		tc := tls.Client(tcp, &tls.Config{RootCAs: f.RootCAs, ServerName: b.Host, MinVersion: tls.VersionTLS12})
		if err := tc.HandshakeContext(ctx); err != nil {
			tcp.Close()
			return nil, err
		}
		raw = tc
	}
	conn := ldap.NewConn(raw, b.UseSSL)
	conn.Start()
	return conn, nil
}

// answered reports whether err is the server's reply rather than a failure
// to talk with it: go-ldap numbers its own errors from ErrorNetwork up, and
// reports a broken connection with plain errors.
func answered(err error) bool {
	var le *ldap.Error
	return errors.As(err, &le) && le.ResultCode < ldap.ErrorNetwork
}

func unreachable(ctx context.Context, err error) error {
	if ctx.Err() != nil {
		err = ctx.Err()
	}
	return fmt.Errorf("%w: %w", directory.ErrDirectoryUnreachable, err)
}
