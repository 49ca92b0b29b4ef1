package auditlog_test

import (
	"testing"

	"github.com/gatehouse/gatehouse/internal/pgtest"
)

func TestMain(m *testing.M) { pgtest.Main(m) }
