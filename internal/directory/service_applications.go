package directory

import (
	"context"
	"crypto/rand"
	"encoding/hex"
)

// CreateApplicationUser adds an application user: a user that signs in with
// OAuth2 client credentials only. It returns the client secret, which is
// not stored and cannot be shown again.
func (s *Service) CreateApplicationUser(ctx context.Context, c UserChange) (User, string, error) {
	secret, hash := NewClientSecret()
	u, err := s.createUser(ctx, NewUser{Source: SourceApplication, UserChange: c}, func(_ Tx, u *User) error {
		u.ClientID, u.SecretHash, u.SecretGeneration = NewGUID(), hash, 1
		return nil
	}, nil)
	if err != nil {
		return User{}, "", err
	}
	return u, secret, nil
}

// ApplicationUserByClientID returns the application user with that client id.
func (s *Service) ApplicationUserByClientID(ctx context.Context, clientID string) (User, error) {
	page, err := s.store.Users(ctx, Query{Filter: And{Eq(UserClientID, clientID), Eq(UserSource, string(SourceApplication))}, Limit: 1})
	if err != nil {
		return User{}, err
	}
	if len(page.Items) == 0 {
		return User{}, NotFound("user")
	}
	return page.Items[0], nil
}

// RecycleClientSecret gives an application user a new secret. The old one,
// and every token and session issued with it, stop working at once.
func (s *Service) RecycleClientSecret(ctx context.Context, id int64) (User, string, error) {
	secret, hash := NewClientSecret()
	u, err := s.setClientSecret(ctx, id, hash)
	return u, secret, err
}

// setClientSecret stores an application user's new secret hash.
func (s *Service) setClientSecret(ctx context.Context, id int64, hash []byte) (User, error) {
	var u User
	err := s.write(ctx, func(tx Tx) (*Event, error) {
		var err error
		if u, err = tx.User(ctx, id); err != nil {
			return nil, err
		}
		if u.Source != SourceApplication {
			return nil, Forbidden("Only application users have a client secret.")
		}
		u.SecretHash = hash
		u.SecretGeneration++
		if err := tx.UpdateUser(ctx, &u); err != nil {
			return nil, err
		}
		return &Event{Action: "user.recycle_client_secret", TargetType: "user", TargetID: id, After: audit(&u)}, nil
	})
	return u, err
}

// NewGUID returns a random (version 4) GUID in its 36-character form, the
// shape BeyondInsight's client ids have and its clients check for.
func NewGUID() string {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic(err) // crypto/rand does not fail on supported platforms
	}
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	h := hex.EncodeToString(b[:])
	return h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:32]
}
