package scim

import (
	"strings"
	"testing"

	"github.com/gatehouse/gatehouse/internal/openapitest"
)

// The served OpenAPI document describes exactly the operations the face
// routes.
func TestOpenAPIDocumentsEveryRoute(t *testing.T) {
	var routed []string
	for _, rt := range newAPI(Deps{}).routes() {
		for method := range rt.ops {
			routed = append(routed, strings.ToLower(method)+" "+rt.path)
		}
	}
	openapitest.CheckOpenAPI(t, openAPIDoc, routed)
}

// The filter targets agree with the schemas: every key is a canonical
// path, and every directory attribute has the SCIM attribute's type.
func TestFilterTargets(t *testing.T) {
	a := newAPI(Deps{})
	for _, k := range []*kind{a.users, a.groups} {
		if err := k.targets.Check(k.res); err != nil {
			t.Errorf("%s targets: %v", k.name, err)
		}
	}
}
