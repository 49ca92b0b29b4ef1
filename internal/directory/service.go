package directory

import "context"

// Service holds every business rule of the directory. Faces call it and
// nothing else; it calls the Store and records an audit Event in the same
// transaction as each write.
type Service struct {
	store  Store
	hasher *Hasher
	finder AccountFinder
}

// Option configures a Service.
type Option func(*Service)

// WithAccountFinder lets the Service create Active Directory and LDAP users
// by looking them up in their directories; without it such creates fail.
func WithAccountFinder(f AccountFinder) Option { return func(s *Service) { s.finder = f } }

// NewService returns a Service over store, hashing passwords with hasher.
func NewService(store Store, hasher *Hasher, opts ...Option) *Service {
	s := &Service{store: store, hasher: hasher}
	for _, o := range opts {
		o(s)
	}
	return s
}

// Hasher returns the password hasher, for sign-in flows that verify.
func (s *Service) Hasher() *Hasher { return s.hasher }

// write runs fn in one transaction and appends the event it returns, so a
// change and its audit record commit or vanish together.
func (s *Service) write(ctx context.Context, fn func(tx Tx) (*Event, error)) error {
	actor := ActorFrom(ctx).String()
	return s.store.Write(ctx, func(tx Tx) error {
		ev, err := fn(tx)
		if err != nil || ev == nil {
			return err
		}
		ev.At = tx.Now()
		ev.Actor = actor
		return tx.AppendEvent(ctx, ev)
	})
}

// mayChangeAdmin is the rule that administrators are managed only from the
// command line, never through an API.
func mayChangeAdmin(ctx context.Context) bool { return ActorFrom(ctx).Kind == ActorCLI }

// MsgAdminAPI is the appliance's own refusal to create, change or delete an
// administrator through an API, word for word: connectors match on it.
const MsgAdminAPI = "This API cannot update administrators."

// checkVersion enforces an expected version (0 means the caller has none).
func checkVersion(expected, actual int64) error {
	if expected != 0 && expected != actual {
		return Precondition("the resource has changed since it was read")
	}
	return nil
}

// Events lists audit events.
func (s *Service) Events(ctx context.Context, q Query) (Page[Event], error) {
	return s.store.Events(ctx, q)
}
