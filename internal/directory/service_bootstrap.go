package directory

import "context"

// BootstrapName is the name of the API account created on first start.
const BootstrapName = "bootstrap"

// bootstrapAttempts bounds how often Bootstrap looks again after losing a
// race: once is enough when the winner's account is what it lost to.
const bootstrapAttempts = 3

// Bootstrap makes sure the directory can be administered: with a fixed
// client id and secret (as CI sets them) it ensures that account exists with
// that secret; otherwise, on a directory with no API account at all, it
// creates one with full permissions. secret is non-empty only when a new
// secret was generated and must be shown, once.
//
// Instances starting together on one empty database all call it: the
// account's unique name and client id let exactly one create it, and a
// loser's conflict means the account now exists, so it looks again and
// starts with the winner's account rather than failing.
func (s *Service) Bootstrap(ctx context.Context, clientID, clientSecret string) (a APIAccount, secret string, err error) {
	ctx = WithActor(ctx, Actor{Kind: ActorSystem})
	in := NewAPIAccount{Name: BootstrapName, Comments: "Created on first start.", Perms: FullPermissions(),
		ClientID: clientID, Secret: clientSecret}
	if clientID != "" || clientSecret != "" {
		if clientID == "" || clientSecret == "" {
			return a, "", Problems{"client_id": {"and the client secret must be given together"}}.Err()
		}
		in.Name = BootstrapName + ":" + clientID // distinct from a generated bootstrap account
	}
	for range bootstrapAttempts {
		if a, secret, err = s.bootstrapOnce(ctx, in); !IsKind(err, KindConflict) {
			break
		}
	}
	return a, secret, err
}

func (s *Service) bootstrapOnce(ctx context.Context, in NewAPIAccount) (APIAccount, string, error) {
	if in.ClientID != "" {
		a, err := s.EnsureAPIAccount(ctx, in)
		return a, "", err
	}
	existing, err := s.store.APIAccounts(ctx, Query{Limit: 0})
	if err != nil || existing.Total > 0 {
		return APIAccount{}, "", err
	}
	return s.CreateAPIAccount(ctx, in)
}
