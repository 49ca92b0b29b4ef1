package directory

import (
	"context"
	"crypto/subtle"
	"regexp"
	"slices"
	"strings"
)

// The operations here let declarative fixtures (internal/fixtures) converge
// an API account or API registration on what a file says, with credentials
// the file fixes, so that CI knows them before the server starts.

// APIAccountChange carries the fields an API account write sets.
type APIAccountChange struct {
	Name     Set[string]
	Comments Set[string]
	// Perms, when present, is the whole set: an API it leaves empty is
	// denied, as on create.
	Perms   Set[Permissions]
	IPAllow Set[[]string]
	Enabled Set[bool]
	Secret  Set[string]
}

// UpdateAPIAccount applies a change to an account. A new secret, like
// disabling, ends every token issued before it; a new secret, like
// enabling, lifts the account's lock-outs (see RotateSecret and
// SetAPIAccountEnabled).
func (s *Service) UpdateAPIAccount(ctx context.Context, id int64, c APIAccountChange) (APIAccount, error) {
	var a APIAccount
	err := s.write(ctx, func(tx Tx) (*Event, error) {
		var err error
		if a, err = tx.APIAccount(ctx, id); err != nil {
			return nil, err
		}
		before := a
		in := NewAPIAccount{Name: a.Name, Comments: a.Comments, Perms: a.Perms, IPAllow: a.IPAllow, ClientID: a.ClientID}
		c.Name.apply(&in.Name)
		c.Comments.apply(&in.Comments)
		c.Perms.apply(&in.Perms)
		c.IPAllow.apply(&in.IPAllow)
		c.Secret.apply(&in.Secret)
		in.Perms = in.Perms.Normalized()
		if err := in.Validate().Err(); err != nil {
			return nil, err
		}
		a.Name, a.Comments, a.Perms, a.IPAllow = in.Name, in.Comments, in.Perms, in.IPAllow
		unlock := c.Enabled.Present && c.Enabled.Value && !a.Enabled
		if c.Secret.Present && subtle.ConstantTimeCompare(a.SecretHash, HashSecret(c.Secret.Value)) != 1 {
			a.SecretHash = HashSecret(c.Secret.Value)
			a.TokenGeneration++
			unlock = true
		}
		if c.Enabled.Present {
			if a.Enabled && !c.Enabled.Value {
				a.TokenGeneration++
			}
			a.Enabled = c.Enabled.Value
		}
		if err := tx.UpdateAPIAccount(ctx, &a); err != nil {
			return nil, err
		}
		if unlock {
			if err := tx.ClearLoginLocks(ctx, id); err != nil {
				return nil, err
			}
		}
		return &Event{Action: "api_account.update", TargetType: "api_account", TargetID: id, Before: audit(&before), After: audit(&a)}, nil
	})
	return a, err
}

// Normalized is p with the APIs it leaves empty denied: the zero value
// means no access.
func (p Permissions) Normalized() Permissions {
	for _, a := range []*Access{&p.Configuration, &p.UserManagement} {
		if *a == "" {
			*a = AccessNone
		}
	}
	return p
}

// FieldKey is an API registration key a caller fixes.
const FieldKey = "key"

// registrationKeyPattern keeps a chosen key to characters that need no
// quoting in a PS-Auth header (whose parts are split on ';' and '=').
var registrationKeyPattern = regexp.MustCompile(`^[A-Za-z0-9._~-]*$`)

// ValidateRegistrationKey checks a key a caller chose instead of a
// generated one: long enough not to be guessed.
func ValidateRegistrationKey(key string) Problems {
	p := Problems{}
	checkLen(p, FieldKey, key, 32, 256)
	if !registrationKeyPattern.MatchString(key) {
		p.Add(FieldKey, "may only contain letters, digits and . _ ~ -")
	}
	return p
}

// CreateAPIRegistrationWithKey adds a registration whose key the caller
// chose.
func (s *Service) CreateAPIRegistrationWithKey(ctx context.Context, in NewAPIRegistration, key string) (APIRegistration, error) {
	p := in.Validate()
	p.Merge(ValidateRegistrationKey(key))
	if err := p.Err(); err != nil {
		return APIRegistration{}, err
	}
	return s.createRegistration(ctx, in, HashSecret(key))
}

// APIRegistrationChange carries the fields a registration write sets.
type APIRegistrationChange struct {
	IPAllow              Set[[]string]
	UserPasswordRequired Set[bool]
	Key                  Set[string]
}

// UpdateAPIRegistration applies a change to a registration; a new key
// stops the old one signing anyone in at once.
func (s *Service) UpdateAPIRegistration(ctx context.Context, id int64, c APIRegistrationChange) (APIRegistration, error) {
	p := Problems{}
	checkAddresses(p, "ip_addresses", c.IPAllow.Value)
	if c.Key.Present {
		p.Merge(ValidateRegistrationKey(c.Key.Value))
	}
	if err := p.Err(); err != nil {
		return APIRegistration{}, err
	}
	var r APIRegistration
	err := s.write(ctx, func(tx Tx) (*Event, error) {
		var err error
		if r, err = tx.APIRegistration(ctx, id); err != nil {
			return nil, err
		}
		before := r
		before.IPAllow = slices.Clone(r.IPAllow)
		c.IPAllow.apply(&r.IPAllow)
		c.UserPasswordRequired.apply(&r.UserPasswordRequired)
		if c.Key.Present {
			r.KeyHash = HashSecret(c.Key.Value)
		}
		if err := tx.UpdateAPIRegistration(ctx, &r); err != nil {
			return nil, err
		}
		return &Event{Action: "api_registration.update", TargetType: "api_registration", TargetID: id, Before: audit(&before), After: audit(&r)}, nil
	})
	return r, err
}

// Team and security provider names are not unique, so two fixtures applies
// racing (instances starting together with one file) could each create
// one. These creates check the name in their own transaction, which the
// stores serialize, and refuse a taken one as a conflict.

// CreateTeamWithUniqueName is CreateTeam refusing a name another team has.
func (s *Service) CreateTeamWithUniqueName(ctx context.Context, c TeamChange) (Team, error) {
	return s.createTeam(ctx, c, func(tx Tx) error {
		page, err := tx.Teams(ctx, Query{Filter: Eq(TeamName, c.Name.Value), Limit: 1, NoTotal: true})
		if err != nil || len(page.Items) == 0 {
			return err
		}
		return Conflict(FieldName, "A team named "+c.Name.Value+" exists already.")
	})
}

// CreateDirectoryProviderWithUniqueName is CreateDirectoryProvider refusing
// a name another security provider has.
func (s *Service) CreateDirectoryProviderWithUniqueName(ctx context.Context, name string, d DirectorySettings) (SecurityProvider, error) {
	return s.createDirectoryProvider(ctx, name, d, func(tx Tx) error {
		page, err := tx.SecurityProviders(ctx, Query{Limit: MaxPageSize})
		if err != nil {
			return err
		}
		for _, p := range page.Items {
			if strings.EqualFold(p.Name, name) {
				return Conflict(FieldName, "A security provider named "+name+" exists already.")
			}
		}
		return nil
	})
}

// Application users' credentials a caller fixes, so that CI knows them.
const (
	FieldClientID     = "client_id"
	FieldClientSecret = "client_secret"
)

var guidPattern = regexp.MustCompile(`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`)

// ValidateApplicationCredentials checks an application user's fixed
// credentials: a GUID client id, the shape BeyondInsight's clients check
// for, and a secret long enough not to be guessed.
func ValidateApplicationCredentials(clientID, secret string) Problems {
	p := Problems{}
	if !guidPattern.MatchString(clientID) {
		p.Add(FieldClientID, "must be a GUID such as 0f8fad5b-d9cb-469f-a165-70867728950e")
	}
	checkSecret(p, FieldClientSecret, secret)
	return p
}

// checkSecret is the rule on a secret a caller chooses rather than the
// server generates: long enough not to be guessed.
func checkSecret(p Problems, field, secret string) {
	checkLen(p, field, secret, 32, 256)
}

// CreateApplicationUserWithCredentials is CreateApplicationUser with the
// client id and secret the caller fixes.
func (s *Service) CreateApplicationUserWithCredentials(ctx context.Context, c UserChange, clientID, secret string) (User, error) {
	if err := ValidateApplicationCredentials(clientID, secret).Err(); err != nil {
		return User{}, err
	}
	return s.createUser(ctx, NewUser{Source: SourceApplication, UserChange: c}, func(_ Tx, u *User) error {
		u.ClientID, u.SecretHash, u.SecretGeneration = clientID, HashSecret(secret), 1
		return nil
	}, nil)
}

// SetClientSecret gives an application user the secret the caller fixes;
// as with RecycleClientSecret, the old one and every token and session
// issued with it stop working at once.
func (s *Service) SetClientSecret(ctx context.Context, id int64, secret string) (User, error) {
	p := Problems{}
	checkSecret(p, FieldClientSecret, secret)
	if err := p.Err(); err != nil {
		return User{}, err
	}
	return s.setClientSecret(ctx, id, HashSecret(secret))
}
