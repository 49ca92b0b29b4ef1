package dump

import (
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/gatehouse/gatehouse/internal/directory"
)

// The records are the dump's wire format: explicit snake_case structs, so
// that renaming a domain field cannot change the format unnoticed. Each
// converts from its domain value (for export) and back (for import).

// record is a row read from a dump.
type record interface {
	// what names the row in messages: "user 5".
	what() string
	// check refuses values the store would keep but the directory cannot
	// work with (an unknown source, a zero id).
	check() error
	// refs are the rows it refers to, for explaining a failed insert.
	refs() []ref
}

// newRecord returns an empty record of a row type, or nil.
func newRecord(typ string) record {
	switch typ {
	case TypeSecurityProvider:
		return new(providerRecord)
	case TypeUser:
		return new(userRecord)
	case TypeGroup:
		return new(groupRecord)
	case TypeMember:
		return new(memberRecord)
	case TypeTeam:
		return new(teamRecord)
	case TypeTeamUser:
		return new(teamUserRecord)
	case TypeAPIAccount:
		return new(accountRecord)
	case TypeAPIRegistration:
		return new(registrationRecord)
	case TypeSecret:
		return new(secretRecord)
	case TypeEvent:
		return new(eventRecord)
	}
	return nil
}

type providerRecord struct {
	Type               string                 `json:"type"`
	ID                 int64                  `json:"id"`
	ProviderType       directory.ProviderType `json:"provider_type"`
	Name               string                 `json:"name"`
	Enabled            bool                   `json:"enabled"`
	UserAuthentication bool                   `json:"user_authentication"`
	GroupLookup        bool                   `json:"group_lookup"`
	Priority           int                    `json:"priority"`
	DefaultPolicyID    int64                  `json:"default_policy_id"`
	// Directory is null for all but Active Directory and LDAP providers
	// (and absent from version 1 dumps).
	Directory *directoryRecord `json:"directory"`
}

// directoryRecord is directory.DirectorySettings. BindPassword is left out
// with the credentials (see ExportOptions).
type directoryRecord struct {
	Kind             directory.Source `json:"kind"`
	Domain           string           `json:"domain"`
	Host             string           `json:"host"`
	Port             int              `json:"port"`
	UseSSL           bool             `json:"use_ssl"`
	BaseDN           string           `json:"base_dn"`
	AccountAttribute string           `json:"account_attribute"`
	BindUser         string           `json:"bind_user"`
	BindPassword     string           `json:"bind_password,omitempty"`
}

func fromProvider(p directory.SecurityProvider, withCredentials bool) providerRecord {
	r := providerRecord{TypeSecurityProvider, p.ID, p.Type, p.Name, p.Enabled, p.UserAuthentication,
		p.GroupLookup, p.Priority, p.DefaultPolicyID, nil}
	if d := p.Directory; d != nil {
		r.Directory = &directoryRecord{Kind: d.Kind, Domain: d.Domain, Host: d.Host, Port: d.Port, UseSSL: d.UseSSL,
			BaseDN: d.BaseDN, AccountAttribute: d.AccountAttribute, BindUser: d.BindUser, BindPassword: d.BindPassword}
		if !withCredentials {
			r.Directory.BindPassword = ""
		}
	}
	return r
}

func (r *providerRecord) provider() directory.SecurityProvider {
	p := directory.SecurityProvider{ID: r.ID, Type: r.ProviderType, Name: r.Name, Enabled: r.Enabled,
		UserAuthentication: r.UserAuthentication, GroupLookup: r.GroupLookup, Priority: r.Priority,
		DefaultPolicyID: r.DefaultPolicyID}
	if d := r.Directory; d != nil {
		p.Directory = &directory.DirectorySettings{Kind: d.Kind, Domain: d.Domain, Host: d.Host, Port: d.Port,
			UseSSL: d.UseSSL, BaseDN: d.BaseDN, AccountAttribute: d.AccountAttribute, BindUser: d.BindUser,
			BindPassword: d.BindPassword}
	}
	return p
}

func (r *providerRecord) what() string { return fmt.Sprintf("security provider %d", r.ID) }

func (r *providerRecord) check() error {
	err := firstErr(positive("id", r.ID), oneOf("provider_type", r.ProviderType, directory.ProviderLocal,
		directory.ProviderLDAP, directory.ProviderRADIUS, directory.ProviderKerberos, directory.ProviderSAML,
		directory.ProviderSCIM))
	if err == nil && r.Directory != nil {
		err = firstErr(oneOf("provider_type", r.ProviderType, directory.ProviderLDAP),
			oneOf("directory.kind", r.Directory.Kind, directory.SourceActiveDirectory, directory.SourceLDAP))
	}
	return err
}

func (r *providerRecord) refs() []ref { return nil }

type lastLogin struct {
	At         *time.Time `json:"at"`
	AuthType   string     `json:"auth_type"`
	ConfigName string     `json:"config_name"`
	SAMLIdPURL string     `json:"saml_idp_url"`
	SSOURL     string     `json:"sso_url"`
}

type userRecord struct {
	Type               string           `json:"type"`
	ID                 int64            `json:"id"`
	Username           string           `json:"username"`
	FirstName          string           `json:"first_name"`
	LastName           string           `json:"last_name"`
	DisplayName        string           `json:"display_name"`
	Email              string           `json:"email"`
	Enabled            bool             `json:"enabled"`
	Quarantined        bool             `json:"quarantined"`
	Admin              bool             `json:"admin"`
	Source             directory.Source `json:"source"`
	SecurityProviderID int64            `json:"security_provider_id"`
	// PasswordHash is left out by --no-password-hashes, and for users who
	// authenticate elsewhere (who have none).
	PasswordHash           string                   `json:"password_hash,omitempty"`
	PublicKey              string                   `json:"public_key"`
	Locale                 string                   `json:"locale"`
	TwoFactorRequired      bool                     `json:"two_factor_required"`
	FailedLogins           int                      `json:"failed_logins"`
	PasswordExpiration     *time.Time               `json:"password_expiration"`
	PasswordResetNextLogin bool                     `json:"password_reset_next_login"`
	LastLogin              lastLogin                `json:"last_login"`
	ExternalID             string                   `json:"external_id"`
	Access                 directory.AccessSettings `json:"access"`
	CreatedAt              time.Time                `json:"created_at"`
	UpdatedAt              time.Time                `json:"updated_at"`
	Version                int64                    `json:"version"`
	// The BeyondInsight fields, absent from version 1 dumps. SecretHash,
	// an application user's, is left out with the credentials.
	DomainName        string `json:"domain_name"`
	DistinguishedName string `json:"distinguished_name"`
	ClientID          string `json:"client_id"`
	SecretHash        []byte `json:"secret_hash,omitempty"`
	SecretGeneration  int64  `json:"secret_generation"`
	AccessPolicyID    int64  `json:"access_policy_id"`
	// Profile is absent from dumps before version 3, which is the zero
	// profile, as the migration that added it gave every user.
	Profile profileRecord `json:"profile"`
}

func fromUser(u directory.User, withCredentials bool) userRecord {
	r := userRecord{TypeUser, u.ID, u.Username, u.FirstName, u.LastName, u.DisplayName, u.Email, u.Enabled,
		u.Quarantined, u.Admin, u.Source, u.SecurityProviderID, u.PasswordHash, u.PublicKey, u.Locale,
		u.TwoFactorRequired, u.FailedLogins, u.PasswordExpiration, u.PasswordResetNextLogin,
		lastLogin(u.LastLogin), u.ExternalID, u.Access, u.CreatedAt, u.UpdatedAt, u.Version,
		u.DomainName, u.DistinguishedName, u.ClientID, u.SecretHash, u.SecretGeneration, u.AccessPolicyID,
		fromProfile(u.Profile)}
	if !withCredentials {
		r.PasswordHash, r.SecretHash = "", nil
	}
	return r
}

func (r *userRecord) user() directory.User {
	return directory.User{ID: r.ID, Username: r.Username, FirstName: r.FirstName, LastName: r.LastName,
		DisplayName: r.DisplayName, Email: r.Email, Enabled: r.Enabled, Quarantined: r.Quarantined, Admin: r.Admin,
		Source: r.Source, SecurityProviderID: r.SecurityProviderID, PasswordHash: r.PasswordHash,
		PublicKey: r.PublicKey, Locale: r.Locale, TwoFactorRequired: r.TwoFactorRequired,
		FailedLogins: r.FailedLogins, PasswordExpiration: r.PasswordExpiration,
		PasswordResetNextLogin: r.PasswordResetNextLogin, LastLogin: directory.LastLogin(r.LastLogin),
		ExternalID: r.ExternalID, Access: r.Access, CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt, Version: r.Version,
		DomainName: r.DomainName, DistinguishedName: r.DistinguishedName, ClientID: r.ClientID,
		SecretHash: r.SecretHash, SecretGeneration: r.SecretGeneration, AccessPolicyID: r.AccessPolicyID,
		Profile: r.Profile.profile()}
}

func (r *userRecord) what() string { return fmt.Sprintf("user %d", r.ID) }

func (r *userRecord) check() error {
	return firstErr(positive("id", r.ID), oneOf("source", r.Source, directory.SourceLocal, directory.SourceLDAP,
		directory.SourceActiveDirectory, directory.SourceSAML, directory.SourceSCIM, directory.SourceApplication),
		hashLength("secret_hash", r.SecretHash), r.Profile.check())
}

func (r *userRecord) refs() []ref { return []ref{{TypeSecurityProvider, r.SecurityProviderID}} }

// profileRecord is directory.Profile. Its empty fields are left out, as an
// empty list is: the store reads an empty list back as none.
type profileRecord struct {
	NameFormatted     string           `json:"name_formatted,omitempty"`
	MiddleName        string           `json:"middle_name,omitempty"`
	HonorificPrefix   string           `json:"honorific_prefix,omitempty"`
	HonorificSuffix   string           `json:"honorific_suffix,omitempty"`
	NickName          string           `json:"nick_name,omitempty"`
	ProfileURL        string           `json:"profile_url,omitempty"`
	Title             string           `json:"title,omitempty"`
	UserType          string           `json:"user_type,omitempty"`
	PreferredLanguage string           `json:"preferred_language,omitempty"`
	Timezone          string           `json:"timezone,omitempty"`
	Emails            []contactRecord  `json:"emails,omitempty"`
	PhoneNumbers      []contactRecord  `json:"phone_numbers,omitempty"`
	Addresses         []addressRecord  `json:"addresses,omitempty"`
	Enterprise        enterpriseRecord `json:"enterprise,omitzero"`
}

// contactRecord, addressRecord and enterpriseRecord have the fields of
// directory.Contact, Address and Enterprise, so that each converts to the
// other (and stops compiling when they part).
type contactRecord struct {
	Value   string `json:"value"`
	Type    string `json:"type,omitempty"`
	Display string `json:"display,omitempty"`
	Primary bool   `json:"primary,omitempty"`
}

type addressRecord struct {
	Formatted     string `json:"formatted,omitempty"`
	StreetAddress string `json:"street_address,omitempty"`
	Locality      string `json:"locality,omitempty"`
	Region        string `json:"region,omitempty"`
	PostalCode    string `json:"postal_code,omitempty"`
	Country       string `json:"country,omitempty"`
	Type          string `json:"type,omitempty"`
	Primary       bool   `json:"primary,omitempty"`
}

type enterpriseRecord struct {
	EmployeeNumber     string `json:"employee_number,omitempty"`
	CostCenter         string `json:"cost_center,omitempty"`
	Organization       string `json:"organization,omitempty"`
	Division           string `json:"division,omitempty"`
	Department         string `json:"department,omitempty"`
	ManagerID          string `json:"manager_id,omitempty"`
	ManagerDisplayName string `json:"manager_display_name,omitempty"`
}

func fromProfile(p directory.Profile) profileRecord {
	return profileRecord{NameFormatted: p.NameFormatted, MiddleName: p.MiddleName, HonorificPrefix: p.HonorificPrefix,
		HonorificSuffix: p.HonorificSuffix, NickName: p.NickName, ProfileURL: p.ProfileURL, Title: p.Title,
		UserType: p.UserType, PreferredLanguage: p.PreferredLanguage, Timezone: p.Timezone,
		Emails:       convertAll(p.Emails, func(c directory.Contact) contactRecord { return contactRecord(c) }),
		PhoneNumbers: convertAll(p.PhoneNumbers, func(c directory.Contact) contactRecord { return contactRecord(c) }),
		Addresses:    convertAll(p.Addresses, func(a directory.Address) addressRecord { return addressRecord(a) }),
		Enterprise:   enterpriseRecord(p.Enterprise)}
}

// profile reads empty lists as nil, as the store does.
func (r *profileRecord) profile() directory.Profile {
	return directory.Profile{NameFormatted: r.NameFormatted, MiddleName: r.MiddleName, HonorificPrefix: r.HonorificPrefix,
		HonorificSuffix: r.HonorificSuffix, NickName: r.NickName, ProfileURL: r.ProfileURL, Title: r.Title,
		UserType: r.UserType, PreferredLanguage: r.PreferredLanguage, Timezone: r.Timezone,
		Emails:       convertAll(r.Emails, func(c contactRecord) directory.Contact { return directory.Contact(c) }),
		PhoneNumbers: convertAll(r.PhoneNumbers, func(c contactRecord) directory.Contact { return directory.Contact(c) }),
		Addresses:    convertAll(r.Addresses, func(a addressRecord) directory.Address { return directory.Address(a) }),
		Enterprise:   directory.Enterprise(r.Enterprise)}
}

// check refuses a profile the directory would not take (too long, too
// many items, NUL): a dump cannot make a user row unbounded either.
func (r *profileRecord) check() error {
	p := directory.UserChange{Profile: directory.To(r.profile())}.Validate()
	if msgs := p[directory.FieldProfile]; len(msgs) > 0 {
		return fmt.Errorf("profile %s", strings.Join(msgs, "; "))
	}
	return nil
}

// convertAll converts every item of a list, an empty one to nil.
func convertAll[T, R any](in []T, conv func(T) R) []R {
	if len(in) == 0 {
		return nil
	}
	out := make([]R, len(in))
	for i, v := range in {
		out[i] = conv(v)
	}
	return out
}

type groupRecord struct {
	Type               string                   `json:"type"`
	ID                 int64                    `json:"id"`
	Name               string                   `json:"name"`
	Description        string                   `json:"description"`
	Source             directory.Source         `json:"source"`
	SecurityProviderID int64                    `json:"security_provider_id"`
	ExternalID         string                   `json:"external_id"`
	AccessStatus       directory.AccessStatus   `json:"access_status"`
	Access             directory.AccessSettings `json:"access"`
	CreatedAt          time.Time                `json:"created_at"`
	UpdatedAt          time.Time                `json:"updated_at"`
	Version            int64                    `json:"version"`
	// The BeyondInsight fields. A version 1 dump has none, and its groups
	// are active, as the migration that added the field made every group.
	Active          *bool              `json:"active"`
	Permissions     []permissionRecord `json:"permissions"`
	RegistrationIDs []int64            `json:"registration_ids"`
}

type permissionRecord struct {
	PermissionID int64                 `json:"permission_id"`
	Level        directory.AccessLevel `json:"access_level"`
}

func fromGroup(g directory.Group) groupRecord {
	r := groupRecord{TypeGroup, g.ID, g.Name, g.Description, g.Source, g.SecurityProviderID, g.ExternalID,
		g.AccessStatus, g.Access, g.CreatedAt, g.UpdatedAt, g.Version, &g.Active,
		make([]permissionRecord, len(g.Permissions)), g.RegistrationIDs}
	for i, p := range g.Permissions {
		r.Permissions[i] = permissionRecord(p)
	}
	if r.RegistrationIDs == nil {
		r.RegistrationIDs = []int64{}
	}
	return r
}

// group reads empty lists as nil, as the store does.
func (r *groupRecord) group() directory.Group {
	g := directory.Group{ID: r.ID, Name: r.Name, Description: r.Description, Source: r.Source,
		SecurityProviderID: r.SecurityProviderID, ExternalID: r.ExternalID, AccessStatus: r.AccessStatus,
		Access: r.Access, CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt, Version: r.Version, Active: true}
	if r.Active != nil {
		g.Active = *r.Active
	}
	for _, p := range r.Permissions {
		g.Permissions = append(g.Permissions, directory.GroupPermission(p))
	}
	if len(r.RegistrationIDs) > 0 {
		g.RegistrationIDs = r.RegistrationIDs
	}
	return g
}

func (r *groupRecord) what() string { return fmt.Sprintf("group %d", r.ID) }

func (r *groupRecord) check() error {
	err := firstErr(positive("id", r.ID),
		oneOf("source", r.Source, directory.SourceLocal, directory.SourceLDAP, directory.SourceActiveDirectory,
			directory.SourceSAML, directory.SourceSCIM),
		oneOf("access_status", r.AccessStatus, directory.AccessNotDefined, directory.AccessDefined, directory.AccessFinal))
	for _, id := range r.RegistrationIDs {
		if err == nil {
			err = positive("registration_ids", id)
		}
	}
	return err
}

func (r *groupRecord) refs() []ref { return []ref{{TypeSecurityProvider, r.SecurityProviderID}} }

type memberRecord struct {
	Type               string    `json:"type"`
	ID                 int64     `json:"id"`
	GroupID            int64     `json:"group_id"`
	SecurityProviderID int64     `json:"security_provider_id"`
	UserID             int64     `json:"user_id"` // 0 for an external group or DN
	DistinguishedName  string    `json:"distinguished_name"`
	GroupName          string    `json:"group_name"`
	CreatedAt          time.Time `json:"created_at"`
}

func fromMember(m directory.Member) memberRecord {
	return memberRecord{TypeMember, m.ID, m.GroupID, m.SecurityProviderID, m.UserID, m.DistinguishedName,
		m.GroupName, m.CreatedAt}
}

func (r *memberRecord) what() string { return fmt.Sprintf("member %d of group %d", r.ID, r.GroupID) }

func (r *memberRecord) check() error { return positive("id", r.ID) }

func (r *memberRecord) refs() []ref {
	refs := []ref{{TypeGroup, r.GroupID}, {TypeSecurityProvider, r.SecurityProviderID}}
	if r.UserID != 0 {
		refs = append(refs, ref{TypeUser, r.UserID})
	}
	return refs
}

func (r *memberRecord) member() directory.Member {
	return directory.Member{ID: r.ID, GroupID: r.GroupID, SecurityProviderID: r.SecurityProviderID,
		UserID: r.UserID, DistinguishedName: r.DistinguishedName, GroupName: r.GroupName, CreatedAt: r.CreatedAt}
}

type teamRecord struct {
	Type      string    `json:"type"`
	ID        int64     `json:"id"`
	Name      string    `json:"name"`
	CodeName  string    `json:"code_name"`
	Comments  *string   `json:"comments"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

func fromTeam(t directory.Team) teamRecord {
	return teamRecord{TypeTeam, t.ID, t.Name, t.CodeName, t.Comments, t.CreatedAt, t.UpdatedAt}
}

func (r *teamRecord) what() string { return fmt.Sprintf("team %d", r.ID) }
func (r *teamRecord) check() error { return positive("id", r.ID) }
func (r *teamRecord) refs() []ref  { return nil }

func (r *teamRecord) team() directory.Team {
	return directory.Team{ID: r.ID, Name: r.Name, CodeName: r.CodeName, Comments: r.Comments,
		CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt}
}

type teamUserRecord struct {
	Type   string             `json:"type"`
	TeamID int64              `json:"team_id"`
	UserID int64              `json:"user_id"`
	Role   directory.TeamRole `json:"role"`
}

func fromTeamUser(tu directory.TeamUser) teamUserRecord {
	return teamUserRecord{TypeTeamUser, tu.TeamID, tu.UserID, tu.Role}
}

func (r *teamUserRecord) what() string { return fmt.Sprintf("user %d of team %d", r.UserID, r.TeamID) }

func (r *teamUserRecord) check() error {
	return oneOf("role", r.Role, directory.RoleMember, directory.RoleLead, directory.RoleManager)
}

func (r *teamUserRecord) refs() []ref { return []ref{{TypeTeam, r.TeamID}, {TypeUser, r.UserID}} }

func (r *teamUserRecord) teamUser() directory.TeamUser {
	return directory.TeamUser{TeamID: r.TeamID, UserID: r.UserID, Role: r.Role}
}

// accountRecord has no secret hash: an exported secret (even hashed) would
// be a credential in a file. The import gives the account a random one.
type accountRecord struct {
	Type            string                `json:"type"`
	ID              int64                 `json:"id"`
	Name            string                `json:"name"`
	Comments        string                `json:"comments"`
	Enabled         bool                  `json:"enabled"`
	IPAllow         []string              `json:"ip_allow"`
	ClientID        string                `json:"client_id"`
	Permissions     directory.Permissions `json:"permissions"`
	FailedLogins    int                   `json:"failed_logins"`
	LockedUntil     *time.Time            `json:"locked_until"`
	TokenGeneration int64                 `json:"token_generation"`
	TokenSerial     int64                 `json:"token_serial"`
	LastTokenAt     *time.Time            `json:"last_token_at,omitempty"`
	CreatedAt       time.Time             `json:"created_at"`
	UpdatedAt       time.Time             `json:"updated_at"`
	Version         int64                 `json:"version"`

	secretHash []byte // set by the import, never read from a dump
}

func fromAccount(a directory.APIAccount) accountRecord {
	if a.IPAllow == nil {
		a.IPAllow = []string{}
	}
	return accountRecord{Type: TypeAPIAccount, ID: a.ID, Name: a.Name, Comments: a.Comments, Enabled: a.Enabled,
		IPAllow: a.IPAllow, ClientID: a.ClientID, Permissions: a.Perms, FailedLogins: a.FailedLogins,
		LockedUntil: a.LockedUntil, TokenGeneration: a.TokenGeneration, TokenSerial: a.TokenSerial,
		LastTokenAt: a.LastTokenAt, CreatedAt: a.CreatedAt, UpdatedAt: a.UpdatedAt, Version: a.Version}
}

func (r *accountRecord) account() directory.APIAccount {
	a := directory.APIAccount{ID: r.ID, Name: r.Name, Comments: r.Comments, Enabled: r.Enabled, IPAllow: r.IPAllow,
		ClientID: r.ClientID, SecretHash: r.secretHash, Perms: r.Permissions, FailedLogins: r.FailedLogins,
		LockedUntil: r.LockedUntil, TokenGeneration: r.TokenGeneration, TokenSerial: r.TokenSerial,
		LastTokenAt: r.LastTokenAt, CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt, Version: r.Version}
	if len(a.IPAllow) == 0 {
		a.IPAllow = nil // as the store reads an empty allow list back
	}
	return a
}

func (r *accountRecord) what() string { return fmt.Sprintf("API account %d", r.ID) }

func (r *accountRecord) check() error {
	return firstErr(positive("id", r.ID),
		oneOf("permissions.configuration", r.Permissions.Configuration, directory.AccessNone, directory.AccessReadOnly, directory.AccessFullAccess),
		oneOf("permissions.user_management", r.Permissions.UserManagement, directory.AccessNone, directory.AccessReadOnly, directory.AccessFullAccess))
}

func (r *accountRecord) refs() []ref { return nil }

// registrationRecord is an API registration. KeyHash is left out with the
// credentials; the import then gives the registration a random one.
type registrationRecord struct {
	Type                 string    `json:"type"`
	ID                   int64     `json:"id"`
	Name                 string    `json:"name"`
	KeyHash              []byte    `json:"key_hash,omitempty"`
	IPAllow              []string  `json:"ip_allow"`
	UserPasswordRequired bool      `json:"user_password_required"`
	CreatedAt            time.Time `json:"created_at"`
	UpdatedAt            time.Time `json:"updated_at"`
	Version              int64     `json:"version"`
}

func fromRegistration(r directory.APIRegistration, withCredentials bool) registrationRecord {
	if r.IPAllow == nil {
		r.IPAllow = []string{}
	}
	if !withCredentials {
		r.KeyHash = nil
	}
	return registrationRecord{TypeAPIRegistration, r.ID, r.Name, r.KeyHash, r.IPAllow, r.UserPasswordRequired,
		r.CreatedAt, r.UpdatedAt, r.Version}
}

func (r *registrationRecord) registration() directory.APIRegistration {
	reg := directory.APIRegistration{ID: r.ID, Name: r.Name, KeyHash: r.KeyHash, IPAllow: r.IPAllow,
		UserPasswordRequired: r.UserPasswordRequired, CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt, Version: r.Version}
	if len(reg.IPAllow) == 0 {
		reg.IPAllow = nil // as the store reads an empty allow list back
	}
	return reg
}

func (r *registrationRecord) what() string { return fmt.Sprintf("API registration %d", r.ID) }

func (r *registrationRecord) check() error {
	return firstErr(positive("id", r.ID), hashLength("key_hash", r.KeyHash))
}

func (r *registrationRecord) refs() []ref { return nil }

// secretRecord is a secret with its owners, whose user records come
// earlier in the dump.
type secretRecord struct {
	Type      string    `json:"type"`
	ID        int64     `json:"id"`
	Title     string    `json:"title"`
	OwnerIDs  []int64   `json:"owner_ids"`
	CreatedAt time.Time `json:"created_at"`
}

func fromSecret(s directory.Secret) secretRecord {
	if s.OwnerIDs == nil {
		s.OwnerIDs = []int64{}
	}
	return secretRecord{TypeSecret, s.ID, s.Title, s.OwnerIDs, s.CreatedAt}
}

func (r *secretRecord) secret() directory.Secret {
	s := directory.Secret{ID: r.ID, Title: r.Title, OwnerIDs: r.OwnerIDs, CreatedAt: r.CreatedAt}
	if len(s.OwnerIDs) == 0 {
		s.OwnerIDs = nil
	}
	return s
}

func (r *secretRecord) what() string { return fmt.Sprintf("secret %d", r.ID) }

func (r *secretRecord) check() error {
	err := positive("id", r.ID)
	for _, id := range r.OwnerIDs {
		if err == nil {
			err = positive("owner_ids", id)
		}
	}
	return err
}

func (r *secretRecord) refs() []ref {
	refs := make([]ref, len(r.OwnerIDs))
	for i, id := range r.OwnerIDs {
		refs[i] = ref{TypeUser, id}
	}
	return refs
}

type eventRecord struct {
	Type       string          `json:"type"`
	ID         int64           `json:"id"`
	At         time.Time       `json:"at"`
	Actor      string          `json:"actor"`
	Action     string          `json:"action"`
	TargetType string          `json:"target_type"`
	TargetID   int64           `json:"target_id"`
	Before     json.RawMessage `json:"before"`
	After      json.RawMessage `json:"after"`
}

func fromEvent(e directory.Event) eventRecord {
	return eventRecord{TypeEvent, e.ID, e.At, e.Actor, e.Action, e.TargetType, e.TargetID, e.Before, e.After}
}

func (r *eventRecord) what() string { return fmt.Sprintf("event %d", r.ID) }
func (r *eventRecord) check() error { return positive("id", r.ID) }
func (r *eventRecord) refs() []ref  { return nil }

func (r *eventRecord) event() directory.Event {
	return directory.Event{ID: r.ID, At: r.At, Actor: r.Actor, Action: r.Action,
		TargetType: r.TargetType, TargetID: r.TargetID, Before: nullJSON(r.Before), After: nullJSON(r.After)}
}

// nullJSON turns the JSON null that decodes into a RawMessage back into
// the absent state an event had.
func nullJSON(m json.RawMessage) json.RawMessage {
	if string(m) == "null" {
		return nil
	}
	return m
}

func positive(field string, id int64) error {
	if id <= 0 {
		return fmt.Errorf("%s must be a positive id, not %d", field, id)
	}
	return nil
}

func oneOf[T ~string](field string, v T, allowed ...T) error {
	for _, a := range allowed {
		if v == a {
			return nil
		}
	}
	return fmt.Errorf("%s %q is not one of %q", field, v, allowed)
}

// hashLength accepts no hash or a SHA-256.
func hashLength(field string, hash []byte) error {
	if len(hash) != 0 && len(hash) != sha256.Size {
		return fmt.Errorf("%s must be a SHA-256 of %d bytes, not %d", field, sha256.Size, len(hash))
	}
	return nil
}

func firstErr(errs ...error) error {
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}
