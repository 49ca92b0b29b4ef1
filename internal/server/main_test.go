package server_test

import (
	"testing"

	"github.com/gatehouse/gatehouse/internal/pgtest"
)

// TestMain lets the tests run on PostgreSQL (GATEHOUSE_TEST_STORE=postgres):
// pgtest removes the throwaway cluster it starts.
func TestMain(m *testing.M) { pgtest.Main(m) }
