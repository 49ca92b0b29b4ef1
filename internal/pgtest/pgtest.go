// Package pgtest gives tests a fresh, empty PostgreSQL database per call.
//
// With GATEHOUSE_TEST_POSTGRES_DSN set (an administrator's DSN), each call
// creates a uniquely named database on that server and drops it when the
// test ends. Otherwise the first call starts a throwaway cluster from the
// PostgreSQL binaries installed on the machine, which every call of the test
// binary then shares; Main removes it when the tests are done. When neither
// works the test is skipped, or fails if GATEHOUSE_REQUIRE_POSTGRES=1 (as CI
// sets it, so that a missing database cannot pass for a green run).
package pgtest

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"os"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// Environment variables.
const (
	EnvDSN     = "GATEHOUSE_TEST_POSTGRES_DSN"
	EnvRequire = "GATEHOUSE_REQUIRE_POSTGRES"
)

var (
	inMain    bool // Main is running the tests, and will stop a cluster
	startOnce sync.Once
	server    *cluster // nil until started, or when an admin DSN is set
	adminDSN  string
	startErr  error
	dbSeq     atomic.Int64
)

// errNoMain is a mistake to report, not a reason to skip: without Main the
// cluster's directory would outlive the tests.
var errNoMain = errors.New("pgtest: the test binary must call pgtest.Main from TestMain, which removes the throwaway cluster")

// DSN returns the DSN of a new, empty database that lives as long as t.
func DSN(t testing.TB) string {
	t.Helper()
	startOnce.Do(func() {
		if adminDSN = os.Getenv(EnvDSN); adminDSN == "" {
			if !inMain {
				startErr = errNoMain
				return
			}
			server, startErr = startCluster()
			if startErr == nil {
				adminDSN = server.dsn()
			}
		}
	})
	if errors.Is(startErr, errNoMain) {
		t.Fatal(startErr)
	}
	if startErr != nil {
		unavailable(t, startErr)
	}
	name := fmt.Sprintf("gatehouse_test_%d_%d", os.Getpid(), dbSeq.Add(1))
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := admin(ctx, "CREATE DATABASE "+name); err != nil {
		t.Fatalf("pgtest: creating database: %v", err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if err := admin(ctx, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)"); err != nil {
			t.Errorf("pgtest: dropping database: %v", err)
		}
	})
	dsn, err := withDatabase(adminDSN, name)
	if err != nil {
		t.Fatalf("pgtest: %v", err)
	}
	return dsn
}

// unavailable skips t, or fails it when PostgreSQL is required.
func unavailable(t testing.TB, err error) {
	t.Helper()
	msg := fmt.Sprintf("pgtest: no PostgreSQL for this test: %v\n"+
		"Install PostgreSQL (initdb and postgres under /usr/lib/postgresql/*/bin or on PATH), "+
		"or set %s to an administrator's DSN, e.g. postgres://postgres@localhost:5432/postgres.", err, EnvDSN)
	if os.Getenv(EnvRequire) == "1" {
		t.Fatal(msg)
	}
	t.Skip(msg)
}

// admin runs one statement as the administrator.
func admin(ctx context.Context, sql string) error {
	conn, err := pgx.Connect(ctx, adminDSN)
	if err != nil {
		return err
	}
	defer conn.Close(ctx)
	_, err = conn.Exec(ctx, sql)
	return err
}

// withDatabase returns dsn naming database name instead of its own.
func withDatabase(dsn, name string) (string, error) {
	if u, err := url.Parse(dsn); err == nil && (u.Scheme == "postgres" || u.Scheme == "postgresql") {
		u.Path = "/" + name
		return u.String(), nil
	}
	// A key=value DSN: a later dbname setting overrides an earlier one.
	if _, err := pgx.ParseConfig(dsn); err != nil {
		return "", fmt.Errorf("%s is not a valid DSN", EnvDSN)
	}
	return dsn + " dbname=" + name, nil
}

// Main runs the tests and then stops the cluster DSN started, if any. Call
// it from TestMain. It returns rather than exiting, so that TestMain can
// clean up after it; when TestMain returns, the test binary exits with the
// tests' result.
func Main(m *testing.M) {
	inMain = true
	m.Run()
	if server != nil {
		server.stop()
	}
}
