package sqlstore

import (
	"context"
	"database/sql"
	"errors"

	"github.com/gatehouse/gatehouse/internal/directory"
)

// Statements that could violate a unique index are written so that they
// do not: INSERT ... ON CONFLICT DO NOTHING returns no row, and UPDATE
// carries a NOT EXISTS guard and matches no row. A violation would abort a
// PostgreSQL transaction, and the Service may carry on after a Conflict
// (adding a user to groups it is already in), as it can on SQLite.

// insert runs an INSERT ... ON CONFLICT DO NOTHING RETURNING id; when no row
// comes back a unique value was taken, and taken says which.
func (t *tx) insert(ctx context.Context, s *stmt, taken func() error, args ...any) (int64, error) {
	var id int64
	err := t.q.QueryRow(ctx, t.sql(s), args...).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, taken()
	}
	return id, err
}

// update runs a guarded UPDATE ... RETURNING one value (the new version);
// when no row comes back, unmatched says why.
func (t *tx) update(ctx context.Context, s *stmt, unmatched func() error, args ...any) (int64, error) {
	var v int64
	err := t.q.QueryRow(ctx, t.sql(s), args...).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, unmatched()
	}
	if err != nil {
		return 0, t.writeErr(err)
	}
	return v, nil
}

// taken returns the Conflict for field.
func taken(field string) func() error {
	return func() error { return directory.Conflict(field, directory.MsgTaken) }
}

// missingOrTaken explains an update that matched no row: the row is gone,
// or else the guard found the new value taken.
func (t *tx) missingOrTaken(ctx context.Context, exists *stmt, id int64, resource string, taken func() error) func() error {
	return func() error {
		ok, err := t.exists(ctx, exists, id)
		switch {
		case err != nil:
			return err
		case !ok:
			return directory.NotFound(resource)
		default:
			return taken()
		}
	}
}

// delete runs a DELETE of one row, reporting NotFound when there was none.
// Dependent rows (memberships) go with it through ON DELETE CASCADE.
func (t *tx) delete(ctx context.Context, s *stmt, resource string, args ...any) error {
	n, err := t.q.Exec(ctx, t.sql(s), args...)
	if err == nil && n == 0 {
		return directory.NotFound(resource)
	}
	return err
}

// writeErr turns a unique violation that a statement's guard could not
// prevent into a Conflict: in PostgreSQL, an UPDATE guard does not see the
// row of a concurrent transaction that commits first.
func (t *tx) writeErr(err error) error {
	if t.d.UniqueIndex == nil {
		return err
	}
	if name, ok := t.d.UniqueIndex(err); ok {
		if field, ok := uniqueFields[name]; ok {
			return directory.Conflict(field, directory.MsgTaken)
		}
	}
	return err
}

// fieldClientID is the API account and application user field the domain
// names only in its validation messages.
const fieldClientID = "client_id"

// fieldKeyHash is the API registration field whose value is unique besides
// its name; keys are random, so it is only ever taken by a broken caller.
const fieldKeyHash = "key_hash"

// uniqueFields maps the unique indexes that an UPDATE can run into to the
// domain field whose value each keeps unique. (An INSERT ... ON CONFLICT DO
// NOTHING never reports a violation.)
var uniqueFields = map[string]string{
	"users_username_key":             directory.FieldUsername,
	"groups_name_key":                directory.FieldName,
	"teams_code_name_key":            directory.FieldCodeName,
	"api_accounts_name_key":          directory.FieldName,
	"api_accounts_client_id_key":     fieldClientID,
	"users_client_id_key":            fieldClientID,
	"api_registrations_name_key":     directory.FieldName,
	"api_registrations_key_hash_key": fieldKeyHash,
}
