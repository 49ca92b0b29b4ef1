package postgres

import "github.com/gatehouse/gatehouse/internal/store/sqlstore"

// PoolStats reports the pgx pool, for metrics. A wait is an acquire that
// found no idle connection.
func (s *Store) PoolStats() []sqlstore.PoolStats {
	st := s.pool.Stat()
	return []sqlstore.PoolStats{{Pool: "pgx", InUse: int(st.AcquiredConns()), Idle: int(st.IdleConns()),
		Max: int(st.MaxConns()), Waits: st.EmptyAcquireCount(), WaitDuration: st.EmptyAcquireWaitTime()}}
}
