package postgres_test

import (
	"context"
	"testing"

	"github.com/gatehouse/gatehouse/internal/directory"
	"github.com/gatehouse/gatehouse/internal/pgtest"
	"github.com/gatehouse/gatehouse/internal/store/postgres"
	"github.com/gatehouse/gatehouse/internal/store/storetest"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

var dsn = storetest.PerTest(func(t *testing.T) string { return pgtest.DSN(t) })

func openStore(t *testing.T) directory.Store {
	s, err := postgres.Open(context.Background(), dsn(t))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestConformance(t *testing.T) {
	storetest.Run(t, openStore)
}
