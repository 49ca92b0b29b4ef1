package sqlstore

import (
	"cmp"
	"context"
	"slices"
	"time"

	"github.com/gatehouse/gatehouse/internal/directory"
)

// Lock-outs per API account and source: one row each in login_locks,
// written only when a lock-out begins (failures are counted in each
// instance's memory, see internal/auth) and read by every instance's poll
// through the index on locked_until.

var (
	stPutLoginLock = newStmt("INSERT INTO login_locks (account_id, source, locked_until) VALUES (?, ?, ?)" +
		" ON CONFLICT (account_id, source) DO UPDATE SET locked_until = excluded.locked_until")
	stLoginLocks = newStmt("SELECT account_id, source, locked_until FROM login_locks WHERE locked_until > ?" +
		" ORDER BY account_id, source")
	stDeleteLoginLocks = newStmt("DELETE FROM login_locks WHERE locked_until <= ?")
	stClearLoginLocks  = newStmt("DELETE FROM login_locks WHERE account_id = ?")
)

// PutLoginLocks writes the locks in one transaction, in a stable order so
// that instances writing at once cannot deadlock.
func (s *Store) PutLoginLocks(ctx context.Context, locks []directory.LoginLock) error {
	if len(locks) == 0 {
		return nil
	}
	sorted := sortLocks(locks)
	return s.write(ctx, func(t *tx) error {
		for _, l := range sorted {
			if _, err := t.q.Exec(ctx, t.sql(stPutLoginLock), l.AccountID, l.Source, micros(l.Until)); err != nil {
				return err
			}
		}
		return nil
	})
}

func (s *Store) LoginLocks(ctx context.Context, at time.Time) ([]directory.LoginLock, error) {
	rs, err := s.q.Query(ctx, s.sql(stLoginLocks), micros(at))
	if err != nil {
		return nil, err
	}
	defer rs.Close()
	out := []directory.LoginLock{}
	for rs.Next() {
		var (
			l     directory.LoginLock
			until int64
		)
		if err := rs.Scan(&l.AccountID, &l.Source, &until); err != nil {
			return nil, err
		}
		l.Until = fromMicros(until)
		out = append(out, l)
	}
	if err := rs.Err(); err != nil {
		return nil, err
	}
	return out, rs.Close()
}

func (s *Store) DeleteLoginLocks(ctx context.Context, at time.Time) error {
	return s.autocommit(ctx, stDeleteLoginLocks, micros(at))
}

func (t *tx) ClearLoginLocks(ctx context.Context, accountID int64) error {
	_, err := t.q.Exec(ctx, t.sql(stClearLoginLocks), accountID)
	return err
}

// sortLocks orders locks by account and source; one given twice is
// written twice, the later winning, as separate statements may.
func sortLocks(locks []directory.LoginLock) []directory.LoginLock {
	out := slices.Clone(locks)
	slices.SortStableFunc(out, func(a, b directory.LoginLock) int {
		return cmp.Or(cmp.Compare(a.AccountID, b.AccountID), cmp.Compare(a.Source, b.Source))
	})
	return out
}
