package directory

import (
	"context"
	"slices"
)

// NewGroup is what creating a group takes.
type NewGroup struct {
	Source             Source
	SecurityProviderID int64
	GroupChange
}

// Group returns the group with the given id.
func (s *Service) Group(ctx context.Context, id int64) (Group, error) { return s.store.Group(ctx, id) }

// Groups lists groups in priority order unless q sorts otherwise.
func (s *Service) Groups(ctx context.Context, q Query) (Page[Group], error) {
	return s.store.Groups(ctx, q)
}

// CreateGroup adds a group; names are unique regardless of case.
func (s *Service) CreateGroup(ctx context.Context, in NewGroup) (Group, error) {
	return s.createGroup(ctx, in, nil)
}

// createGroup validates and stores a new group; after, when given, does
// what must commit with it.
func (s *Service) createGroup(ctx context.Context, in NewGroup, after func(Tx, *Group) error) (Group, error) {
	p := in.GroupChange.Validate()
	if !in.Name.Present || in.Name.Value == "" {
		p[FieldName] = []string{MsgRequired}
	}
	if err := p.Err(); err != nil {
		return Group{}, err
	}
	g := Group{Source: in.Source, SecurityProviderID: in.SecurityProviderID, AccessStatus: AccessNotDefined,
		Access: DefaultAccess(), Active: true}
	if g.Source == "" {
		g.Source = SourceLocal
	}
	if g.SecurityProviderID == 0 && g.Source == SourceLocal {
		g.SecurityProviderID = LocalProviderID
	}
	in.GroupChange.apply(&g)
	provider := g.SecurityProviderID
	err := s.write(ctx, func(tx Tx) (*Event, error) {
		// A retried attempt must not keep the provider that an undone one
		// created.
		g.SecurityProviderID = provider
		if err := checkRegistrations(ctx, tx, g.RegistrationIDs); err != nil {
			return nil, err
		}
		if g.SecurityProviderID == 0 {
			var err error
			if g.SecurityProviderID, err = ensureProvider(ctx, tx, g.Source); err != nil {
				return nil, err
			}
		}
		if err := tx.CreateGroup(ctx, &g); err != nil {
			return nil, err
		}
		if after != nil {
			if err := after(tx, &g); err != nil {
				return nil, err
			}
		}
		return &Event{Action: "group.create", TargetType: "group", TargetID: g.ID, After: audit(&g)}, nil
	})
	return g, err
}

// UpdateGroup applies a change to a group.
func (s *Service) UpdateGroup(ctx context.Context, id int64, c GroupChange, ifVersion int64) (Group, error) {
	return s.UpdateGroupAndMembers(ctx, id, c, MembersChange{}, ifVersion)
}

// DeleteGroup removes a group and its memberships.
func (s *Service) DeleteGroup(ctx context.Context, id int64) error {
	return s.DeleteGroupIf(ctx, id, 0)
}

// DeleteGroupIf is DeleteGroup when the group's version is ifVersion (0:
// any).
func (s *Service) DeleteGroupIf(ctx context.Context, id, ifVersion int64) error {
	return s.write(ctx, func(tx Tx) (*Event, error) {
		g, err := tx.Group(ctx, id)
		if err != nil {
			return nil, err
		}
		if err := checkVersion(ifVersion, g.Version); err != nil {
			return nil, err
		}
		members, err := memberUserIDs(ctx, tx, id)
		if err != nil {
			return nil, err
		}
		if err := tx.DeleteGroup(ctx, id); err != nil {
			return nil, err
		}
		if err := touchUsers(ctx, tx, members); err != nil {
			return nil, err
		}
		return &Event{Action: "group.delete", TargetType: "group", TargetID: id, Before: audit(&g)}, nil
	})
}

// CopyGroup creates a new group named name with the settings and members
// of group id.
func (s *Service) CopyGroup(ctx context.Context, id int64, name string) (Group, error) {
	p := Problems{}
	checkLen(p, FieldName, name, 1, MaxName)
	checkText(p, FieldName, name)
	if err := p.Err(); err != nil {
		return Group{}, err
	}
	var g Group
	err := s.write(ctx, func(tx Tx) (*Event, error) {
		src, err := tx.Group(ctx, id)
		if err != nil {
			return nil, err
		}
		g = src
		g.ID, g.Name, g.ExternalID = 0, name, ""
		if err := tx.CreateGroup(ctx, &g); err != nil {
			return nil, err
		}
		for offset := 0; ; offset += provisionBatch {
			members, err := tx.Members(ctx, id, Query{Offset: offset, Limit: provisionBatch})
			if err != nil {
				return nil, err
			}
			for _, m := range members.Items {
				m.ID, m.GroupID = 0, g.ID
				if err := tx.AddMember(ctx, &m); err != nil {
					return nil, err
				}
				if m.UserID != 0 {
					if err := touchUser(ctx, tx, m.UserID); err != nil {
						return nil, err
					}
				}
			}
			if len(members.Items) < provisionBatch {
				break
			}
		}
		return &Event{Action: "group.copy", TargetType: "group", TargetID: g.ID, Before: audit(&src), After: audit(&g)}, nil
	})
	return g, err
}

// Members lists a group's members.
func (s *Service) Members(ctx context.Context, groupID int64, q Query) (Page[Member], error) {
	if _, err := s.store.Group(ctx, groupID); err != nil {
		return Page[Member]{}, err
	}
	return s.store.Members(ctx, groupID, q)
}

// MemberUsers lists the users that are direct members of a group.
func (s *Service) MemberUsers(ctx context.Context, groupID int64, q Query) (Page[User], error) {
	if _, err := s.store.Group(ctx, groupID); err != nil {
		return Page[User]{}, err
	}
	return s.store.MemberUsers(ctx, groupID, q)
}

// Member returns one member of a group.
func (s *Service) Member(ctx context.Context, groupID, memberID int64) (Member, error) {
	if _, err := s.store.Group(ctx, groupID); err != nil {
		return Member{}, err
	}
	return s.store.Member(ctx, groupID, memberID)
}

// AddMember adds a user, DN or external group to a group, with the fields
// the member's security provider type requires.
func (s *Service) AddMember(ctx context.Context, groupID int64, in MemberInput) (Member, error) {
	var m Member
	err := s.write(ctx, func(tx Tx) (*Event, error) {
		if _, err := tx.Group(ctx, groupID); err != nil {
			return nil, err
		}
		if in.SecurityProviderID == 0 {
			return nil, Problems{FieldSecurityProviderID: {MsgRequired}}.Err()
		}
		prov, err := tx.SecurityProvider(ctx, in.SecurityProviderID)
		if err != nil {
			return nil, invalidIfMissing(err, FieldSecurityProviderID, "does not exist")
		}
		p := in.validateFor(prov.Type)
		if in.UserID != 0 && len(p) == 0 {
			u, err := tx.User(ctx, in.UserID)
			switch {
			case IsKind(err, KindNotFound):
				p.Add(FieldUserID, "does not exist")
			case err != nil:
				return nil, err
			case u.SecurityProviderID != prov.ID:
				p.Add(FieldUserID, "does not belong to the given security provider")
			}
		}
		if err := p.Err(); err != nil {
			return nil, err
		}
		m = Member{GroupID: groupID, SecurityProviderID: prov.ID, UserID: in.UserID,
			DistinguishedName: in.DistinguishedName, GroupName: in.GroupName}
		if err := tx.AddMember(ctx, &m); err != nil {
			return nil, err
		}
		if err := touchGroup(ctx, tx, groupID); err != nil {
			return nil, err
		}
		if m.UserID != 0 {
			if err := touchUser(ctx, tx, m.UserID); err != nil {
				return nil, err
			}
		}
		return &Event{Action: "group.member.add", TargetType: "group", TargetID: groupID, After: audit(&m)}, nil
	})
	return m, err
}

// RemoveMember removes one member from a group.
func (s *Service) RemoveMember(ctx context.Context, groupID, memberID int64) error {
	return s.write(ctx, func(tx Tx) (*Event, error) {
		if _, err := tx.Group(ctx, groupID); err != nil {
			return nil, err
		}
		m, err := tx.Member(ctx, groupID, memberID)
		if err != nil {
			return nil, err
		}
		if err := tx.RemoveMember(ctx, groupID, memberID); err != nil {
			return nil, err
		}
		if err := touchGroup(ctx, tx, groupID); err != nil {
			return nil, err
		}
		if m.UserID != 0 {
			if err := touchUser(ctx, tx, m.UserID); err != nil {
				return nil, err
			}
		}
		return &Event{Action: "group.member.remove", TargetType: "group", TargetID: groupID, Before: audit(&m)}, nil
	})
}

// checkRegistrations refuses API registration ids that do not exist.
func checkRegistrations(ctx context.Context, tx Tx, ids []int64) error {
	p := Problems{}
	for _, id := range ids {
		if _, err := tx.APIRegistration(ctx, id); err != nil {
			if !IsKind(err, KindNotFound) {
				return err
			}
			p.Add(FieldRegistrationIDs, "must name API registrations that exist; "+itoa(id)+" does not")
		}
	}
	return p.Err()
}

// RemoveUserFromGroup ends the user's direct membership of the group.
func (s *Service) RemoveUserFromGroup(ctx context.Context, groupID, userID int64) error {
	return s.write(ctx, func(tx Tx) (*Event, error) {
		if _, err := tx.Group(ctx, groupID); err != nil {
			return nil, err
		}
		if _, err := tx.User(ctx, userID); err != nil {
			return nil, err
		}
		ids, err := tx.UserGroupIDs(ctx, []int64{userID})
		if err != nil {
			return nil, err
		}
		if !slices.Contains(ids[userID], groupID) {
			return nil, NotFound("membership")
		}
		if err := tx.RemoveUserMember(ctx, groupID, userID); err != nil {
			return nil, err
		}
		if err := touchGroup(ctx, tx, groupID); err != nil {
			return nil, err
		}
		if err := touchUser(ctx, tx, userID); err != nil {
			return nil, err
		}
		return &Event{Action: "group.member.remove", TargetType: "group", TargetID: groupID,
			Before: audit(&Member{GroupID: groupID, UserID: userID})}, nil
	})
}
