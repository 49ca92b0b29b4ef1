package scim

import (
	"net/http"
	"strings"

	"github.com/gatehouse/gatehouse/internal/api/scim/schema"
)

// Discovery endpoints (RFC 7644 §4) describe only the protocol, never
// data, so they answer without a token: a client can learn how to
// authenticate before it has credentials. They ignore paging, sorting and
// projection, and refuse a filter with 403, so that no client takes an
// unfiltered answer for a filtered one (RFC 7644 §4).
func (c *call) discoveryFilter() error {
	if _, ok, err := c.param("filter"); err != nil {
		return err
	} else if ok {
		return &scimError{status: http.StatusForbidden, detail: "Discovery endpoints do not support filtering."}
	}
	return nil
}

func (a *api) serviceProviderConfig(c *call) error {
	if err := c.discoveryFilter(); err != nil {
		return err
	}
	base := c.base()
	return c.respond(http.StatusOK, map[string]any{
		"schemas":          []any{schema.ServiceProviderConfigURN},
		"documentationUri": base + "/openapi.yaml",
		"patch":            map[string]any{"supported": true},
		"bulk":             map[string]any{"supported": true, "maxOperations": maxOperations, "maxPayloadSize": a.maxBody},
		"filter":           map[string]any{"supported": true, "maxResults": maxResults},
		"changePassword":   map[string]any{"supported": false},
		"sort":             map[string]any{"supported": true},
		"etag":             map[string]any{"supported": true},
		"authenticationSchemes": []any{map[string]any{
			"type":        "oauthbearertoken",
			"name":        "OAuth Bearer Token",
			"description": "A bearer token of a Gatehouse API account with the SCIM permission: one minted for an identity provider by the command line, or one from POST /oauth2/token with the account's client credentials.",
			"specUri":     "https://www.rfc-editor.org/info/rfc6750",
			"primary":     true,
		}},
		"meta": map[string]any{"resourceType": "ServiceProviderConfig", "location": base + "/ServiceProviderConfig"},
	})
}

// discoveryList writes a ListResponse of every item.
func (c *call) discoveryList(items []map[string]any) error {
	return c.listResponse(search{startIndex: 1}, len(items), items)
}

func (a *api) resourceTypes(c *call) error {
	if err := c.discoveryFilter(); err != nil {
		return err
	}
	base := c.base()
	return c.discoveryList([]map[string]any{a.users.res.Render(base), a.groups.res.Render(base)})
}

func (a *api) resourceType(c *call) error {
	name := c.r.PathValue("name")
	for _, k := range []*kind{a.users, a.groups} {
		if strings.EqualFold(name, k.name) {
			return c.respond(http.StatusOK, k.res.Render(c.base()))
		}
	}
	return notFound("There is no resource type " + quote(name) + ".")
}

// allSchemas are the schemas /Schemas shows: those of the resources.
func allSchemas() []*schema.Schema {
	return []*schema.Schema{schema.User, schema.EnterpriseUser, schema.Group}
}

func (a *api) schemas(c *call) error {
	if err := c.discoveryFilter(); err != nil {
		return err
	}
	base := c.base()
	var items []map[string]any
	for _, s := range allSchemas() {
		items = append(items, s.Render(base))
	}
	return c.discoveryList(items)
}

func (a *api) schema(c *call) error {
	urn := c.r.PathValue("urn")
	for _, s := range allSchemas() {
		if strings.EqualFold(urn, s.ID) {
			return c.respond(http.StatusOK, s.Render(c.base()))
		}
	}
	return notFound("There is no schema " + quote(urn) + ".")
}
