package directory

import (
	"context"
	"slices"
)

// provisionBatch is how many users one provisioning transaction handles:
// small enough to keep the write lock short, large enough to amortise it.
const provisionBatch = 500

// ProvisionUsers recalculates the effective access settings of the given
// users from their group policies, as PRA does on login and on request.
// Unknown ids are ignored; no ids means every user.
func (s *Service) ProvisionUsers(ctx context.Context, ids []int64) error {
	if len(ids) > 0 {
		ids = slices.Clone(ids)
		slices.Sort(ids)
		ids = slices.Compact(ids)
		for start := 0; start < len(ids); start += provisionBatch {
			batch := ids[start:min(start+provisionBatch, len(ids))]
			or := make(Or, len(batch))
			for i, id := range batch {
				or[i] = Eq(UserID, id)
			}
			if _, err := s.provision(ctx, Query{Filter: or, Limit: len(batch)}); err != nil {
				return err
			}
		}
		return nil
	}
	var after int64
	for {
		last, err := s.provision(ctx, Query{Filter: Compare{Attr: UserID, Op: OpGt, Value: after}, Limit: provisionBatch})
		if err != nil || last == 0 {
			return err
		}
		after = last
	}
}

// ProvisionGroup provisions the users that are direct members of a group.
func (s *Service) ProvisionGroup(ctx context.Context, groupID int64) error {
	if _, err := s.store.Group(ctx, groupID); err != nil {
		return err
	}
	var after int64
	for {
		page, err := s.store.MemberUsers(ctx, groupID, Query{Filter: Compare{Attr: UserID, Op: OpGt, Value: after}, Limit: provisionBatch})
		if err != nil || len(page.Items) == 0 {
			return err
		}
		ids := make([]int64, len(page.Items))
		for i, u := range page.Items {
			ids[i] = u.ID
		}
		if err := s.ProvisionUsers(ctx, ids); err != nil {
			return err
		}
		after = ids[len(ids)-1]
	}
}

// provision updates one batch of users in one transaction and returns the
// highest user id it saw (0 when the batch was empty).
func (s *Service) provision(ctx context.Context, q Query) (int64, error) {
	var last int64
	actor := ActorFrom(ctx).String()
	err := s.store.Write(ctx, func(tx Tx) error {
		users, err := tx.Users(ctx, q)
		if err != nil || len(users.Items) == 0 {
			return err
		}
		ids := make([]int64, len(users.Items))
		for i, u := range users.Items {
			ids[i] = u.ID
		}
		last = ids[len(ids)-1]
		memberships, err := tx.UserGroupIDs(ctx, ids)
		if err != nil {
			return err
		}
		groups, err := groupsByID(ctx, tx, memberships)
		if err != nil {
			return err
		}
		for _, u := range users.Items {
			var policies []Group
			for _, gid := range memberships[u.ID] {
				policies = append(policies, groups[gid])
			}
			access := EffectiveAccess(policies)
			if access == u.Access {
				continue
			}
			before := u
			u.Access = access
			if err := tx.UpdateUser(ctx, &u); err != nil {
				return err
			}
			ev := Event{At: tx.Now(), Actor: actor, Action: "user.provision", TargetType: "user", TargetID: u.ID,
				Before: audit(&before), After: audit(&u)}
			if err := tx.AppendEvent(ctx, &ev); err != nil {
				return err
			}
		}
		return nil
	})
	return last, err
}

// groupsByID loads every group named in memberships, a page of
// MaxPageSize at a time.
func groupsByID(ctx context.Context, r Reader, memberships map[int64][]int64) (map[int64]Group, error) {
	seen := map[int64]bool{}
	var or Or
	for _, gids := range memberships {
		for _, gid := range gids {
			if !seen[gid] {
				seen[gid] = true
				or = append(or, Eq(GroupID, gid))
			}
		}
	}
	out := make(map[int64]Group, len(seen))
	for start := 0; start < len(or); start += MaxPageSize {
		batch := or[start:min(start+MaxPageSize, len(or))]
		page, err := r.Groups(ctx, Query{Filter: batch, Limit: len(batch)})
		if err != nil {
			return nil, err
		}
		for _, g := range page.Items {
			out[g.ID] = g
		}
	}
	return out, nil
}
