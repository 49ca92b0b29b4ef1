package pra

import (
	_ "embed"
	"net/http"

	"github.com/gatehouse/gatehouse/internal/httpx"
)

//go:embed openapi.yaml
var openAPIDoc []byte

var yamlTypes = []string{"application/yaml", "application/x-yaml", "text/yaml"}

// openAPI serves this face's OpenAPI document. It is under /api/config/v1
// and so needs a token with Configuration read access like every other
// resource there, as in PRA; the document describes only public behaviour,
// but treating it alike keeps one rule for the whole prefix.
func (a *api) openAPI(c *call) error {
	c.w.Header().Set("Content-Type", "application/yaml")
	c.w.WriteHeader(http.StatusOK)
	_, _ = c.w.Write(openAPIDoc)
	return nil
}

// mechList answers GET /get_mech_list, which PRA clients (the BeyondTrust
// Terraform provider among them) call without a token to learn which
// product a host runs: "bpam" is PRA's product code. The login mechanisms
// it also reports are fixed: Gatehouse users sign in locally.
func mechList(w http.ResponseWriter, r *http.Request) {
	var j httpx.JSON
	j.Object()
	j.Strings("mechs", []string{"local"})
	j.String("default_mech", "local")
	j.String("company", "gatehouse")
	j.String("product", "bpam")
	j.String("version", "3")
	j.EndObject()
	writeJSON(w, http.StatusOK, j.Bytes())
}
