// Package schema holds the SCIM schemas this server supports (RFC 7643) as
// data: one definition that discovery renders, that filters and PATCH
// resolve attribute paths against, and that projection reads.
package schema

// Schema and message URNs (RFC 7643 §§3, 8.7; RFC 7644 §§3.4.3, 3.5.2,
// 3.7, 3.12).
const (
	UserURN       = "urn:ietf:params:scim:schemas:core:2.0:User"
	EnterpriseURN = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
	GroupURN      = "urn:ietf:params:scim:schemas:core:2.0:Group"

	SchemaURN                = "urn:ietf:params:scim:schemas:core:2.0:Schema"
	ResourceTypeURN          = "urn:ietf:params:scim:schemas:core:2.0:ResourceType"
	ServiceProviderConfigURN = "urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig"

	ErrorURN        = "urn:ietf:params:scim:api:messages:2.0:Error"
	ListURN         = "urn:ietf:params:scim:api:messages:2.0:ListResponse"
	PatchOpURN      = "urn:ietf:params:scim:api:messages:2.0:PatchOp"
	SearchURN       = "urn:ietf:params:scim:api:messages:2.0:SearchRequest"
	BulkRequestURN  = "urn:ietf:params:scim:api:messages:2.0:BulkRequest"
	BulkResponseURN = "urn:ietf:params:scim:api:messages:2.0:BulkResponse"
)
