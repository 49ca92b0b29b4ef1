package directory

import (
	"context"
	"crypto/subtle"
)

// SecurityProvider returns one security provider.
func (s *Service) SecurityProvider(ctx context.Context, id int64) (SecurityProvider, error) {
	return s.store.SecurityProvider(ctx, id)
}

// SecurityProviders lists security providers.
func (s *Service) SecurityProviders(ctx context.Context, q Query) (Page[SecurityProvider], error) {
	return s.store.SecurityProviders(ctx, q)
}

// APIAccount returns one API account.
func (s *Service) APIAccount(ctx context.Context, id int64) (APIAccount, error) {
	return s.store.APIAccount(ctx, id)
}

// APIAccountByClientID returns the API account with the given client id.
func (s *Service) APIAccountByClientID(ctx context.Context, clientID string) (APIAccount, error) {
	return s.store.APIAccountByClientID(ctx, clientID)
}

// APIAccounts lists API accounts.
func (s *Service) APIAccounts(ctx context.Context, q Query) (Page[APIAccount], error) {
	return s.store.APIAccounts(ctx, q)
}

// CreateAPIAccount adds an API account and returns it with its client
// secret, which is not stored and cannot be shown again.
func (s *Service) CreateAPIAccount(ctx context.Context, in NewAPIAccount) (APIAccount, string, error) {
	in.Perms = in.Perms.Normalized()
	if err := in.Validate().Err(); err != nil {
		return APIAccount{}, "", err
	}
	secret, hash := in.Secret, []byte(nil)
	if secret == "" {
		secret, hash = NewClientSecret()
	} else {
		hash = HashSecret(secret)
	}
	a := APIAccount{Name: in.Name, Comments: in.Comments, Enabled: true, IPAllow: in.IPAllow,
		ClientID: in.ClientID, SecretHash: hash, Perms: in.Perms, TokenGeneration: 1}
	if a.ClientID == "" {
		a.ClientID = NewClientID()
	}
	err := s.write(ctx, func(tx Tx) (*Event, error) {
		if err := tx.CreateAPIAccount(ctx, &a); err != nil {
			return nil, err
		}
		return &Event{Action: "api_account.create", TargetType: "api_account", TargetID: a.ID, After: audit(&a)}, nil
	})
	return a, secret, err
}

// EnsureAPIAccount makes sure an account with the given client id exists and
// accepts secret, as CI's fixed bootstrap credentials require: it creates the
// account, or rotates its secret to the given one when it differs.
func (s *Service) EnsureAPIAccount(ctx context.Context, in NewAPIAccount) (APIAccount, error) {
	a, err := s.store.APIAccountByClientID(ctx, in.ClientID)
	if IsKind(err, KindNotFound) {
		a, _, err = s.CreateAPIAccount(ctx, in)
		return a, err
	}
	if err != nil || subtle.ConstantTimeCompare(a.SecretHash, HashSecret(in.Secret)) == 1 {
		return a, err
	}
	return s.updateAccount(ctx, a.ID, "api_account.rotate_secret", true, func(a *APIAccount) error {
		a.SecretHash = HashSecret(in.Secret)
		a.TokenGeneration++
		return nil
	})
}

// RotateSecret gives an account a new secret, invalidates every token
// issued with the old one, and lifts its lock-outs: whoever guessed at the
// old secret has nothing left to guess at.
func (s *Service) RotateSecret(ctx context.Context, id int64) (APIAccount, string, error) {
	secret, hash := NewClientSecret()
	a, err := s.updateAccount(ctx, id, "api_account.rotate_secret", true, func(a *APIAccount) error {
		a.SecretHash = hash
		a.TokenGeneration++
		return nil
	})
	return a, secret, err
}

// SetAPIAccountEnabled enables or disables an account; disabling
// invalidates its tokens, and enabling lifts its lock-outs, as an
// administrator turning an account back on means it to work.
func (s *Service) SetAPIAccountEnabled(ctx context.Context, id int64, enabled bool) (APIAccount, error) {
	action := "api_account.enable"
	if !enabled {
		action = "api_account.disable"
	}
	return s.updateAccount(ctx, id, action, enabled, func(a *APIAccount) error {
		if a.Enabled && !enabled {
			a.TokenGeneration++
		}
		a.Enabled = enabled
		return nil
	})
}

// UpdateAPIAccountState applies a change that internal/auth needs (token
// serials, failed logins, lock-outs) without an audit event for each token:
// token issuance is logged, not audited as a directory change.
func (s *Service) UpdateAPIAccountState(ctx context.Context, id int64, fn func(*APIAccount) error) (APIAccount, error) {
	var a APIAccount
	err := s.store.Write(ctx, func(tx Tx) error {
		var err error
		if a, err = tx.APIAccount(ctx, id); err != nil {
			return err
		}
		if err := fn(&a); err != nil {
			return err
		}
		return tx.UpdateAPIAccount(ctx, &a)
	})
	return a, err
}

// UnlockAPIAccount lifts every lock-out of the account, from every source.
func (s *Service) UnlockAPIAccount(ctx context.Context, id int64) (APIAccount, error) {
	var a APIAccount
	err := s.write(ctx, func(tx Tx) (*Event, error) {
		var err error
		if a, err = tx.APIAccount(ctx, id); err != nil {
			return nil, err
		}
		if err := tx.ClearLoginLocks(ctx, id); err != nil {
			return nil, err
		}
		return &Event{Action: "api_account.unlock", TargetType: "api_account", TargetID: id}, nil
	})
	return a, err
}

// updateAccount changes the account with fn and audits it as action;
// unlock also lifts the account's lock-outs in the same transaction.
func (s *Service) updateAccount(ctx context.Context, id int64, action string, unlock bool, fn func(*APIAccount) error) (APIAccount, error) {
	var a APIAccount
	err := s.write(ctx, func(tx Tx) (*Event, error) {
		var err error
		if a, err = tx.APIAccount(ctx, id); err != nil {
			return nil, err
		}
		before := a
		if err := fn(&a); err != nil {
			return nil, err
		}
		if err := tx.UpdateAPIAccount(ctx, &a); err != nil {
			return nil, err
		}
		if unlock {
			if err := tx.ClearLoginLocks(ctx, id); err != nil {
				return nil, err
			}
		}
		return &Event{Action: action, TargetType: "api_account", TargetID: id, Before: audit(&before), After: audit(&a)}, nil
	})
	return a, err
}
