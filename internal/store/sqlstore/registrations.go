package sqlstore

import (
	"context"
	"encoding/json"

	"github.com/gatehouse/gatehouse/internal/directory"
)

// registrationFields are the columns a write sets, in registrationValues order.
var registrationFields = []string{"name", "key_hash", "ip_allow", "user_password_required"}

var registrationCols = "r.id, " + qualify("r", registrationFields) + ", r.created_at, r.updated_at, r.version"

var registrationsList = &listSpec{cols: registrationCols, from: "api_registrations r",
	attrs: attrColumns{directory.RegistrationName: "r.name"}, id: "r.id"}

var (
	stRegistration          = newStmt("SELECT " + registrationCols + " FROM api_registrations r WHERE r.id = ?")
	stRegistrationByKeyHash = newStmt("SELECT " + registrationCols + " FROM api_registrations r WHERE r.key_hash = ?")
	stRegistrationExists    = newStmt("SELECT 1 FROM api_registrations WHERE id = ?")
	stKeyHashTaken          = newStmt("SELECT 1 FROM api_registrations WHERE key_hash = ? AND id <> ?")
	stInsertRegistration    = newStmt(insertSQL("api_registrations", versioned(registrationFields)) +
		" ON CONFLICT DO NOTHING RETURNING id")
	stUpdateRegistration = newStmt("UPDATE api_registrations SET " + assignments(registrationFields) +
		", updated_at = ?, version = version + 1 WHERE id = ? AND NOT EXISTS (SELECT 1 FROM api_registrations o" +
		" WHERE (lower(o.name) = ? OR o.key_hash = ?) AND o.id <> ?) RETURNING version")
	stDeleteRegistration = newStmt("DELETE FROM api_registrations WHERE id = ?")
)

// registrationValues stores an empty allow list as [] and a missing key
// hash as no bytes; scanRegistration reads both back as nil.
func registrationValues(r *directory.APIRegistration, extra int) []any {
	return append(make([]any, 0, len(registrationFields)+extra),
		r.Name, keyHash(r), jsonList(r.IPAllow), r.UserPasswordRequired)
}

func keyHash(r *directory.APIRegistration) []byte {
	if r.KeyHash == nil {
		return []byte{}
	}
	return r.KeyHash
}

func scanRegistration(sc scanner) (directory.APIRegistration, error) {
	var (
		r                 directory.APIRegistration
		ips               string
		created, modified int64
	)
	err := sc.Scan(&r.ID, &r.Name, &r.KeyHash, &ips, &r.UserPasswordRequired, &created, &modified, &r.Version)
	if err != nil {
		return r, err
	}
	r.CreatedAt, r.UpdatedAt = fromMicros(created), fromMicros(modified)
	if len(r.KeyHash) == 0 {
		r.KeyHash = nil
	}
	if ips != "[]" {
		err = json.Unmarshal([]byte(ips), &r.IPAllow)
	}
	return r, err
}

func (r reader) APIRegistration(ctx context.Context, id int64) (directory.APIRegistration, error) {
	return get(ctx, r, stRegistration, "API registration", scanRegistration, id)
}

// APIRegistrationByKeyHash finds nothing for an empty hash, which is what a
// registration without a key stores.
func (r reader) APIRegistrationByKeyHash(ctx context.Context, hash []byte) (directory.APIRegistration, error) {
	if len(hash) == 0 {
		return directory.APIRegistration{}, directory.NotFound("API registration")
	}
	return get(ctx, r, stRegistrationByKeyHash, "API registration", scanRegistration, hash)
}

func (r reader) APIRegistrations(ctx context.Context, q directory.Query) (directory.Page[directory.APIRegistration], error) {
	return list(ctx, r, registrationsList, 0, q, scanRegistration)
}

// registrationTaken says which of a registration's two unique values is
// taken.
func (t *tx) registrationTaken(ctx context.Context, r *directory.APIRegistration) func() error {
	return func() error {
		clash, err := t.exists(ctx, stKeyHashTaken, keyHash(r), r.ID)
		switch {
		case err != nil:
			return err
		case clash:
			return directory.Conflict(fieldKeyHash, directory.MsgTaken)
		default:
			return directory.Conflict(directory.FieldName, directory.MsgTaken)
		}
	}
}

func (t *tx) CreateAPIRegistration(ctx context.Context, r *directory.APIRegistration) error {
	now := micros(t.now)
	id, err := t.insert(ctx, stInsertRegistration, t.registrationTaken(ctx, r),
		append(registrationValues(r, 3), now, now, int64(1))...)
	if err != nil {
		return err
	}
	r.ID, r.CreatedAt, r.UpdatedAt, r.Version = id, t.now, t.now, 1
	return nil
}

func (t *tx) UpdateAPIRegistration(ctx context.Context, r *directory.APIRegistration) error {
	version, err := t.update(ctx, stUpdateRegistration,
		t.missingOrTaken(ctx, stRegistrationExists, r.ID, "API registration", t.registrationTaken(ctx, r)),
		append(registrationValues(r, 5), micros(t.now), r.ID, foldASCII(r.Name), keyHash(r), r.ID)...)
	if err != nil {
		return err
	}
	r.UpdatedAt, r.Version = t.now, version
	return nil
}

func (t *tx) DeleteAPIRegistration(ctx context.Context, id int64) error {
	return t.delete(ctx, stDeleteRegistration, "API registration", id)
}
