package directory

// ProviderType is the kind of a security provider.
type ProviderType string

const (
	ProviderLocal    ProviderType = "local"
	ProviderLDAP     ProviderType = "ldap"
	ProviderRADIUS   ProviderType = "radius"
	ProviderKerberos ProviderType = "kerberos"
	ProviderSAML     ProviderType = "saml"
	ProviderSCIM     ProviderType = "scim"
)

// LocalProviderID is the built-in local provider, created by the first
// migration of every store.
const LocalProviderID int64 = 1

// SecurityProvider is where users authenticate and groups come from.
type SecurityProvider struct {
	ID                 int64
	Type               ProviderType
	Name               string
	Enabled            bool
	UserAuthentication bool
	GroupLookup        bool
	Priority           int
	DefaultPolicyID    int64 // 0: none
}
