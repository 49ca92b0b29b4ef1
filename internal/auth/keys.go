package auth

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"fmt"
	"slices"
	"sync/atomic"
	"time"

	"github.com/gatehouse/gatehouse/internal/directory"
)

// Signing keys. An instance signs with one key and verifies with it and
// with the keys it replaced, until every token those signed has expired:
// a key is dropped TokenTTL after its successor started signing. A new key
// verifies before it signs (directory.SigningKey.SignsFrom), so that no
// instance refuses a token signed by one that saw the key first.

// keyIDLabel derives a key's id from the key, so that instances reading
// one key file agree on ids without writing them anywhere.
const keyIDLabel = "gatehouse signing key id v1"

// keyID is the 24-bit id tokens carry for key.
func keyID(key []byte) uint32 {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(keyIDLabel))
	sum := m.Sum(nil)
	return uint32(sum[0])<<16 | uint32(sum[1])<<8 | uint32(sum[2])
}

// KeyIDString is how key ids are shown: six hex digits.
func KeyIDString(id uint32) string { return fmt.Sprintf("%06x", id) }

// keyring routes minting to the signing key and verification to the key a
// token names. The ring is swapped whole, so the hot path is one atomic
// load and a scan of a handful of keys.
type keyring struct {
	ring atomic.Pointer[ring]
}

type ring struct {
	signing   *signer
	verifying []*signer // the signing key among them
}

func (k *keyring) mint(c claims) string { return k.ring.Load().signing.mint(c) }

// verify returns the claims of tok when a key this instance holds signed it.
func (k *keyring) verify(tok string) (claims, bool) {
	id, ok := tokenKeyID(tok)
	if !ok {
		return claims{}, false
	}
	for _, s := range k.ring.Load().verifying {
		if s.id == id {
			return s.verify(tok)
		}
	}
	return claims{}, false
}

// keyPlan is which keys are in use at some moment: ids, newest first.
type keyPlan struct {
	signing   uint32
	verifying []uint32
}

// planKeys decides, for keys newest first, which signs at now (the newest
// whose SignsFrom has come, else the oldest) and which verify (all but
// those whose successor has been signing for ttl). A successor with no
// SignsFrom (a key file's plain line) never retires its predecessor: such
// a key verifies until it is removed.
func planKeys(keys []directory.SigningKey, now time.Time, ttl time.Duration) keyPlan {
	var p keyPlan
	if len(keys) == 0 {
		return p
	}
	p.signing = keys[len(keys)-1].ID
	for _, k := range keys {
		if !k.SignsFrom.After(now) {
			p.signing = k.ID
			break
		}
	}
	for i, k := range keys {
		if i > 0 {
			next := keys[i-1].SignsFrom
			if !next.IsZero() && !now.Before(next.Add(ttl)) {
				break
			}
		}
		p.verifying = append(p.verifying, k.ID)
	}
	return p
}

// checkKeys refuses a key set no ring can be built from.
func checkKeys(keys []directory.SigningKey) error {
	if len(keys) == 0 {
		return fmt.Errorf("no signing key")
	}
	seen := map[uint32]bool{}
	for _, k := range keys {
		if len(k.Key) < MinKeyBytes {
			return fmt.Errorf("signing key %s is shorter than %d bytes", KeyIDString(k.ID), MinKeyBytes)
		}
		if seen[k.ID] {
			return fmt.Errorf("two signing keys share the id %s", KeyIDString(k.ID))
		}
		seen[k.ID] = true
	}
	return nil
}

// use builds the ring for keys at now, reusing the signers (and their
// warm pools) of keys the current ring holds. It reports whether the ring
// changed.
func (k *keyring) use(keys []directory.SigningKey, now time.Time, ttl time.Duration) (bool, error) {
	if err := checkKeys(keys); err != nil {
		return false, err
	}
	plan := planKeys(keys, now, ttl)
	old := k.ring.Load()
	if old != nil && old.signing.id == plan.signing && slices.EqualFunc(old.verifying, plan.verifying,
		func(s *signer, id uint32) bool { return s.id == id }) {
		return false, nil
	}
	r := &ring{}
	for _, id := range plan.verifying {
		i := slices.IndexFunc(keys, func(k directory.SigningKey) bool { return k.ID == id })
		s := reuse(old, id)
		if s == nil {
			s = newSigner(keys[i].Key)
		}
		r.verifying = append(r.verifying, s)
		if id == plan.signing {
			r.signing = s
		}
	}
	k.ring.Store(r)
	return true, nil
}

func reuse(old *ring, id uint32) *signer {
	if old == nil {
		return nil
	}
	for _, s := range old.verifying {
		if s.id == id {
			return s
		}
	}
	return nil
}

// newKeyring loads the keys once; an instance that has none must not start.
func newKeyring(ctx context.Context, src KeySource, now time.Time, ttl time.Duration) (*keyring, error) {
	keys, err := src.SigningKeys(ctx)
	if err != nil {
		return nil, err
	}
	k := &keyring{}
	if _, err := k.use(keys, now, ttl); err != nil {
		return nil, err
	}
	return k, nil
}

// refreshKeys reads the keys every interval, so that a rotation (a store
// write, or a changed key file) reaches this instance within a poll, and
// drops keys as they retire. A failing read keeps the keys it had.
func (s *Service) refreshKeys(ctx context.Context, src KeySource) {
	t := time.NewTicker(s.cfg.PollInterval)
	defer t.Stop()
	failing := false
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		keys, err := src.SigningKeys(ctx)
		if err == nil {
			var changed bool
			if changed, err = s.tokens.use(keys, s.cfg.Now(), s.cfg.TokenTTL); changed {
				r := s.tokens.ring.Load()
				s.log.Info("auth: signing keys changed", "signing", KeyIDString(r.signing.id), "verifying", len(r.verifying))
			}
		}
		switch {
		case err != nil && ctx.Err() == nil && !failing:
			s.log.Warn("auth: reading signing keys failed; keeping the keys already read", "err", err)
			failing = true
		case err == nil && failing:
			s.log.Info("auth: reading signing keys recovered")
			failing = false
		}
	}
}
