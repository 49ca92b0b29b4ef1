package directory

import (
	"context"
	"errors"
	"regexp"
	"strings"
)

// NewDirectoryUser is what creating an Active Directory or LDAP user takes.
// The account is looked up in its directory, which supplies the names,
// email and distinguished name; nothing about it is taken on trust.
type NewDirectoryUser struct {
	Kind Source // SourceActiveDirectory or SourceLDAP

	// Active Directory: the account name in a domain of a forest.
	AccountName string
	Domain      string
	Forest      string

	// LDAP: the entry DN on a host, and the attribute that names it.
	Host             string
	DN               string
	AccountAttribute string

	// BindUser and BindPassword bind for the look-up; without them the
	// stored credentials of a configured directory are used. Port and
	// UseSSL say how to reach the host when binding with given credentials.
	BindUser     string
	BindPassword string
	Port         int
	UseSSL       bool
}

var attrNamePattern = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9-]*$`)

// Validate checks the fields before any look-up; a face runs it beside its
// own checks to name every invalid field at once.
func (n NewDirectoryUser) Validate() Problems {
	p := Problems{}
	switch n.Kind {
	case SourceActiveDirectory:
		checkLen(p, FieldUsername, n.AccountName, 1, MaxUsername)
		checkText(p, FieldUsername, n.AccountName)
		checkLen(p, FieldDomainName, n.Domain, 1, MaxDomainName)
		checkText(p, FieldDomainName, n.Domain)
		checkLen(p, FieldForestName, n.Forest, 0, MaxForestName)
		checkText(p, FieldForestName, n.Forest)
		if n.BindUser != "" && n.Forest == "" {
			p.Add(FieldForestName, "is required when a bind user is given")
		}
	case SourceLDAP:
		checkLen(p, FieldHostName, n.Host, 1, MaxDomainName)
		checkText(p, FieldHostName, n.Host)
		checkLen(p, FieldDistinguishedName, n.DN, 1, MaxUserDN)
		checkText(p, FieldDistinguishedName, n.DN)
		checkLen(p, FieldAccountAttribute, n.AccountAttribute, 1, MaxName)
		if n.AccountAttribute != "" && !attrNamePattern.MatchString(n.AccountAttribute) {
			p.Add(FieldAccountAttribute, "must be an LDAP attribute name")
		}
	default:
		p.Add(FieldUserType, "must be an Active Directory or LDAP user type")
	}
	checkLen(p, FieldBindUser, n.BindUser, 0, MaxDN)
	checkText(p, FieldBindUser, n.BindUser)
	if n.BindUser != "" && n.BindPassword == "" {
		p.Add(FieldBindPassword, "is required when a bind user is given")
	}
	if n.Port < 0 || n.Port > 65535 {
		p.Add(FieldPort, "must be between 1 and 65535")
	}
	return p
}

// CreateDirectoryUser looks the account up in its directory and adds it as
// a user of that directory's security provider (created on first use).
func (s *Service) CreateDirectoryUser(ctx context.Context, in NewDirectoryUser) (User, error) {
	if err := in.Validate().Err(); err != nil {
		return User{}, err
	}
	if s.finder == nil {
		return User{}, Forbidden("This server cannot reach external directories.")
	}
	configured, err := s.configuredDirectory(ctx, in)
	if err != nil {
		return User{}, err
	}
	bind, settings, err := in.resolve(configured)
	if err != nil {
		return User{}, err
	}
	var acct ExternalAccount
	if in.Kind == SourceActiveDirectory {
		acct, err = s.finder.FindByName(ctx, bind, settings.BaseDN, settings.AccountAttribute, in.AccountName)
	} else {
		acct, err = s.finder.ReadDN(ctx, bind, in.DN, in.AccountAttribute)
	}
	if err != nil {
		return User{}, lookupError(err, in)
	}
	// An entry without the account-name attribute has no name to give
	// the user (it would be "domain\" alone).
	if acct.AccountName == "" {
		if in.Kind == SourceLDAP {
			return User{}, Problems{FieldAccountAttribute: {"names an attribute the directory entry does not have"}}.Err()
		}
		return User{}, Problems{FieldUsername: {"was not found in the directory"}}.Err()
	}
	domain := settings.Domain
	return s.createUser(ctx, NewUser{Source: in.Kind, UserChange: directoryChange(acct, domain)}, func(tx Tx, u *User) error {
		u.DomainName, u.DistinguishedName, u.PasswordHash = domain, acct.DN, ""
		if configured != nil {
			u.SecurityProviderID = configured.ID
			return nil
		}
		var err error
		u.SecurityProviderID, err = ensureDirectoryProvider(ctx, tx, settings)
		return err
	}, nil)
}

// ensureDirectoryProvider returns the ldap security provider that stands
// for the directory, creating one (without stored credentials) the first
// time a user of an unconfigured directory is added.
func ensureDirectoryProvider(ctx context.Context, tx Tx, d DirectorySettings) (int64, error) {
	page, err := tx.SecurityProviders(ctx, Query{Limit: MaxPageSize})
	if err != nil {
		return 0, err
	}
	for _, p := range page.Items {
		if p.Directory != nil && p.Directory.Kind == d.Kind && strings.EqualFold(p.Directory.Domain, d.Domain) &&
			strings.EqualFold(p.Directory.Host, d.Host) {
			return p.ID, nil
		}
	}
	d.BindUser, d.BindPassword = "", ""
	p := SecurityProvider{Type: ProviderLDAP, Name: d.Domain, Enabled: true, UserAuthentication: true,
		Priority: page.Total + 1, Directory: &d}
	if err := tx.CreateSecurityProvider(ctx, &p); err != nil {
		return 0, err
	}
	return p.ID, tx.AppendEvent(ctx, &Event{At: tx.Now(), Actor: ActorFrom(ctx).String(), Action: "security_provider.create",
		TargetType: "security_provider", TargetID: p.ID, After: audit(&p)})
}

// directoryChange is the user as the directory describes it. Values that
// break a field rule are dropped rather than stored: the directory owns them
// and the user is still worth having without them.
func directoryChange(a ExternalAccount, domain string) UserChange {
	c := UserChange{Username: To(domain + `\` + a.AccountName)}
	for _, f := range []struct {
		dst   *Set[string]
		v     string
		field string
	}{{&c.FirstName, a.FirstName, FieldFirstName}, {&c.LastName, a.LastName, FieldLastName},
		{&c.DisplayName, a.DisplayName, FieldDisplayName}, {&c.Email, a.Email, FieldEmail}} {
		*f.dst = To(f.v)
		if (UserChange{FirstName: c.FirstName, LastName: c.LastName, DisplayName: c.DisplayName, Email: c.Email}).Validate()[f.field] != nil {
			*f.dst = Set[string]{}
		}
	}
	if c.DisplayName.Present && c.DisplayName.Value == "" {
		c.DisplayName = Set[string]{}
	}
	return c
}

// configuredDirectory finds the ldap security provider configured for the
// user's domain (Active Directory) or host (LDAP), or nil. One with stored
// credentials wins over one created on the fly for an earlier user.
func (s *Service) configuredDirectory(ctx context.Context, in NewDirectoryUser) (*SecurityProvider, error) {
	where := in.Domain
	if in.Kind == SourceLDAP {
		where = in.Host
	}
	return findDirectory(ctx, s.store, in.Kind, where)
}

// findDirectory returns the provider of the directory of that kind whose
// domain (Active Directory) or host (LDAP) is where, preferring one with
// stored credentials; nil when there is none.
func findDirectory(ctx context.Context, r Reader, kind Source, where string) (*SecurityProvider, error) {
	page, err := r.SecurityProviders(ctx, Query{Limit: MaxPageSize})
	if err != nil {
		return nil, err
	}
	var found *SecurityProvider
	for i := range page.Items {
		p := &page.Items[i]
		d := p.Directory
		if d == nil || d.Kind != kind {
			continue
		}
		name := d.Domain
		if kind == SourceLDAP {
			name = d.Host
		}
		if strings.EqualFold(name, where) && (found == nil || found.Directory.BindPassword == "" && d.BindPassword != "") {
			found = p
		}
	}
	return found, nil
}

// resolve decides how to bind and where to search: the given credentials
// against the configured directory's host (or, with none configured, the
// domain or host named), else the configured directory's stored ones.
func (in NewDirectoryUser) resolve(configured *SecurityProvider) (DirectoryBind, DirectorySettings, error) {
	var settings DirectorySettings
	if configured != nil {
		settings = *configured.Directory
	} else {
		settings = DirectorySettings{Kind: in.Kind, Domain: in.Domain, Host: in.Domain, Port: in.Port, UseSSL: in.UseSSL,
			BaseDN: domainDN(in.Domain), AccountAttribute: "sAMAccountName"}
		if in.Kind == SourceLDAP {
			settings.Host, settings.Domain, settings.BaseDN = in.Host, domainOfDN(in.DN, in.Host), ""
			settings.AccountAttribute = in.AccountAttribute
		}
	}
	if in.BindUser != "" {
		b := settings.Bind()
		b.BindUser, b.BindPassword = in.BindUser, in.BindPassword
		if in.Port != 0 || configured == nil {
			b.Port, b.UseSSL = in.Port, in.UseSSL
		}
		return b, settings, nil
	}
	if configured == nil || settings.BindPassword == "" {
		where := in.Domain
		if in.Kind == SourceLDAP {
			where = in.Host
		}
		return DirectoryBind{}, settings, Problems{FieldBindUser: {"is required: no directory with stored credentials is configured for " + where}}.Err()
	}
	return settings.Bind(), settings, nil
}

// lookupError turns a directory failure into a field problem naming what
// the caller should fix.
func lookupError(err error, in NewDirectoryUser) error {
	where, account := FieldDomainName, FieldUsername
	if in.Kind == SourceLDAP {
		where, account = FieldHostName, FieldDistinguishedName
	}
	switch {
	case errors.Is(err, ErrDirectoryUnreachable):
		return Problems{where: {"names a directory that could not be reached"}}.Err()
	case errors.Is(err, ErrDirectoryBind) && in.BindUser != "":
		return Problems{FieldBindUser: {"and bind password were refused by the directory"}}.Err()
	case errors.Is(err, ErrDirectoryBind):
		return Problems{where: {"names a directory whose stored credentials were refused; an administrator must update them"}}.Err()
	case errors.Is(err, ErrDirectoryNoAccount):
		return Problems{account: {"was not found in the directory"}}.Err()
	}
	return err
}

// domainDN is the base DN of a DNS domain: example.com is dc=example,dc=com.
func domainDN(domain string) string {
	parts := strings.Split(domain, ".")
	for i, p := range parts {
		parts[i] = "dc=" + p
	}
	return strings.Join(parts, ",")
}

// domainOfDN is the DNS domain a DN's dc= components spell, or fallback.
func domainOfDN(dn, fallback string) string {
	var dcs []string
	for _, rdn := range strings.Split(dn, ",") {
		k, v, ok := strings.Cut(strings.TrimSpace(rdn), "=")
		if ok && strings.EqualFold(strings.TrimSpace(k), "dc") {
			dcs = append(dcs, strings.TrimSpace(v))
		}
	}
	if len(dcs) == 0 {
		return fallback
	}
	return strings.Join(dcs, ".")
}
