package sqlite

import (
	"database/sql"

	"github.com/gatehouse/gatehouse/internal/store/sqlstore"
)

// PoolStats reports the reader pool and the one writer connection, for
// metrics. Writes queue for the writer in Go before they reach its pool,
// so the writer's waits count only what got past that queue.
func (s *Store) PoolStats() []sqlstore.PoolStats {
	return []sqlstore.PoolStats{poolStats("read", s.read), poolStats("write", s.write)}
}

func poolStats(name string, db *sql.DB) sqlstore.PoolStats {
	st := db.Stats()
	return sqlstore.PoolStats{Pool: name, InUse: st.InUse, Idle: st.Idle, Max: st.MaxOpenConnections,
		Waits: st.WaitCount, WaitDuration: st.WaitDuration}
}
