package directory

import "context"

// A membership belongs to both of its ends: a user shows its groups
// (public v3 group_memberships, SCIM groups) and a group its members
// (SCIM members). So a membership change bumps the version of each end
// that the write does not itself update, and an ETag read before the
// change no longer matches either.

// touchUser bumps a user's version; a user deleted meanwhile is skipped.
func touchUser(ctx context.Context, tx Tx, id int64) error {
	u, err := tx.User(ctx, id)
	if IsKind(err, KindNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	return tx.UpdateUser(ctx, &u)
}

// touchGroup bumps a group's version; a group deleted meanwhile is skipped.
func touchGroup(ctx context.Context, tx Tx, id int64) error {
	g, err := tx.Group(ctx, id)
	if IsKind(err, KindNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	return tx.UpdateGroup(ctx, &g)
}

func touchUsers(ctx context.Context, tx Tx, ids []int64) error {
	for _, id := range ids {
		if err := touchUser(ctx, tx, id); err != nil {
			return err
		}
	}
	return nil
}

func touchGroups(ctx context.Context, tx Tx, ids []int64) error {
	for _, id := range ids {
		if err := touchGroup(ctx, tx, id); err != nil {
			return err
		}
	}
	return nil
}
