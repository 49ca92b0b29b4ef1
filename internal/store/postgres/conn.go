package postgres

import (
	"context"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/gatehouse/gatehouse/internal/store/sqlstore"
)

// querier is what a pool, a connection and a transaction of pgx share.
type querier interface {
	Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error)
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
}

// conn adapts a pgx querier to sqlstore's. pgx keeps the statements it runs
// prepared on each connection, keyed by their text.
type conn struct{ q querier }

func (c conn) Exec(ctx context.Context, sql string, args ...any) (int64, error) {
	tag, err := c.q.Exec(ctx, sql, args...)
	return tag.RowsAffected(), err
}

func (c conn) Query(ctx context.Context, sql string, args ...any) (sqlstore.Rows, error) {
	r, err := c.q.Query(ctx, sql, args...)
	if err != nil {
		return nil, err
	}
	return rows{r}, nil
}

func (c conn) QueryRow(ctx context.Context, sql string, args ...any) sqlstore.Row {
	return c.q.QueryRow(ctx, sql, args...)
}

type rows struct{ pgx.Rows }

func (r rows) Close() error {
	r.Rows.Close()
	return r.Rows.Err()
}

type beginner interface {
	querier
	BeginTx(ctx context.Context, opts pgx.TxOptions) (pgx.Tx, error)
}

// database is a pool, or the single connection migrations run on.
type database struct {
	conn
	b beginner
}

func newDatabase(b beginner) database { return database{conn{b}, b} }

func (d database) Begin(ctx context.Context) (sqlstore.TxConn, error) {
	tx, err := d.b.BeginTx(ctx, pgx.TxOptions{IsoLevel: pgx.Serializable})
	if err != nil {
		return nil, err
	}
	return txConn{conn{tx}, tx}, nil
}

// BeginSnapshot starts a REPEATABLE READ READ ONLY transaction: one
// snapshot for all its reads, and it never conflicts with writers.
func (d database) BeginSnapshot(ctx context.Context) (sqlstore.TxConn, error) {
	tx, err := d.b.BeginTx(ctx, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly})
	if err != nil {
		return nil, err
	}
	return txConn{conn{tx}, tx}, nil
}

// Autocommit is the pool (or connection) itself: pgx runs a statement
// outside a transaction in one of its own, at the server's default
// isolation.
func (d database) Autocommit() sqlstore.Querier { return d.conn }

type txConn struct {
	conn
	tx pgx.Tx
}

func (t txConn) Commit(ctx context.Context) error   { return t.tx.Commit(ctx) }
func (t txConn) Rollback(ctx context.Context) error { return t.tx.Rollback(ctx) }
