package pra

import (
	"slices"
	"strings"
	"testing"

	"github.com/gatehouse/gatehouse/internal/httpx"
)

// The served OpenAPI document describes exactly the operations the face
// routes: a route without documentation, or documentation of a route that
// does not exist, fails here.
func TestOpenAPIDocumentsEveryRoute(t *testing.T) {
	var routed []string
	for _, rt := range (&api{}).routes() {
		for method := range rt.ops {
			routed = append(routed, strings.ToLower(method)+" "+rt.path)
		}
	}
	documented := httpx.OpenAPIOperations(openAPIDoc)
	slices.Sort(routed)
	slices.Sort(documented)
	if !slices.Equal(routed, documented) {
		t.Errorf("routes and openapi.yaml differ:\nrouted:     %q\ndocumented: %q", routed, documented)
	}
}
