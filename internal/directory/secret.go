package directory

import (
	"context"
	"time"
)

// Secret is a Secrets Safe secret, modelled only as far as ownership: a
// user who is the sole owner of a secret cannot be deleted, since the
// secret would be left with no one able to manage it.
type Secret struct {
	ID        int64
	Title     string
	OwnerIDs  []int64
	CreatedAt time.Time
}

// MaxSecretTitle is Secrets Safe's limit on a title.
const MaxSecretTitle = 256

// CreateSecret adds a secret owned by the given users.
func (s *Service) CreateSecret(ctx context.Context, title string, ownerIDs []int64) (Secret, error) {
	p := Problems{}
	checkLen(p, "title", title, 1, MaxSecretTitle)
	checkText(p, "title", title)
	if len(ownerIDs) == 0 {
		p.Add("owners", MsgRequired)
	}
	if err := p.Err(); err != nil {
		return Secret{}, err
	}
	sec := Secret{Title: title, OwnerIDs: ownerIDs}
	err := s.write(ctx, func(tx Tx) (*Event, error) {
		for _, id := range ownerIDs {
			if _, err := tx.User(ctx, id); err != nil {
				return nil, invalidIfMissing(err, "owners", "must be existing users; "+itoa(id)+" does not exist")
			}
		}
		if err := tx.CreateSecret(ctx, &sec); err != nil {
			return nil, err
		}
		return &Event{Action: "secret.create", TargetType: "secret", TargetID: sec.ID, After: audit(&sec)}, nil
	})
	return sec, err
}

// Secret returns one secret with its owners.
func (s *Service) Secret(ctx context.Context, id int64) (Secret, error) {
	return s.store.Secret(ctx, id)
}
