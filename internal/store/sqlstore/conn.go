// Package sqlstore is the one SQL implementation of directory.Store. The
// SQLite and PostgreSQL adapters supply a connection (DB) and a Dialect; every
// statement, filter compiler and rule about rows lives here, once.
//
// The SQL is portable between SQLite, PostgreSQL and CockroachDB: no
// dialect-specific functions, no ON CONFLICT with a WHERE clause, no locking
// reads. Statements are written with ? placeholders and rebound to $n for
// dialects that number them.
package sqlstore

import "context"

// Querier runs statements, on a pool outside transactions or inside one.
// Statement text is already in the dialect's placeholder style.
type Querier interface {
	// Exec runs a statement and returns the number of rows it changed.
	Exec(ctx context.Context, sql string, args ...any) (int64, error)
	Query(ctx context.Context, sql string, args ...any) (Rows, error)
	// QueryRow runs a query expected to return at most one row; the Row's
	// Scan returns an error matching sql.ErrNoRows when it returned none.
	QueryRow(ctx context.Context, sql string, args ...any) Row
}

// Rows is a result set, as database/sql and pgx both shape it.
type Rows interface {
	Next() bool
	Scan(dest ...any) error
	Err() error
	Close() error
}

// Row is the result of QueryRow.
type Row interface {
	Scan(dest ...any) error
}

// DB is a database: reads outside transactions, and write transactions.
type DB interface {
	Querier
	// Begin starts a write transaction at the isolation the dialect needs
	// for Write's guarantees (serializable, or SQLite's single writer).
	Begin(ctx context.Context) (TxConn, error)
	// BeginSnapshot starts a read-only transaction whose reads all see one
	// committed state (SQLite's deferred read transaction, PostgreSQL's
	// REPEATABLE READ), on a connection apart from the writer's.
	BeginSnapshot(ctx context.Context) (TxConn, error)
	// Autocommit runs each statement as a transaction of its own on a
	// connection that may write, at the database's default isolation (READ
	// COMMITTED on PostgreSQL). It is for statements that are atomic by
	// themselves, such as a counter upsert, which a serializable transaction
	// would only make fail and retry when instances update the same rows.
	Autocommit() Querier
}

// TxConn is an open write transaction.
type TxConn interface {
	Querier
	Commit(ctx context.Context) error
	Rollback(ctx context.Context) error
}

// Dialect is what differs between databases, apart from the DDL.
type Dialect struct {
	// Numbered selects $1, $2, ... placeholders instead of ?.
	Numbered bool
	// Transient reports an error after which the whole transaction may
	// succeed if run again (a lock timeout, a serialization failure).
	Transient func(error) bool
	// UniqueIndex returns the name of the unique index or constraint that
	// err reports as violated. It is nil where write transactions are
	// serialized (SQLite): there every statement's guard sees all committed
	// rows, so no violation can happen.
	UniqueIndex func(error) (string, bool)
	// IDs reads and moves the tables' id generators, for imports (see
	// import.go); SQL has no portable way to.
	IDs IDGenerators
	// RowCounts says the schema keeps the exact number of rows of some
	// tables (a listSpec's counted) in row_counts (name, n), by triggers in
	// the writing transaction, so that an unfiltered list's total is a
	// sum over that name's rows (one on SQLite; on PostgreSQL the changes
	// writers appended, folded together in the background) instead of a
	// count(*) over the table.
	RowCounts bool
	// GroupCommit says that write transactions run one at a time on one
	// connection (SQLite), so Write runs those that queue together under
	// one commit (see groupcommit.go).
	GroupCommit bool
}
