package directory

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"slices"
	"time"
)

// APIRegistration is a BeyondInsight API registration: a key that, sent
// with a run-as user name in a PS-Auth header, signs that user in. The key
// is 64 random bytes shown once as 128 hexadecimal characters; KeyHash is
// its SHA-256, which is enough for a key of that entropy.
type APIRegistration struct {
	ID      int64
	Name    string
	KeyHash []byte `json:"-"`
	// IPAllow lists the addresses and prefixes sign-ins may come from;
	// empty allows any.
	IPAllow []string
	// UserPasswordRequired makes the run-as user's password part of the
	// header (pwd=[...]).
	UserPasswordRequired bool
	CreatedAt            time.Time
	UpdatedAt            time.Time
	Version              int64
}

// NewAPIRegistration is what creating one takes.
type NewAPIRegistration struct {
	Name                 string
	IPAllow              []string
	UserPasswordRequired bool
}

// NewRegistrationKey returns a fresh key and the hash to store.
func NewRegistrationKey() (key string, hash []byte) {
	b := make([]byte, 64)
	if _, err := rand.Read(b); err != nil {
		panic(err) // crypto/rand does not fail on supported platforms
	}
	key = hex.EncodeToString(b)
	return key, HashSecret(key)
}

// Validate checks the fields before anything is stored.
func (n NewAPIRegistration) Validate() Problems {
	p := Problems{}
	checkLen(p, FieldName, n.Name, 1, MaxName)
	checkText(p, FieldName, n.Name)
	checkAddresses(p, "ip_addresses", n.IPAllow)
	return p
}

// APIRegistration returns one registration.
func (s *Service) APIRegistration(ctx context.Context, id int64) (APIRegistration, error) {
	return s.store.APIRegistration(ctx, id)
}

// APIRegistrationByKey returns the registration whose key is key.
func (s *Service) APIRegistrationByKey(ctx context.Context, key string) (APIRegistration, error) {
	return s.store.APIRegistrationByKeyHash(ctx, HashSecret(key))
}

// APIRegistrations lists registrations.
func (s *Service) APIRegistrations(ctx context.Context, q Query) (Page[APIRegistration], error) {
	return s.store.APIRegistrations(ctx, q)
}

// CreateAPIRegistration adds a registration and returns its key, which is
// not stored and cannot be shown again.
func (s *Service) CreateAPIRegistration(ctx context.Context, in NewAPIRegistration) (APIRegistration, string, error) {
	if err := in.Validate().Err(); err != nil {
		return APIRegistration{}, "", err
	}
	key, hash := NewRegistrationKey()
	r, err := s.createRegistration(ctx, in, hash)
	return r, key, err
}

// createRegistration stores a validated registration with the key hash.
func (s *Service) createRegistration(ctx context.Context, in NewAPIRegistration, hash []byte) (APIRegistration, error) {
	r := APIRegistration{Name: in.Name, KeyHash: hash, IPAllow: in.IPAllow, UserPasswordRequired: in.UserPasswordRequired}
	err := s.write(ctx, func(tx Tx) (*Event, error) {
		if err := tx.CreateAPIRegistration(ctx, &r); err != nil {
			return nil, err
		}
		return &Event{Action: "api_registration.create", TargetType: "api_registration", TargetID: r.ID, After: audit(&r)}, nil
	})
	return r, err
}

// RotateRegistrationKey gives a registration a new key; the old one stops
// signing anyone in at once.
func (s *Service) RotateRegistrationKey(ctx context.Context, id int64) (APIRegistration, string, error) {
	key, hash := NewRegistrationKey()
	var r APIRegistration
	err := s.write(ctx, func(tx Tx) (*Event, error) {
		var err error
		if r, err = tx.APIRegistration(ctx, id); err != nil {
			return nil, err
		}
		r.KeyHash = hash
		if err := tx.UpdateAPIRegistration(ctx, &r); err != nil {
			return nil, err
		}
		return &Event{Action: "api_registration.rotate_key", TargetType: "api_registration", TargetID: id, After: audit(&r)}, nil
	})
	return r, key, err
}

// DeleteAPIRegistration removes a registration and takes it off every group
// that names it.
func (s *Service) DeleteAPIRegistration(ctx context.Context, id int64) error {
	return s.write(ctx, func(tx Tx) (*Event, error) {
		r, err := tx.APIRegistration(ctx, id)
		if err != nil {
			return nil, err
		}
		if err := eachGroup(ctx, tx, func(g *Group) error {
			if !slices.Contains(g.RegistrationIDs, id) {
				return nil
			}
			g.RegistrationIDs = slices.DeleteFunc(g.RegistrationIDs, func(x int64) bool { return x == id })
			return tx.UpdateGroup(ctx, g)
		}); err != nil {
			return nil, err
		}
		if err := tx.DeleteAPIRegistration(ctx, id); err != nil {
			return nil, err
		}
		return &Event{Action: "api_registration.delete", TargetType: "api_registration", TargetID: id, Before: audit(&r)}, nil
	})
}

// eachGroup calls fn for every group, a batch at a time, in ID order.
func eachGroup(ctx context.Context, tx Tx, fn func(*Group) error) error {
	for after := int64(0); ; {
		page, err := tx.Groups(ctx, Query{Filter: Compare{Attr: GroupID, Op: OpGt, Value: after},
			Limit: provisionBatch, NoTotal: true})
		if err != nil {
			return err
		}
		for i := range page.Items {
			if err := fn(&page.Items[i]); err != nil {
				return err
			}
			after = page.Items[i].ID
		}
		if len(page.Items) < provisionBatch {
			return nil
		}
	}
}
