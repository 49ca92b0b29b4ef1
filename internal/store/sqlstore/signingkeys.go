package sqlstore

import (
	"context"
	"database/sql"
	"errors"

	"github.com/gatehouse/gatehouse/internal/directory"
)

// Token signing keys, for deployments that keep them in the database (no
// key file). Instances read them every poll, so a rotation is one write.

var (
	stSigningKeys      = newStmt("SELECT key_id, signing_key, created_at, signs_from FROM signing_keys ORDER BY signs_from DESC, created_at DESC")
	stInsertSigningKey = newStmt("INSERT INTO signing_keys (key_id, signing_key, created_at, signs_from) VALUES (?, ?, ?, ?)" +
		" ON CONFLICT DO NOTHING RETURNING key_id")
	stDeleteSigningKey = newStmt("DELETE FROM signing_keys WHERE key_id = ?")
)

func scanSigningKey(sc scanner) (directory.SigningKey, error) {
	var (
		k           directory.SigningKey
		id          int64
		created, at int64
	)
	err := sc.Scan(&id, &k.Key, &created, &at)
	k.ID, k.CreatedAt, k.SignsFrom = uint32(id), fromMicros(created), fromMicros(at)
	return k, err
}

func (r reader) signingKeys(ctx context.Context) ([]directory.SigningKey, error) {
	rows, err := r.q.Query(ctx, r.sql(stSigningKeys))
	return collect(rows, err, scanSigningKey, []directory.SigningKey{})
}

func (s *Store) SigningKeys(ctx context.Context) ([]directory.SigningKey, error) {
	return s.signingKeys(ctx)
}

func (s *Store) ChangeSigningKeys(ctx context.Context, change directory.SigningKeyChange) ([]directory.SigningKey, error) {
	var keys []directory.SigningKey
	err := s.write(ctx, func(t *tx) error {
		stored, err := t.signingKeys(ctx)
		if err != nil {
			return err
		}
		add, drop, err := change(stored)
		if err != nil {
			return err
		}
		for _, id := range drop {
			if _, err := t.q.Exec(ctx, t.sql(stDeleteSigningKey), int64(id)); err != nil {
				return err
			}
		}
		if add != nil {
			var id int64
			err := t.q.QueryRow(ctx, t.sql(stInsertSigningKey), int64(add.ID), add.Key,
				micros(add.CreatedAt), micros(add.SignsFrom)).Scan(&id)
			if errors.Is(err, sql.ErrNoRows) {
				return directory.Conflict("key_id", directory.MsgTaken)
			}
			if err != nil {
				return err
			}
		}
		keys, err = t.signingKeys(ctx)
		return err
	})
	return keys, err
}
