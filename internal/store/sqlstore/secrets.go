package sqlstore

import (
	"context"
	"slices"

	"github.com/gatehouse/gatehouse/internal/directory"
)

// A secret is a row of secrets and its owners' rows of secret_owners, which
// go with the secret (ON DELETE CASCADE) and with each owner: deleting a
// user takes it off every secret it co-owns.

// secretFields are the columns a create sets, in secretValues order.
var secretFields = []string{"title", "created_at"}

var secretCols = "s.id, " + qualify("s", secretFields)

var secretsList = &listSpec{cols: secretCols, from: "secrets s", attrs: attrColumns{directory.SecretID: "s.id"}, id: "s.id"}

var (
	stSecret       = newStmt("SELECT " + secretCols + " FROM secrets s WHERE s.id = ?")
	stSecretOwners = newStmt("SELECT secret_id, user_id FROM secret_owners WHERE secret_id = ? ORDER BY user_id")
	stInsertSecret = newStmt(insertSQL("secrets", secretFields) + " RETURNING id")
	// A secret is solely owned by the user when no other user owns it; the
	// primary key (secret_id, user_id) answers that for each of the user's
	// secrets, found by the index on user_id.
	stSoleOwnedSecrets = newStmt("SELECT count(*) FROM secret_owners o WHERE o.user_id = ? AND NOT EXISTS" +
		" (SELECT 1 FROM secret_owners x WHERE x.secret_id = o.secret_id AND x.user_id <> o.user_id)")
	bulkSecretOwners = newBulk("secret_owners", []string{"secret_id", "user_id"})
)

func secretValues(s *directory.Secret, created int64) []any {
	return []any{s.Title, created}
}

// scanSecret reads a secret without its owners, which ownersOf adds.
func scanSecret(sc scanner) (directory.Secret, error) {
	var (
		s       directory.Secret
		created int64
	)
	err := sc.Scan(&s.ID, &s.Title, &created)
	s.CreatedAt = fromMicros(created)
	return s, err
}

func (r reader) Secret(ctx context.Context, id int64) (directory.Secret, error) {
	s, err := get(ctx, r, stSecret, "secret", scanSecret, id)
	if err != nil {
		return s, err
	}
	rows, err := r.q.Query(ctx, r.sql(stSecretOwners), id)
	owners := map[int64][]int64{}
	if err := collectPairs(rows, err, owners); err != nil {
		return s, err
	}
	s.OwnerIDs = owners[id]
	return s, nil
}

// Secrets lists a page of secrets and then their owners, with one more
// query per maxInList secrets.
func (r reader) Secrets(ctx context.Context, q directory.Query) (directory.Page[directory.Secret], error) {
	page, err := list(ctx, r, secretsList, 0, q, scanSecret)
	if err != nil || len(page.Items) == 0 {
		return page, err
	}
	owners, err := r.pairs(ctx, "SELECT secret_id, user_id FROM secret_owners WHERE secret_id IN (",
		") ORDER BY secret_id, user_id", secretIDs(page.Items))
	if err != nil {
		return page, err
	}
	for i := range page.Items {
		page.Items[i].OwnerIDs = owners[page.Items[i].ID]
	}
	return page, nil
}

func secretIDs(secrets []directory.Secret) []int64 {
	out := make([]int64, len(secrets))
	for i, s := range secrets {
		out[i] = s.ID
	}
	return out
}

func (r reader) SoleOwnedSecrets(ctx context.Context, userID int64) (int, error) {
	var n int64
	err := r.q.QueryRow(ctx, r.sql(stSoleOwnedSecrets), userID).Scan(&n)
	return int(n), err
}

// CreateSecret stores the owners sorted and once each, as they read back.
func (t *tx) CreateSecret(ctx context.Context, s *directory.Secret) error {
	s.OwnerIDs = ownerIDs(s.OwnerIDs)
	if err := t.q.QueryRow(ctx, t.sql(stInsertSecret), secretValues(s, micros(t.now))...).Scan(&s.ID); err != nil {
		return err
	}
	s.CreatedAt = t.now
	return t.insertOwners(ctx, []directory.Secret{*s})
}

// ownerIDs returns the ids sorted and without repeats, nil when there are
// none.
func ownerIDs(in []int64) []int64 {
	if len(in) == 0 {
		return nil
	}
	out := slices.Clone(in)
	slices.Sort(out)
	return slices.Compact(out)
}

// insertOwners adds the owner rows of secrets.
func (t *tx) insertOwners(ctx context.Context, secrets []directory.Secret) error {
	type owner struct{ secret, user int64 }
	var rows []owner
	for _, s := range secrets {
		for _, u := range s.OwnerIDs {
			rows = append(rows, owner{s.ID, u})
		}
	}
	return insertRows(ctx, t, bulkSecretOwners, rows, func(o *owner) []any { return []any{o.secret, o.user} })
}
