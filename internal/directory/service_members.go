package directory

import (
	"context"
	"slices"
)

// providerTypes are the security provider types that stand for each
// source of users an identity provider manages.
var providerTypes = map[Source]ProviderType{
	SourceLDAP: ProviderLDAP,
	SourceSAML: ProviderSAML,
	SourceSCIM: ProviderSCIM,
}

// ensureProvider returns the id of the first security provider that stands
// for src (SCIM, SAML or LDAP), creating one the first time a user or group
// of that source is created. It runs in the caller's transaction, so that
// two first writes cannot create two.
func ensureProvider(ctx context.Context, tx Tx, src Source) (int64, error) {
	t, ok := providerTypes[src]
	if !ok {
		return 0, Problems{FieldSecurityProviderID: {"is required for users of source " + string(src)}}.Err()
	}
	page, err := tx.SecurityProviders(ctx, Query{Limit: MaxPageSize})
	if err != nil {
		return 0, err
	}
	for _, p := range page.Items {
		if p.Type == t {
			return p.ID, nil
		}
	}
	p := SecurityProvider{Type: t, Name: map[ProviderType]string{ProviderLDAP: "LDAP", ProviderSAML: "SAML", ProviderSCIM: "SCIM"}[t],
		Enabled: true, UserAuthentication: t != ProviderSCIM, GroupLookup: t == ProviderSCIM, Priority: page.Total + 1}
	if err := tx.CreateSecurityProvider(ctx, &p); err != nil {
		return 0, err
	}
	return p.ID, tx.AppendEvent(ctx, &Event{At: tx.Now(), Actor: ActorFrom(ctx).String(), Action: "security_provider.create",
		TargetType: "security_provider", TargetID: p.ID, After: audit(&p)})
}

// CreateUserInGroups adds a user that is at once a direct member of the
// given groups (public v3 group_memberships).
func (s *Service) CreateUserInGroups(ctx context.Context, in NewUser, groups []int64) (User, error) {
	if in.Source == SourceApplication || in.Source == SourceActiveDirectory {
		return User{}, Problems{FieldUserType: {"is created through its own operation"}}.Err()
	}
	return s.createUser(ctx, in, nil, func(tx Tx, u *User) error { return setUserGroups(ctx, tx, u, groups) })
}

// setUserGroups makes u a direct member of exactly the given groups.
func setUserGroups(ctx context.Context, tx Tx, u *User, groups []int64) error {
	if err := checkGroups(ctx, tx, groups); err != nil {
		return err
	}
	current, err := tx.UserGroupIDs(ctx, []int64{u.ID})
	if err != nil {
		return err
	}
	var changed []int64
	for _, gid := range current[u.ID] {
		if !slices.Contains(groups, gid) {
			if err := tx.RemoveUserMember(ctx, gid, u.ID); err != nil {
				return err
			}
			changed = append(changed, gid)
		}
	}
	for _, gid := range groups {
		if !slices.Contains(current[u.ID], gid) && !slices.Contains(changed, gid) {
			if err := addUserMember(ctx, tx, gid, u); err != nil {
				return err
			}
			changed = append(changed, gid)
		}
	}
	return touchGroups(ctx, tx, changed)
}

func checkGroups(ctx context.Context, tx Tx, ids []int64) error {
	p := Problems{}
	for _, id := range ids {
		if _, err := tx.Group(ctx, id); err != nil {
			if !IsKind(err, KindNotFound) {
				return err
			}
			p.Add(FieldGroupMemberships, "must name existing groups; "+itoa(id)+" does not exist")
		}
	}
	return p.Err()
}

// addUserMember adds u to a group, doing nothing if it is a member.
func addUserMember(ctx context.Context, tx Tx, groupID int64, u *User) error {
	err := tx.AddMember(ctx, &Member{GroupID: groupID, SecurityProviderID: u.SecurityProviderID, UserID: u.ID})
	if IsKind(err, KindConflict) {
		return nil
	}
	return err
}

// MembersChange says how a write changes a group's direct user members:
// Replace, when present, sets them; else Add and Remove change them.
type MembersChange struct {
	Replace     Set[[]int64]
	Add, Remove []int64
}

func (m MembersChange) empty() bool {
	return !m.Replace.Present && len(m.Add) == 0 && len(m.Remove) == 0
}

// CreateGroupWithMembers adds a group with the given users as its direct
// members, in one transaction (SCIM POST /Groups).
func (s *Service) CreateGroupWithMembers(ctx context.Context, in NewGroup, members []int64) (Group, error) {
	return s.createGroup(ctx, in, func(tx Tx, g *Group) error {
		return changeMembers(ctx, tx, g.ID, MembersChange{Add: members})
	})
}

// UpdateGroupAndMembers applies a change to a group and to its direct user
// members in one transaction, and bumps the group's version even when only
// its members change, so that an ETag tells a changed member list apart.
// Removing a user that is not a member is not an error (SCIM's remove of
// members[value eq "x"] matching nothing).
func (s *Service) UpdateGroupAndMembers(ctx context.Context, id int64, c GroupChange, m MembersChange, ifVersion int64) (Group, error) {
	if err := c.Validate().Err(); err != nil {
		return Group{}, err
	}
	var g Group
	err := s.write(ctx, func(tx Tx) (*Event, error) {
		var err error
		if g, err = tx.Group(ctx, id); err != nil {
			return nil, err
		}
		if err := checkVersion(ifVersion, g.Version); err != nil {
			return nil, err
		}
		before := g
		c.apply(&g)
		if c.RegistrationIDs.Present {
			if err := checkRegistrations(ctx, tx, g.RegistrationIDs); err != nil {
				return nil, err
			}
		}
		if err := changeMembers(ctx, tx, id, m); err != nil {
			return nil, err
		}
		if err := tx.UpdateGroup(ctx, &g); err != nil {
			return nil, err
		}
		ev := &Event{Action: "group.update", TargetType: "group", TargetID: id, Before: audit(&before), After: audit(&g)}
		if !m.empty() {
			ev.Action, ev.After = "group.update_members", audit(&groupMembersUpdate{&g, &m})
		}
		return ev, nil
	})
	return g, err
}

// changeMembers applies m to the group's direct user members. Every user
// it adds must exist; removing one that does not (deleted meanwhile, and
// so no member any more) is not an error.
func changeMembers(ctx context.Context, tx Tx, groupID int64, m MembersChange) error {
	named := append(slices.Clone(m.Replace.Value), m.Add...)
	users := make(map[int64]*User, len(named))
	p := Problems{}
	for _, id := range named {
		if users[id] != nil {
			continue
		}
		u, err := tx.User(ctx, id)
		if IsKind(err, KindNotFound) {
			p.Add(FieldMembers, "must name existing users; "+itoa(id)+" does not exist")
			continue
		} else if err != nil {
			return err
		}
		users[id] = &u
	}
	if err := p.Err(); err != nil {
		return err
	}
	add, remove := m.Add, m.Remove
	if m.Replace.Present {
		current, err := memberUserIDs(ctx, tx, groupID)
		if err != nil {
			return err
		}
		add, remove = nil, nil
		for _, id := range current {
			if !slices.Contains(m.Replace.Value, id) {
				remove = append(remove, id)
			}
		}
		for _, id := range m.Replace.Value {
			if !slices.Contains(current, id) {
				add = append(add, id)
			}
		}
	}
	for _, id := range remove {
		if err := tx.RemoveUserMember(ctx, groupID, id); err != nil {
			return err
		}
	}
	for _, id := range add {
		if err := addUserMember(ctx, tx, groupID, users[id]); err != nil {
			return err
		}
	}
	return touchUsers(ctx, tx, append(remove, add...))
}

// memberUserIDs lists the group's direct user members, a batch at a time.
func memberUserIDs(ctx context.Context, tx Tx, groupID int64) ([]int64, error) {
	var ids []int64
	for after := int64(0); ; {
		page, err := tx.Members(ctx, groupID, Query{Filter: Compare{Attr: MemberID, Op: OpGt, Value: after},
			Limit: provisionBatch, NoTotal: true})
		if err != nil {
			return nil, err
		}
		for _, m := range page.Items {
			if m.UserID != 0 {
				ids = append(ids, m.UserID)
			}
			after = m.ID
		}
		if len(page.Items) < provisionBatch {
			return ids, nil
		}
	}
}
