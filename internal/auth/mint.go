package auth

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/gatehouse/gatehouse/internal/directory"
)

// MaxMintTTL bounds a minted token's life: long enough for an identity
// provider's provisioning connection, short enough to be rotated.
const MaxMintTTL = 5 * 366 * 24 * time.Hour

// Mint issues a bearer token for an API account without its secret, for
// the command line: identity providers (Okta, Entra ID) are given one
// long-lived SCIM token rather than client credentials. It is an ordinary
// token of the account, so disabling the account or rotating its secret
// revokes it at once, and, like any token, it stops being valid once the
// account has been issued MaxTokens newer ones, or once its signing key
// is dropped, a token lifetime after the next key rotation. keys must be
// the server's (DatabaseKeys when it keeps them in the database).
func Mint(ctx context.Context, keys KeySource, svc *directory.Service, accountID int64, ttl time.Duration, now time.Time) (string, error) {
	if ttl <= 0 || ttl > MaxMintTTL {
		return "", errors.New("auth: a minted token must last between a second and five years")
	}
	ring, err := newKeyring(ctx, keys, now, DefaultTokenTTL)
	if err != nil {
		return "", fmt.Errorf("auth: signing keys: %w", err)
	}
	a, err := svc.UpdateAPIAccountState(ctx, accountID, func(a *directory.APIAccount) error {
		if !a.Enabled {
			return errors.New("auth: the API account is disabled")
		}
		a.TokenSerial++
		return nil
	})
	if err != nil {
		return "", err
	}
	return ring.mint(claims{account: a.ID, generation: a.TokenGeneration, serial: a.TokenSerial,
		scope: ScopeFullAccess, expiry: now.Add(ttl).Unix()}), nil
}
