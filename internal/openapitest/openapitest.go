// Package openapitest checks a face's OpenAPI document against its route
// table, so that neither can change without the other.
package openapitest

import (
	"slices"
	"testing"

	"github.com/gatehouse/gatehouse/internal/httpx"
)

// CheckOpenAPI fails t unless the OpenAPI document describes exactly the
// routed operations ("get /path"), so that a face's document cannot drift
// from its route table.
func CheckOpenAPI(t testing.TB, doc []byte, routed []string) {
	t.Helper()
	documented := httpx.OpenAPIOperations(doc)
	routed = slices.Clone(routed)
	slices.Sort(routed)
	slices.Sort(documented)
	if !slices.Equal(routed, documented) {
		t.Errorf("routes and openapi.yaml differ:\nrouted:     %q\ndocumented: %q", routed, documented)
	}
}
