package scim

import (
	_ "embed"
	"net/http"
)

//go:embed openapi.yaml
var openAPIDoc []byte

// openAPI serves this face's OpenAPI document. It describes only public
// behaviour, so it is served without a token, like the discovery
// endpoints.
func (a *api) openAPI(c *call) error {
	c.w.Header().Set("Content-Type", "application/yaml")
	c.w.WriteHeader(http.StatusOK)
	_, _ = c.w.Write(openAPIDoc)
	return nil
}
