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
	// Directory is set on an ldap provider that stands for an Active
	// Directory domain or LDAP server; nil otherwise.
	Directory *DirectorySettings
}

// DirectorySettings say how to reach the directory behind an ldap security
// provider, so that its users can be looked up with stored credentials.
type DirectorySettings struct {
	Kind             Source // SourceActiveDirectory or SourceLDAP
	Domain           string // DNS domain, e.g. example.com
	Host             string
	Port             int
	UseSSL           bool
	BaseDN           string
	AccountAttribute string // sAMAccountName for Active Directory, often uid for LDAP
	BindUser         string
	BindPassword     string `json:"-"`
}

// Bind returns how to bind to the directory with the stored credentials.
func (d *DirectorySettings) Bind() DirectoryBind {
	return DirectoryBind{Host: d.Host, Port: d.Port, UseSSL: d.UseSSL, BindUser: d.BindUser, BindPassword: d.BindPassword}
}
