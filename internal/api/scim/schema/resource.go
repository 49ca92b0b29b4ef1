package schema

import "strings"

// Resource is a resource type (RFC 7643 §6): a core schema and its
// extensions.
type Resource struct {
	Name, Endpoint, Description string
	Core                        *Schema
	Extensions                  []*Schema
}

// UserResource and GroupResource are the resource types this server
// serves.
var (
	UserResource = &Resource{Name: "User", Endpoint: "/Users", Description: "User Account",
		Core: User, Extensions: []*Schema{EnterpriseUser}}
	GroupResource = &Resource{Name: "Group", Endpoint: "/Groups", Description: "Group", Core: Group}
)

// Schemas returns the core schema followed by the extensions.
func (r *Resource) Schemas() []*Schema {
	return append([]*Schema{r.Core}, r.Extensions...)
}

// Schema returns the schema of r whose URN is urn, matched without regard
// to case (URNs compare so, RFC 8141 §3.1, and clients send them so), or
// nil.
func (r *Resource) Schema(urn string) *Schema {
	for _, s := range r.Schemas() {
		if strings.EqualFold(s.ID, urn) {
			return s
		}
	}
	return nil
}

// Extension returns the extension schema whose URN is urn, or nil when urn
// names the core schema or no schema of r.
func (r *Resource) Extension(urn string) *Schema {
	for _, s := range r.Extensions {
		if strings.EqualFold(s.ID, urn) {
			return s
		}
	}
	return nil
}
