// Package sqlite is the embedded Store: modernc.org/sqlite (pure Go) under
// the shared sqlstore implementation.
//
// One connection writes and a pool of query_only connections reads. Write
// transactions queue for the writer in Go and begin with BEGIN IMMEDIATE, so
// they take the write lock up front and never fail upgrading a read lock to
// a write lock. WAL mode lets the readers run beside the writer.
package sqlite

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	"github.com/gatehouse/gatehouse/internal/store/sqlstore"

	_ "modernc.org/sqlite" // registers the "sqlite" driver
)

//go:embed migrations/*.sql
var migrations embed.FS

// Store is a directory.Store on one SQLite database file.
type Store struct {
	*sqlstore.Store
	read, write, checkpoint *sql.DB
	stopCheckpoints         func()
	removeOnClose           string // OpenMemory's directory
}

// Connection settings.
//
// synchronous=NORMAL in WAL mode keeps every committed transaction across a
// crash of the process (kill -9), but a power loss or OS crash may lose the
// last transactions before a checkpoint; FULL would keep those too at the
// price of an fsync on every commit.
//
// case_sensitive_like makes LIKE compare bytes, as PostgreSQL's does; the
// filters apply lower() to both sides themselves where an attribute folds
// case.
//
// No mmap (mmap_size 0): every connection maps the file apart, and the
// kernel counts each mapping's touched pages in the process's resident set,
// so at a million users (a 770 MB file) a 1 GiB mmap grew it past 1 GB
// under reads. Pages are read into each connection's own cache instead,
// which is bounded: 16 MiB per reader (cache_size is in KiB when negative),
// enough to keep the narrow id index that deep pages walk (11 MB at a
// million users) and the b-trees' upper levels. The writer has as much, so
// that a group commit's inserts into seven indexes of a million rows find
// their pages in memory. The OS page cache, outside the resident set,
// holds the rest of the file.
//
// wal_autocheckpoint(0): checkpoints run in the background, see
// checkpoint.go.
const (
	common      = "_pragma=busy_timeout(5000)&_pragma=case_sensitive_like(1)&_pragma=mmap_size(0)&_pragma=temp_store(MEMORY)"
	writeParams = common + "&_pragma=journal_mode(WAL)&_pragma=synchronous(NORMAL)&_pragma=foreign_keys(1)&_pragma=wal_autocheckpoint(0)&_pragma=cache_size(-16384)&_txlock=immediate"
	readParams  = common + "&_pragma=query_only(1)&_pragma=cache_size(-16384)"
)

// Open opens (creating if needed) the database at path and brings its schema
// up to date.
func Open(ctx context.Context, path string) (_ *Store, err error) {
	if strings.Contains(path, "?") {
		return nil, errors.New("sqlite: the database path may not contain '?'")
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, fmt.Errorf("sqlite: %w", err)
	}
	if err := createPrivate(path); err != nil {
		return nil, fmt.Errorf("sqlite: %w", err)
	}
	s := &Store{}
	defer func() {
		if err != nil {
			s.Close()
		}
	}()
	if s.write, err = openPool(ctx, path, writeParams, 1); err != nil {
		return nil, err
	}
	writer := &pool{db: s.write, prepared: map[string]*sql.Stmt{}}
	scripts, _ := fs.Sub(migrations, "migrations")
	if err := sqlstore.Migrate(ctx, &database{read: writer, write: writer}, dialect, scripts); err != nil {
		return nil, fmt.Errorf("sqlite: %w", err)
	}
	if s.checkpoint, err = openPool(ctx, path, checkpointParams, 1); err != nil {
		return nil, err
	}
	s.stopCheckpoints = sqlstore.Periodic(checkpointEvery, checkpoint(s.checkpoint))
	if s.read, err = openPool(ctx, path, readParams, 2*runtime.GOMAXPROCS(0)); err != nil {
		return nil, err
	}
	reader := &pool{db: s.read, prepared: map[string]*sql.Stmt{}}
	s.Store = sqlstore.New(&database{read: reader, write: writer}, dialect)
	for _, q := range s.Statements() {
		if err := writer.prepare(ctx, q); err != nil {
			return nil, err
		}
		if strings.HasPrefix(q, "SELECT") {
			if err := reader.prepare(ctx, q); err != nil {
				return nil, err
			}
		}
	}
	return s, nil
}

// createPrivate creates the database file, empty (which SQLite takes for
// a new database), readable by its owner only: it holds password hashes
// and the token signing key. SQLite gives the -wal and -shm files it
// creates beside it the database file's mode, so they are private too,
// with no process-wide umask. An existing file keeps the mode it has, so
// that an operator's chmod (say, for a backup group) holds.
func createPrivate(path string) error {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, fs.ErrExist) {
		return nil
	}
	if err != nil {
		return err
	}
	return f.Close()
}

func openPool(ctx context.Context, path, params string, conns int) (*sql.DB, error) {
	db, err := sql.Open("sqlite", path+"?"+params)
	if err != nil {
		return nil, fmt.Errorf("sqlite: %w", err)
	}
	db.SetMaxOpenConns(conns)
	db.SetMaxIdleConns(conns)
	// Processes opening a new database together can collide switching it
	// to WAL mode, which SQLite reports at once instead of waiting out the
	// busy timeout; the loser tries again.
	for attempt := 1; ; attempt++ {
		err = db.PingContext(ctx)
		if err == nil || !dialect.Transient(err) || attempt == openAttempts {
			break
		}
		select {
		case <-time.After(10 * time.Millisecond):
		case <-ctx.Done():
		}
	}
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("sqlite: opening %s: %w", path, err)
	}
	return db, nil
}

const openAttempts = 100

// Close closes the database; it is safe to call more than once.
func (s *Store) Close() error {
	if s.stopCheckpoints != nil {
		s.stopCheckpoints()
	}
	var errs []error
	// The last connection to close checkpoints the WAL and removes it.
	for _, db := range []*sql.DB{s.read, s.checkpoint, s.write} {
		if db != nil {
			errs = append(errs, db.Close())
		}
	}
	if s.removeOnClose != "" {
		errs = append(errs, os.RemoveAll(s.removeOnClose))
		s.removeOnClose = ""
	}
	return errors.Join(errs...)
}

// SharedByInstances is false: one server process owns a SQLite file (a CLI
// command beside it serves no API requests), so it counts rate limits in
// memory, exactly and at no cost.
func (s *Store) SharedByInstances() bool { return false }
