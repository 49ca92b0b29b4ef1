package sqlite

import (
	"context"
	"database/sql"
	"strings"
	"sync"

	"github.com/gatehouse/gatehouse/internal/store/sqlstore"
)

// database reads on one pool and writes on another (the single writer).
type database struct {
	read, write *pool
}

func (d *database) Exec(ctx context.Context, q string, args ...any) (int64, error) {
	return d.read.Exec(ctx, q, args...)
}

func (d *database) Query(ctx context.Context, q string, args ...any) (sqlstore.Rows, error) {
	return d.read.Query(ctx, q, args...)
}

func (d *database) QueryRow(ctx context.Context, q string, args ...any) sqlstore.Row {
	return d.read.QueryRow(ctx, q, args...)
}

// Begin waits for the writer connection, which database/sql hands out to
// one transaction at a time; the DSN makes it BEGIN IMMEDIATE.
func (d *database) Begin(ctx context.Context) (sqlstore.TxConn, error) {
	tx, err := d.write.db.BeginTx(ctx, nil)
	if err != nil {
		return nil, err
	}
	return &txConn{tx: tx, prepared: d.write.prepared}, nil
}

// BeginSnapshot runs a deferred BEGIN on a reader connection (ReadOnly
// keeps the DSN's IMMEDIATE off it): WAL mode then gives it one view of
// the database from its first read until it ends, beside the writer.
func (d *database) BeginSnapshot(ctx context.Context) (sqlstore.TxConn, error) {
	tx, err := d.read.db.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return nil, err
	}
	return &txConn{tx: tx, prepared: d.read.prepared}, nil
}

// Autocommit is the writer connection outside a transaction: SQLite runs
// a lone statement as its own transaction.
func (d *database) Autocommit() sqlstore.Querier { return d.write }

// pool runs statements on a database/sql pool, the static ones through
// statements prepared once per connection.
type pool struct {
	db       *sql.DB
	prepared map[string]*sql.Stmt // filled at Open, read-only after
	// dynamic holds prepared statements for the queries that lists build
	// (filters bind their values, so a list's text repeats for each shape
	// of query), sparing SQLite's parser on every page. It keeps the first
	// maxDynamic texts and prepares no more after.
	mu      sync.Mutex
	dynamic map[string]*sql.Stmt
}

const maxDynamic = 256

// stmt returns the prepared statement for q, preparing a query's first
// time, or nil to run it unprepared.
func (p *pool) stmt(ctx context.Context, q string) *sql.Stmt {
	if st := p.prepared[q]; st != nil {
		return st
	}
	if !strings.HasPrefix(q, "SELECT") {
		return nil
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if st := p.dynamic[q]; st != nil || len(p.dynamic) >= maxDynamic {
		return st
	}
	st, err := p.db.PrepareContext(ctx, q)
	if err != nil {
		return nil // running it unprepared reports the error
	}
	if p.dynamic == nil {
		p.dynamic = map[string]*sql.Stmt{}
	}
	p.dynamic[q] = st
	return st
}

func (p *pool) prepare(ctx context.Context, q string) error {
	st, err := p.db.PrepareContext(ctx, q)
	if err != nil {
		return err
	}
	p.prepared[q] = st
	return nil
}

func (p *pool) Exec(ctx context.Context, q string, args ...any) (int64, error) {
	if st := p.prepared[q]; st != nil {
		return affected(st.ExecContext(ctx, args...))
	}
	return affected(p.db.ExecContext(ctx, q, args...))
}

func (p *pool) Query(ctx context.Context, q string, args ...any) (sqlstore.Rows, error) {
	if st := p.stmt(ctx, q); st != nil {
		return st.QueryContext(ctx, args...)
	}
	return p.db.QueryContext(ctx, q, args...)
}

func (p *pool) QueryRow(ctx context.Context, q string, args ...any) sqlstore.Row {
	if st := p.stmt(ctx, q); st != nil {
		return st.QueryRowContext(ctx, args...)
	}
	return p.db.QueryRowContext(ctx, q, args...)
}

// txConn runs statements in a write transaction, reusing the writer's
// prepared statements.
type txConn struct {
	tx       *sql.Tx
	prepared map[string]*sql.Stmt
}

func (t *txConn) Exec(ctx context.Context, q string, args ...any) (int64, error) {
	if st := t.prepared[q]; st != nil {
		return affected(t.tx.StmtContext(ctx, st).ExecContext(ctx, args...))
	}
	return affected(t.tx.ExecContext(ctx, q, args...))
}

func (t *txConn) Query(ctx context.Context, q string, args ...any) (sqlstore.Rows, error) {
	if st := t.prepared[q]; st != nil {
		return t.tx.StmtContext(ctx, st).QueryContext(ctx, args...)
	}
	return t.tx.QueryContext(ctx, q, args...)
}

func (t *txConn) QueryRow(ctx context.Context, q string, args ...any) sqlstore.Row {
	if st := t.prepared[q]; st != nil {
		return t.tx.StmtContext(ctx, st).QueryRowContext(ctx, args...)
	}
	return t.tx.QueryRowContext(ctx, q, args...)
}

func (t *txConn) Commit(context.Context) error   { return t.tx.Commit() }
func (t *txConn) Rollback(context.Context) error { return t.tx.Rollback() }

func affected(res sql.Result, err error) (int64, error) {
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}
