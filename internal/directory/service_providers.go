package directory

import "context"

// CreateDirectoryProvider adds an ldap security provider for an Active
// Directory domain or LDAP server, with the credentials that look its users
// up when a caller gives none.
func (s *Service) CreateDirectoryProvider(ctx context.Context, name string, d DirectorySettings) (SecurityProvider, error) {
	return s.createDirectoryProvider(ctx, name, d, nil)
}

// createDirectoryProvider validates and stores a new directory provider;
// check, when given, may refuse it in the write transaction.
func (s *Service) createDirectoryProvider(ctx context.Context, name string, d DirectorySettings, check func(Tx) error) (SecurityProvider, error) {
	if err := d.Prepare(name).Err(); err != nil {
		return SecurityProvider{}, err
	}
	sp := SecurityProvider{Type: ProviderLDAP, Name: name, Enabled: true, UserAuthentication: true, Directory: &d}
	where := d.Domain
	if d.Kind == SourceLDAP {
		where = d.Host
	}
	err := s.write(ctx, func(tx Tx) (*Event, error) {
		if check != nil {
			if err := check(tx); err != nil {
				return nil, err
			}
		}
		if prev, err := findDirectory(ctx, tx, d.Kind, where); err != nil {
			return nil, err
		} else if prev != nil && prev.Directory.BindPassword != "" {
			return nil, Conflict(FieldName, "A directory with stored credentials is already configured for "+where+".")
		}
		page, err := tx.SecurityProviders(ctx, Query{Limit: 0})
		if err != nil {
			return nil, err
		}
		sp.Priority = page.Total + 1
		if err := tx.CreateSecurityProvider(ctx, &sp); err != nil {
			return nil, err
		}
		return &Event{Action: "security_provider.create", TargetType: "security_provider", TargetID: sp.ID, After: audit(&sp)}, nil
	})
	return sp, err
}

// Prepare fills in the defaults of a directory provider's settings (base
// DN, host, account attribute) and checks them with its name, before
// anything is stored.
func (d *DirectorySettings) Prepare(name string) Problems {
	p := Problems{}
	checkLen(p, FieldName, name, 1, MaxName)
	checkText(p, FieldName, name)
	switch d.Kind {
	case SourceActiveDirectory:
		checkLen(p, FieldDomainName, d.Domain, 1, MaxDomainName)
		if d.BaseDN == "" {
			d.BaseDN = domainDN(d.Domain)
		}
		if d.AccountAttribute == "" {
			d.AccountAttribute = "sAMAccountName"
		}
		if d.Host == "" {
			d.Host = d.Domain
		}
	case SourceLDAP:
		if d.Domain == "" {
			d.Domain = domainOfDN(d.BaseDN, d.Host)
		}
	default:
		p.Add("kind", "must be active_directory or ldap")
	}
	checkLen(p, FieldHostName, d.Host, 1, MaxDomainName)
	checkLen(p, FieldDistinguishedName, d.BaseDN, 0, MaxDN)
	if d.AccountAttribute == "" {
		d.AccountAttribute = "uid"
	}
	if !attrNamePattern.MatchString(d.AccountAttribute) {
		p.Add(FieldAccountAttribute, "must be an LDAP attribute name")
	}
	if d.Port < 0 || d.Port > 65535 {
		p.Add(FieldPort, "must be between 1 and 65535")
	}
	if (d.BindUser == "") != (d.BindPassword == "") {
		p.Add(FieldBindPassword, "and the bind user must be given together")
	}
	return p
}
