package insight

import (
	_ "embed"
	"net/http"
)

//go:embed openapi.yaml
var openAPIDoc []byte

// openAPI serves this face's OpenAPI document, without sign-in: it
// describes only public behaviour, and a client needs it before it has
// credentials.
func (a *api) openAPI(c *call) error {
	c.w.Header().Set("Content-Type", "application/yaml")
	c.w.WriteHeader(http.StatusOK)
	_, _ = c.w.Write(openAPIDoc)
	return nil
}
