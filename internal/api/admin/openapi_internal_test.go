package admin

import (
	"strings"
	"testing"

	"github.com/gatehouse/gatehouse/internal/openapitest"
)

// The served OpenAPI document describes exactly the operations the face
// routes.
func TestOpenAPIDocumentsEveryRoute(t *testing.T) {
	var routed []string
	for _, rt := range (&api{}).routes() {
		for method := range rt.ops {
			routed = append(routed, strings.ToLower(method)+" "+rt.path)
		}
	}
	openapitest.CheckOpenAPI(t, openAPIDoc, routed)
}
