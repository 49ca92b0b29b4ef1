package directory

import "time"

// Source says where a user's identity comes from; it decides which fields
// the user may change and how it authenticates.
type Source string

const (
	SourceLocal Source = "local"
	SourceLDAP  Source = "ldap"
	// SourceActiveDirectory is an LDAP source that is Active Directory,
	// which BeyondInsight tells apart from other LDAP directories.
	SourceActiveDirectory Source = "active_directory"
	SourceSAML            Source = "saml"
	SourceSCIM            Source = "scim"
	SourceApplication     Source = "application"
)

// User is one person or application in the directory. Every face shows a
// view of this one record.
type User struct {
	ID                 int64
	Username           string
	FirstName          string
	LastName           string
	DisplayName        string
	Email              string
	Enabled            bool
	Quarantined        bool
	Admin              bool // PRA perm_admin: administrators are managed only from the CLI
	Source             Source
	SecurityProviderID int64
	// PasswordHash is an argon2id PHC string; it never leaves the server.
	PasswordHash           string `json:"-"`
	PublicKey              string
	Locale                 string
	TwoFactorRequired      bool
	FailedLogins           int
	PasswordExpiration     *time.Time
	PasswordResetNextLogin bool
	LastLogin              LastLogin
	ExternalID             string
	// DomainName and DistinguishedName locate a directory user (Active
	// Directory or LDAP) in its directory; empty for everyone else.
	DomainName        string
	DistinguishedName string
	// Application users sign in with OAuth2 client credentials: ClientID is
	// a GUID; SecretHash is the SHA-256 of the server-generated secret.
	// SecretGeneration increases when the secret is recycled or the
	// password changed, which ends every token and session issued with the
	// old one.
	ClientID         string
	SecretHash       []byte `json:"-"`
	SecretGeneration int64
	AccessPolicyID   int64
	// Profile is what an identity provider sent beyond the fields above.
	Profile Profile
	// Access is the effective permission set, recalculated from the user's
	// group policies when the user is provisioned (as PRA does), not on
	// every membership change.
	Access    AccessSettings
	CreatedAt time.Time
	UpdatedAt time.Time
	// Version increases on every write; faces expose it as an ETag.
	Version int64
}

// LastLogin describes the user's most recent successful authentication.
type LastLogin struct {
	At         *time.Time
	AuthType   string
	ConfigName string
	SAMLIdPURL string
	SSOURL     string
}

// UserChange carries the fields a write sets. Password is plain text here
// and is hashed by the Service before it reaches a Store.
type UserChange struct {
	Username               Set[string]
	FirstName              Set[string]
	LastName               Set[string]
	DisplayName            Set[string]
	Email                  Set[string]
	Enabled                Set[bool]
	Password               Set[string]
	PublicKey              Set[string]
	Locale                 Set[string]
	TwoFactorRequired      Set[bool]
	FailedLogins           Set[int]
	PasswordExpiration     Set[*time.Time]
	PasswordResetNextLogin Set[bool]
	ExternalID             Set[string]
	AccessPolicyID         Set[int64]
	Profile                Set[Profile]
}

// DefaultLocale is the locale of a user created without one.
const DefaultLocale = "en-us"

// apply copies the present fields of c onto u (the password excepted).
func (c UserChange) apply(u *User) {
	c.Username.apply(&u.Username)
	c.FirstName.apply(&u.FirstName)
	c.LastName.apply(&u.LastName)
	c.DisplayName.apply(&u.DisplayName)
	c.Email.apply(&u.Email)
	c.Enabled.apply(&u.Enabled)
	c.PublicKey.apply(&u.PublicKey)
	c.Locale.apply(&u.Locale)
	c.TwoFactorRequired.apply(&u.TwoFactorRequired)
	c.FailedLogins.apply(&u.FailedLogins)
	c.PasswordExpiration.apply(&u.PasswordExpiration)
	c.PasswordResetNextLogin.apply(&u.PasswordResetNextLogin)
	c.ExternalID.apply(&u.ExternalID)
	c.AccessPolicyID.apply(&u.AccessPolicyID)
	c.Profile.apply(&u.Profile)
	if u.PasswordExpiration != nil {
		t := u.PasswordExpiration.UTC().Truncate(time.Second)
		u.PasswordExpiration = &t
	}
}

// Validate checks the fields a change mentions, so that a PATCH of one
// field is not refused for another field's stored value.
func (c UserChange) Validate() Problems {
	p := Problems{}
	if c.Username.Present {
		checkLen(p, FieldUsername, c.Username.Value, 1, MaxUsername)
		checkText(p, FieldUsername, c.Username.Value)
	}
	if c.DisplayName.Present {
		checkLen(p, FieldDisplayName, c.DisplayName.Value, 1, MaxDisplayName)
		checkText(p, FieldDisplayName, c.DisplayName.Value)
	}
	if c.FirstName.Present {
		checkLen(p, FieldFirstName, c.FirstName.Value, 0, MaxPersonName)
		checkText(p, FieldFirstName, c.FirstName.Value)
	}
	if c.LastName.Present {
		checkLen(p, FieldLastName, c.LastName.Value, 0, MaxPersonName)
		checkText(p, FieldLastName, c.LastName.Value)
	}
	if c.Email.Present && c.Email.Value != "" {
		checkLen(p, FieldEmail, c.Email.Value, MinEmail, MaxEmail)
		checkEmail(p, FieldEmail, c.Email.Value)
	}
	if c.Password.Present {
		checkLen(p, FieldPassword, c.Password.Value, MinPassword, MaxPassword)
	}
	if c.Locale.Present {
		checkLocale(p, FieldLocale, c.Locale.Value)
	}
	if c.PublicKey.Present {
		checkLen(p, FieldPublicKey, c.PublicKey.Value, 0, MaxPublicKey)
		checkNoNUL(p, FieldPublicKey, c.PublicKey.Value) // PEM keys span lines
	}
	if c.ExternalID.Present {
		checkLen(p, FieldExternalID, c.ExternalID.Value, 0, MaxExternalID)
		checkText(p, FieldExternalID, c.ExternalID.Value)
	}
	if c.AccessPolicyID.Present && (c.AccessPolicyID.Value < 0 || c.AccessPolicyID.Value > MaxID) {
		p.Add(FieldAccessPolicyID, "must be between 1 and 2147483647")
	}
	if c.Profile.Present {
		c.Profile.Value.validate(p)
	}
	if c.FailedLogins.Present && c.FailedLogins.Value != 0 {
		p.Add(FieldFailedLogins, "may only be set to 0")
	}
	return p
}

// IsDirectoryUser reports whether the user's identity lives in an external
// directory (Active Directory or LDAP), which owns its name and password.
func (u *User) IsDirectoryUser() bool {
	return u.Source == SourceLDAP || u.Source == SourceActiveDirectory
}
