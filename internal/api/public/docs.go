package public

import (
	_ "embed"
	"net/http"
)

//go:embed openapi.yaml
var openAPIDoc []byte

var yamlTypes = []string{"application/yaml", "application/x-yaml", "text/yaml"}

// openAPI serves this face's OpenAPI document. Like everything under
// /api/public/v3 it needs a token that may read users, as the PRA face's
// document does: one rule for the whole prefix.
func (a *api) openAPI(c *call) error {
	c.w.Header().Set("Content-Type", "application/yaml")
	c.w.WriteHeader(http.StatusOK)
	_, _ = c.w.Write(openAPIDoc)
	return nil
}
