package directory

import "context"

// Team returns the team with the given id.
func (s *Service) Team(ctx context.Context, id int64) (Team, error) { return s.store.Team(ctx, id) }

// Teams lists teams.
func (s *Service) Teams(ctx context.Context, q Query) (Page[Team], error) {
	return s.store.Teams(ctx, q)
}

// CreateTeam adds a team; code names are unique.
func (s *Service) CreateTeam(ctx context.Context, c TeamChange) (Team, error) {
	return s.createTeam(ctx, c, nil)
}

// createTeam validates and stores a new team; check, when given, may
// refuse it in the write transaction.
func (s *Service) createTeam(ctx context.Context, c TeamChange, check func(Tx) error) (Team, error) {
	p := c.Validate()
	if !c.Name.Present || c.Name.Value == "" {
		p[FieldName] = []string{MsgRequired}
	}
	if err := p.Err(); err != nil {
		return Team{}, err
	}
	var t Team
	c.apply(&t)
	err := s.write(ctx, func(tx Tx) (*Event, error) {
		if check != nil {
			if err := check(tx); err != nil {
				return nil, err
			}
		}
		if err := tx.CreateTeam(ctx, &t); err != nil {
			return nil, err
		}
		return &Event{Action: "team.create", TargetType: "team", TargetID: t.ID, After: audit(&t)}, nil
	})
	return t, err
}

// UpdateTeam applies a change to a team.
func (s *Service) UpdateTeam(ctx context.Context, id int64, c TeamChange) (Team, error) {
	if err := c.Validate().Err(); err != nil {
		return Team{}, err
	}
	var t Team
	err := s.write(ctx, func(tx Tx) (*Event, error) {
		var err error
		if t, err = tx.Team(ctx, id); err != nil {
			return nil, err
		}
		before := t
		c.apply(&t)
		if err := tx.UpdateTeam(ctx, &t); err != nil {
			return nil, err
		}
		return &Event{Action: "team.update", TargetType: "team", TargetID: id, Before: audit(&before), After: audit(&t)}, nil
	})
	return t, err
}

// DeleteTeam removes a team and its memberships.
func (s *Service) DeleteTeam(ctx context.Context, id int64) error {
	return s.write(ctx, func(tx Tx) (*Event, error) {
		t, err := tx.Team(ctx, id)
		if err != nil {
			return nil, err
		}
		if err := tx.DeleteTeam(ctx, id); err != nil {
			return nil, err
		}
		return &Event{Action: "team.delete", TargetType: "team", TargetID: id, Before: audit(&t)}, nil
	})
}

// TeamUsers lists a team's users.
func (s *Service) TeamUsers(ctx context.Context, teamID int64, q Query) (Page[TeamUser], error) {
	if _, err := s.store.Team(ctx, teamID); err != nil {
		return Page[TeamUser]{}, err
	}
	return s.store.TeamUsers(ctx, teamID, q)
}

// TeamUser returns one user's membership of a team.
func (s *Service) TeamUser(ctx context.Context, teamID, userID int64) (TeamUser, error) {
	if _, err := s.store.Team(ctx, teamID); err != nil {
		return TeamUser{}, err
	}
	return s.store.TeamUser(ctx, teamID, userID)
}

// AddTeamUser puts a user on a team with a role (member when empty).
func (s *Service) AddTeamUser(ctx context.Context, tu TeamUser) (TeamUser, error) {
	if tu.Role == "" {
		tu.Role = RoleMember
	}
	err := s.write(ctx, func(tx Tx) (*Event, error) {
		if _, err := tx.Team(ctx, tu.TeamID); err != nil {
			return nil, err
		}
		p := Problems{}
		tu.Role.Check(p)
		if _, err := tx.User(ctx, tu.UserID); err != nil {
			if !IsKind(err, KindNotFound) {
				return nil, err
			}
			p.Add(FieldUserID, "does not exist")
		} else if _, err := tx.TeamUser(ctx, tu.TeamID, tu.UserID); err == nil {
			p.Add(FieldUserID, "is already on this team")
		} else if !IsKind(err, KindNotFound) {
			return nil, err
		}
		if err := p.Err(); err != nil {
			return nil, err
		}
		if err := tx.PutTeamUser(ctx, tu); err != nil {
			return nil, err
		}
		return &Event{Action: "team.user.add", TargetType: "team", TargetID: tu.TeamID, After: audit(&tu)}, nil
	})
	return tu, err
}

// UpdateTeamUser changes a user's role on a team, or moves the user to the
// team newTeamID (when not 0).
func (s *Service) UpdateTeamUser(ctx context.Context, teamID, userID int64, role Set[TeamRole], newTeamID int64) (TeamUser, error) {
	var tu TeamUser
	err := s.write(ctx, func(tx Tx) (*Event, error) {
		if _, err := tx.Team(ctx, teamID); err != nil {
			return nil, err
		}
		var err error
		if tu, err = tx.TeamUser(ctx, teamID, userID); err != nil {
			return nil, err
		}
		before := tu
		p := Problems{}
		if role.Present {
			role.Value.Check(p)
		}
		if newTeamID != 0 && newTeamID != teamID {
			if _, err := tx.Team(ctx, newTeamID); err != nil {
				if !IsKind(err, KindNotFound) {
					return nil, err
				}
				p.Add(FieldTeamID, "does not exist")
			}
		}
		if err := p.Err(); err != nil {
			return nil, err
		}
		role.apply(&tu.Role)
		if newTeamID != 0 && newTeamID != teamID {
			if err := tx.RemoveTeamUser(ctx, teamID, userID); err != nil {
				return nil, err
			}
			tu.TeamID = newTeamID
		}
		if err := tx.PutTeamUser(ctx, tu); err != nil {
			return nil, err
		}
		return &Event{Action: "team.user.update", TargetType: "team", TargetID: teamID, Before: audit(&before), After: audit(&tu)}, nil
	})
	return tu, err
}

// RemoveTeamUser takes a user off a team.
func (s *Service) RemoveTeamUser(ctx context.Context, teamID, userID int64) error {
	return s.write(ctx, func(tx Tx) (*Event, error) {
		if _, err := tx.Team(ctx, teamID); err != nil {
			return nil, err
		}
		tu, err := tx.TeamUser(ctx, teamID, userID)
		if err != nil {
			return nil, err
		}
		if err := tx.RemoveTeamUser(ctx, teamID, userID); err != nil {
			return nil, err
		}
		return &Event{Action: "team.user.remove", TargetType: "team", TargetID: teamID, Before: audit(&tu)}, nil
	})
}
