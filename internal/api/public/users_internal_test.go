package public

import (
	"testing"

	"github.com/gatehouse/gatehouse/internal/directory"
)

// Every source the directory knows has an account_type; Active Directory
// is LDAP to this API.
func TestAccountType(t *testing.T) {
	for src, want := range map[directory.Source]string{
		directory.SourceLocal:           "local",
		directory.SourceLDAP:            "ldap",
		directory.SourceActiveDirectory: "ldap",
		directory.SourceSAML:            "saml",
		directory.SourceSCIM:            "scim",
		directory.SourceApplication:     "application",
		"":                              "local",
	} {
		if got := accountType(src); got != want {
			t.Errorf("accountType(%q) = %q, want %q", src, got, want)
		}
	}
	for name, src := range creatable {
		if accountType(src) != name {
			t.Errorf("account_type %q creates a %q user, shown as %q", name, src, accountType(src))
		}
	}
}
