package directory

import (
	"context"
	"crypto/rand"
	"errors"
)

// AdminName is the username of the administrator created on first start
// when no other is asked for.
const AdminName = "admin"

// errHasUsers ends the first-start transaction of an administrator that is
// not needed: the directory already has a user.
var errHasUsers = errors.New("directory: the directory has users")

// BootstrapAdmin gives a directory that has no user at all its
// administrator, as an appliance comes with one: a local PRA administrator
// (perm_admin) created by the system before anything else, and so user 1,
// which connectors read before they create anyone. username empty means
// AdminName; password empty means a random one, returned in generated to
// be shown once. On a directory with any user it does nothing and returns
// a zero User.
//
// The check and the create are one write transaction (see
// claimFirstStart), so that of instances starting together on one empty
// database exactly one creates it: a loser's transaction is retried (or its
// username conflicts) and then finds the winner's administrator, and it
// continues with nothing to show.
func (s *Service) BootstrapAdmin(ctx context.Context, username, password string) (u User, generated string, err error) {
	ctx = WithActor(ctx, Actor{Kind: ActorSystem})
	if has, err := s.hasUsers(ctx); has || err != nil {
		return User{}, "", err
	}
	if username == "" {
		username = AdminName
	}
	if password == "" {
		password = rand.Text()
		generated = password
	}
	in := NewUser{Source: SourceLocal, UserChange: UserChange{Username: To(username), DisplayName: To(username),
		Password: To(password)}}
	// Administrators are the command line's to create (mayChangeAdmin):
	// this one is made an administrator only inside the transaction that
	// found the directory empty, never on a request's behalf.
	promote := func(tx Tx, u *User) error {
		if err := claimFirstStart(ctx, tx); err != nil {
			return err
		}
		page, err := tx.Users(ctx, Query{Limit: 1, NoTotal: true})
		if err != nil {
			return err
		}
		if len(page.Items) > 0 {
			return errHasUsers
		}
		u.Admin, u.Access = true, adminAccess()
		return nil
	}
	for range bootstrapAttempts {
		u, err = s.createUser(ctx, in, promote, nil)
		if !IsKind(err, KindConflict) {
			break
		}
	}
	switch {
	case errors.Is(err, errHasUsers):
		return User{}, "", nil
	case err != nil:
		return User{}, "", err
	}
	return u, generated, nil
}

// claimFirstStart makes instances creating the administrator together take
// turns before any of them takes a user id. On PostgreSQL each would
// otherwise draw an id from the users sequence before all but one lost, and
// the winner could draw 2. Rewriting the first API account (which Bootstrap
// has made sure exists; it changes nothing but its version) holds its row
// until commit: a second instance waits on it, its transaction then fails
// to serialise and is retried, and it finds the administrator. SQLite's
// writers take turns anyway.
func claimFirstStart(ctx context.Context, tx Tx) error {
	accounts, err := tx.APIAccounts(ctx, Query{Limit: 1, NoTotal: true})
	if err != nil || len(accounts.Items) == 0 {
		return err
	}
	return tx.UpdateAPIAccount(ctx, &accounts.Items[0])
}

// hasUsers reports whether the directory has any user.
func (s *Service) hasUsers(ctx context.Context) (bool, error) {
	page, err := s.store.Users(ctx, Query{Limit: 1, NoTotal: true})
	return len(page.Items) > 0, err
}

// adminAccess is what an appliance's administrator may do: everything a
// group policy can grant.
func adminAccess() AccessSettings {
	a := DefaultAccess()
	a.AccessAllowed, a.ShareOtherTeam, a.InviteExternalUser = true, true, true
	a.ExtendedAvailabilityMode, a.EditExternalKey = true, true
	a.Collaborate, a.CollaborateControl = true, true
	a.JumpClient, a.LocalJump, a.RemoteJump, a.RemoteVNC, a.RemoteRDP = true, true, true, true, true
	a.ShellJump, a.WebJump, a.ProtocolTunnel, a.StaticPortForExternalTools = true, true, true, true
	return a
}
