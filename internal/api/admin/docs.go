package admin

import (
	_ "embed"
	"net/http"
)

//go:embed openapi.yaml
var openAPIDoc []byte

var yamlTypes = []string{"application/yaml", "application/x-yaml", "text/yaml"}

// openAPI serves this face's OpenAPI document, behind the same token as
// the rest of the prefix, so that one rule covers it all.
func (a *api) openAPI(c *call) error {
	c.w.Header().Set("Content-Type", "application/yaml")
	c.w.WriteHeader(http.StatusOK)
	_, _ = c.w.Write(openAPIDoc)
	return nil
}
