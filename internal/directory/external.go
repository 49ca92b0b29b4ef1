package directory

import (
	"context"
	"errors"
)

// DirectoryBind is how to reach and bind to an external directory (Active
// Directory or another LDAP server).
type DirectoryBind struct {
	Host         string
	Port         int // 0: 389, or 636 with UseSSL
	UseSSL       bool
	BindUser     string // a DN, or for Active Directory also user@domain or DOMAIN\user
	BindPassword string `json:"-"`
}

// ExternalAccount is what a directory says about one account.
type ExternalAccount struct {
	DN          string
	AccountName string // the value of the account-name attribute
	FirstName   string
	LastName    string
	DisplayName string
	Email       string
}

// AccountFinder looks accounts up in external directories. internal/ldapdir
// implements it over LDAP; the Service calls it before the write transaction
// that creates an Active Directory or LDAP user, never inside one.
type AccountFinder interface {
	// FindByName searches the subtree under base for the one entry whose
	// attribute attr equals name.
	FindByName(ctx context.Context, b DirectoryBind, base, attr, name string) (ExternalAccount, error)
	// ReadDN reads the entry dn, taking AccountName from attribute attr.
	ReadDN(ctx context.Context, b DirectoryBind, dn, attr string) (ExternalAccount, error)
	// Bind checks b's credentials by binding with them.
	Bind(ctx context.Context, b DirectoryBind) error
}

// Errors an AccountFinder wraps (with %w) so that the Service can tell the
// caller what went wrong without knowing LDAP.
var (
	// ErrDirectoryUnreachable: the directory could not be dialled, or the
	// TLS handshake failed.
	ErrDirectoryUnreachable = errors.New("the directory could not be reached")
	// ErrDirectoryBind: the directory refused the bind credentials.
	ErrDirectoryBind = errors.New("the directory refused the bind credentials")
	// ErrDirectoryNoAccount: no entry matched, or more than one did.
	ErrDirectoryNoAccount = errors.New("the account was not found in the directory")
)
