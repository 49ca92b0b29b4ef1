package postgres

import (
	"context"
	"io/fs"
	"strings"
	"sync"
	"testing"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/gatehouse/gatehouse/internal/directory"
	"github.com/gatehouse/gatehouse/internal/pgtest"
)

var ctx = context.Background()

// TestConcurrentOpen starts several instances on one new database at once:
// the advisory lock must let exactly one of them migrate.
func TestConcurrentOpen(t *testing.T) {
	dsn := pgtest.DSN(t)
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			s, err := Open(ctx, dsn)
			if err != nil {
				t.Error(err)
				return
			}
			defer s.Close()
			providers, err := s.SecurityProviders(ctx, directory.Query{})
			if err != nil || providers.Total != 1 {
				t.Errorf("%d providers (%v)", providers.Total, err)
			}
		})
	}
	wg.Wait()
	s, err := Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	var applied int
	if err := s.pool.QueryRow(ctx, "SELECT count(*) FROM schema_migrations").Scan(&applied); err != nil {
		t.Fatal(err)
	}
	scripts, err := fs.Glob(migrations, "migrations/*.sql")
	if err != nil {
		t.Fatal(err)
	}
	if applied != len(scripts) {
		t.Fatalf("%d migrations recorded, want %d", applied, len(scripts))
	}
	// The local provider's fixed id left the sequence behind it.
	p := directory.SecurityProvider{Type: directory.ProviderLDAP, Name: "LDAP"}
	if err := s.Write(ctx, func(tx directory.Tx) error { return tx.CreateSecurityProvider(ctx, &p) }); err != nil || p.ID != 2 {
		t.Fatalf("new provider id %d (%v)", p.ID, err)
	}
}

func TestDialect(t *testing.T) {
	for code, transient := range map[string]bool{"40001": true, "40P01": true, "23505": false, "42P01": false} {
		if got := dialect.Transient(&pgconn.PgError{Code: code}); got != transient {
			t.Errorf("Transient(%s) = %v", code, got)
		}
	}
	name, ok := dialect.UniqueIndex(&pgconn.PgError{Code: "23505", ConstraintName: "users_username_key"})
	if !ok || name != "users_username_key" {
		t.Errorf("UniqueIndex = %q, %v", name, ok)
	}
	if _, ok := dialect.UniqueIndex(&pgconn.PgError{Code: "23503", ConstraintName: "members_user_id_fkey"}); ok {
		t.Error("a foreign key violation read as a unique violation")
	}
}

func TestErrorsHidePasswords(t *testing.T) {
	for _, dsn := range []string{
		"postgres://gatehouse:s3cret-pw@127.0.0.1:1/db?connect_timeout=1",
		"postgres://gatehouse:s3cret-pw@127.0.0.1:notaport/db",
		"host=127.0.0.1 port=1 password=s3cret-pw connect_timeout=1",
	} {
		_, err := Open(ctx, dsn)
		if err == nil || strings.Contains(err.Error(), "s3cret-pw") {
			t.Errorf("Open error %v", err)
		}
	}
}

// A server without advisory locks (CockroachDB answers feature_not_supported)
// is still migrated. The test shadows pg_advisory_lock with a function that
// raises what CockroachDB raises, reached first through search_path.
func TestOpenWithoutAdvisoryLocks(t *testing.T) {
	dsn := pgtest.DSN(t)
	conn, err := pgconn.Connect(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	err = conn.Exec(ctx, `CREATE FUNCTION public.pg_advisory_lock(bigint) RETURNS void LANGUAGE plpgsql AS
		$$BEGIN RAISE EXCEPTION 'advisory locks are not supported' USING ERRCODE = 'feature_not_supported'; END$$`).Close()
	conn.Close(ctx)
	if err != nil {
		t.Fatal(err)
	}
	sep := "?"
	if strings.Contains(dsn, "?") {
		sep = "&"
	}
	s, err := Open(ctx, dsn+sep+"search_path=public,pg_catalog")
	if err != nil {
		t.Fatalf("open without advisory locks: %v", err)
	}
	defer s.Close()
	if p, err := s.SecurityProviders(ctx, directory.Query{Limit: 10}); err != nil || p.Total != 1 {
		t.Fatalf("after migrating unlocked: %d providers (%v)", p.Total, err)
	}
}
