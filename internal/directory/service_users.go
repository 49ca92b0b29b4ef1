package directory

import (
	"context"
	"slices"
)

// NewUser is what creating a user takes.
type NewUser struct {
	Source             Source
	SecurityProviderID int64
	Admin              bool
	UserChange
}

// Validate checks a new user's fields before anything is stored; an empty
// Source is local.
func (in NewUser) Validate() Problems {
	p := in.UserChange.Validate()
	if !in.Username.Present || in.Username.Value == "" {
		p[FieldUsername] = []string{MsgRequired}
	}
	if in.Password.Present && in.Source != SourceLocal && in.Source != "" {
		p.Add(FieldPassword, "may only be set for local users")
	}
	return p
}

// User returns the user with the given id.
func (s *Service) User(ctx context.Context, id int64) (User, error) { return s.store.User(ctx, id) }

// Users lists users.
func (s *Service) Users(ctx context.Context, q Query) (Page[User], error) {
	return s.store.Users(ctx, q)
}

// CreateUser adds a user. A local user created without a password gets a
// random one nobody knows, as PRA does. The user is provisioned at once (it
// belongs to no policy yet, so it gets the default access settings).
// Application and directory users have their own constructors.
func (s *Service) CreateUser(ctx context.Context, in NewUser) (User, error) {
	if in.Source == SourceApplication || in.Source == SourceActiveDirectory {
		return User{}, Problems{FieldUserType: {"is created through its own operation"}}.Err()
	}
	return s.createUser(ctx, in, nil, nil)
}

// CreateUserInGroup adds a user and makes it a member of a group of this
// directory (not an external directory's) in one transaction.
func (s *Service) CreateUserInGroup(ctx context.Context, groupID int64, in NewUser) (User, error) {
	if in.Source == SourceApplication || in.Source == SourceActiveDirectory {
		return User{}, Problems{FieldUserType: {"is created through its own operation"}}.Err()
	}
	check := func(tx Tx, _ *User) error {
		g, err := tx.Group(ctx, groupID)
		if err != nil {
			return err
		}
		if g.Source == SourceLDAP || g.Source == SourceActiveDirectory {
			return Forbidden("Users can only be created in groups of this directory, not of an external directory.")
		}
		return nil
	}
	join := func(tx Tx, u *User) error {
		if err := tx.AddMember(ctx, &Member{GroupID: groupID, SecurityProviderID: u.SecurityProviderID, UserID: u.ID}); err != nil {
			return err
		}
		return touchGroup(ctx, tx, groupID)
	}
	return s.createUser(ctx, in, check, join)
}

// createUser validates and stores a new user. prepare, when given, fills in
// what the user's kind adds and after does what must commit with the user,
// both inside the write transaction.
func (s *Service) createUser(ctx context.Context, in NewUser, prepare, after func(Tx, *User) error) (User, error) {
	if in.Admin && !mayChangeAdmin(ctx) {
		return User{}, Forbidden(MsgAdminAPI)
	}
	if in.Source == "" {
		in.Source = SourceLocal
	}
	if in.SecurityProviderID == 0 && (in.Source == SourceLocal || in.Source == SourceApplication) {
		in.SecurityProviderID = LocalProviderID
	}
	if err := in.Validate().Err(); err != nil {
		return User{}, err
	}
	hash, err := s.passwordHash(ctx, in.Source, in.Password)
	if err != nil {
		return User{}, err
	}
	u := User{
		Enabled:            true,
		Locale:             DefaultLocale,
		Source:             in.Source,
		SecurityProviderID: in.SecurityProviderID,
		Admin:              in.Admin,
		PasswordHash:       hash,
		Access:             DefaultAccess(),
	}
	in.UserChange.apply(&u)
	u.FailedLogins = 0
	if u.DisplayName == "" {
		u.DisplayName = defaultDisplayName(u)
	}
	provider := u.SecurityProviderID
	err = s.write(ctx, func(tx Tx) (*Event, error) {
		// A retried attempt must not keep the provider that an undone one
		// created.
		u.SecurityProviderID = provider
		if prepare != nil {
			if err := prepare(tx, &u); err != nil {
				return nil, err
			}
		}
		if u.SecurityProviderID == 0 {
			var err error
			if u.SecurityProviderID, err = ensureProvider(ctx, tx, u.Source); err != nil {
				return nil, err
			}
		}
		if _, err := tx.SecurityProvider(ctx, u.SecurityProviderID); err != nil {
			return nil, invalidIfMissing(err, FieldSecurityProviderID, "does not exist")
		}
		if err := tx.CreateUser(ctx, &u); err != nil {
			return nil, err
		}
		if after != nil {
			if err := after(tx, &u); err != nil {
				return nil, err
			}
		}
		return &Event{Action: "user.create", TargetType: "user", TargetID: u.ID, After: audit(&u)}, nil
	})
	return u, err
}

// passwordHash hashes a given password, or makes a random one for a local
// user given none. Non-local users authenticate elsewhere and have none.
func (s *Service) passwordHash(ctx context.Context, src Source, pw Set[string]) (string, error) {
	switch {
	case pw.Present:
		return s.hasher.Hash(ctx, pw.Value)
	case src == SourceLocal:
		return RandomPasswordHash(), nil
	default:
		return "", nil
	}
}

func defaultDisplayName(u User) string {
	switch {
	case u.FirstName != "" && u.LastName != "":
		return truncateRunes(u.FirstName+" "+u.LastName, MaxDisplayName)
	case u.FirstName != "":
		return u.FirstName
	default:
		return u.Username
	}
}

func truncateRunes(s string, n int) string {
	r := []rune(s)
	if len(r) > n {
		return string(r[:n])
	}
	return s
}

// UpdateUser applies a change to a user. ifVersion, when not 0, must match
// the stored version.
func (s *Service) UpdateUser(ctx context.Context, id int64, c UserChange, ifVersion int64) (User, error) {
	return s.UpdateUserAndGroups(ctx, id, c, Set[[]int64]{}, ifVersion)
}

// UpdateUserAndGroups is UpdateUser that, when groups is present, also
// makes the user a direct member of exactly those groups, in the same
// transaction: a full replace of the user (public v3 PUT).
func (s *Service) UpdateUserAndGroups(ctx context.Context, id int64, c UserChange, groups Set[[]int64], ifVersion int64) (User, error) {
	if err := c.Validate().Err(); err != nil {
		return User{}, err
	}
	var hash string
	if c.Password.Present {
		var err error
		if hash, err = s.hasher.Hash(ctx, c.Password.Value); err != nil {
			return User{}, err
		}
	}
	var u User
	err := s.write(ctx, func(tx Tx) (*Event, error) {
		var err error
		if u, err = tx.User(ctx, id); err != nil {
			return nil, err
		}
		if err := checkVersion(ifVersion, u.Version); err != nil {
			return nil, err
		}
		if u.Admin && !mayChangeAdmin(ctx) {
			return nil, Forbidden(MsgAdminAPI)
		}
		p := Problems{}
		if u.Source != SourceLocal {
			if c.Password.Present {
				p.Add(FieldPassword, "may only be set for local users")
			}
			// SCIM clients and application users own their names; an
			// external directory owns the names of its users.
			if c.Username.Present && c.Username.Value != u.Username && u.Source != SourceSCIM && u.Source != SourceApplication {
				p.Add(FieldUsername, "is read-only for users of an external security provider")
			}
		}
		if err := p.Err(); err != nil {
			return nil, err
		}
		before := u
		c.apply(&u)
		if c.Password.Present {
			// A new password also ends the sessions signed in with the
			// old one (see User.SecretGeneration).
			u.PasswordHash = hash
			u.SecretGeneration++
		}
		if err := tx.UpdateUser(ctx, &u); err != nil {
			return nil, err
		}
		if groups.Present {
			if err := setUserGroups(ctx, tx, &u, groups.Value); err != nil {
				return nil, err
			}
		}
		return &Event{Action: "user.update", TargetType: "user", TargetID: id, Before: audit(&before), After: audit(&u)}, nil
	})
	return u, err
}

// DeleteUser removes a user, its memberships and its share in the secrets
// it co-owns. A user who is the only owner of a secret is kept.
func (s *Service) DeleteUser(ctx context.Context, id int64) error {
	return s.DeleteUserIf(ctx, id, 0)
}

// DeleteUserIf is DeleteUser when the user's version is ifVersion (0: any).
func (s *Service) DeleteUserIf(ctx context.Context, id, ifVersion int64) error {
	return s.write(ctx, func(tx Tx) (*Event, error) {
		u, err := tx.User(ctx, id)
		if err != nil {
			return nil, err
		}
		if err := checkVersion(ifVersion, u.Version); err != nil {
			return nil, err
		}
		if u.Admin && !mayChangeAdmin(ctx) {
			return nil, Forbidden(MsgAdminAPI)
		}
		if n, err := tx.SoleOwnedSecrets(ctx, id); err != nil {
			return nil, err
		} else if n > 0 {
			return nil, &Error{Kind: KindConflict, Message: "The user is the only owner of " + plural(n, "secret") +
				"; give each another owner before deleting the user."}
		}
		groups, err := tx.UserGroupIDs(ctx, []int64{id})
		if err != nil {
			return nil, err
		}
		if err := tx.DeleteUser(ctx, id); err != nil {
			return nil, err
		}
		if err := touchGroups(ctx, tx, groups[id]); err != nil {
			return nil, err
		}
		return &Event{Action: "user.delete", TargetType: "user", TargetID: id, Before: audit(&u)}, nil
	})
}

// UserGroupIDs returns, for each of the users, the ids of the groups it is
// a direct member of, in one query: lists show memberships without a query
// per user.
func (s *Service) UserGroupIDs(ctx context.Context, userIDs []int64) (map[int64][]int64, error) {
	return s.store.UserGroupIDs(ctx, userIDs)
}

// UserGroups lists the groups a user is a direct member of.
func (s *Service) UserGroups(ctx context.Context, userID int64, q Query) (Page[Group], error) {
	if _, err := s.store.User(ctx, userID); err != nil {
		return Page[Group]{}, err
	}
	return s.store.UserGroups(ctx, userID, q)
}

// ChangeUserGroups adds a local user to the groups in added and removes it
// from those in removed. Groups it already is (or is not) in are ignored;
// a group that does not exist is an error naming it.
func (s *Service) ChangeUserGroups(ctx context.Context, userID int64, added, removed []int64) error {
	return s.write(ctx, func(tx Tx) (*Event, error) {
		u, err := tx.User(ctx, userID)
		if err != nil {
			return nil, err
		}
		if u.Source != SourceLocal {
			return nil, Forbidden("Only local users can be added to or removed from group policies this way.")
		}
		p := Problems{}
		for _, list := range []struct {
			field string
			ids   []int64
		}{{FieldAdded, added}, {FieldRemoved, removed}} {
			for _, gid := range list.ids {
				if _, err := tx.Group(ctx, gid); err != nil {
					if IsKind(err, KindNotFound) {
						p.Add(list.field, "must name existing group policies; "+itoa(gid)+" does not exist")
						continue
					}
					return nil, err
				}
			}
		}
		if err := p.Err(); err != nil {
			return nil, err
		}
		for _, gid := range added {
			m := Member{GroupID: gid, SecurityProviderID: u.SecurityProviderID, UserID: userID}
			if err := tx.AddMember(ctx, &m); err != nil && !IsKind(err, KindConflict) {
				return nil, err
			}
		}
		for _, gid := range removed {
			if err := tx.RemoveUserMember(ctx, gid, userID); err != nil {
				return nil, err
			}
		}
		if err := touchGroups(ctx, tx, append(slices.Clone(added), removed...)); err != nil {
			return nil, err
		}
		if err := touchUser(ctx, tx, userID); err != nil {
			return nil, err
		}
		return &Event{Action: "user.group_policies.change", TargetType: "user", TargetID: userID,
			After: audit(&idsChange{Added: added, Removed: removed})}, nil
	})
}

func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return itoa(int64(n)) + " " + noun + "s"
}

// QuarantineUser quarantines a user: it can no longer sign in, and its
// sessions end at their next request.
func (s *Service) QuarantineUser(ctx context.Context, id int64) (User, error) {
	var u User
	err := s.write(ctx, func(tx Tx) (*Event, error) {
		var err error
		if u, err = tx.User(ctx, id); err != nil {
			return nil, err
		}
		if u.Admin && !mayChangeAdmin(ctx) {
			return nil, Forbidden(MsgAdminAPI)
		}
		before := u
		u.Quarantined = true
		if err := tx.UpdateUser(ctx, &u); err != nil {
			return nil, err
		}
		return &Event{Action: "user.quarantine", TargetType: "user", TargetID: id, Before: audit(&before), After: audit(&u)}, nil
	})
	return u, err
}

// RecordSignIn notes a user's successful sign-in as its last login. It is
// the user's own doing, not an administrator's change, so it is logged by
// the sign-in, not audited as a directory change.
func (s *Service) RecordSignIn(ctx context.Context, userID int64, login LastLogin) error {
	return s.store.Write(ctx, func(tx Tx) error {
		u, err := tx.User(ctx, userID)
		if err != nil {
			return err
		}
		at := tx.Now()
		login.At = &at
		u.LastLogin = login
		return tx.UpdateUser(ctx, &u)
	})
}
