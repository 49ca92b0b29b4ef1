package insight

import (
	"github.com/gatehouse/gatehouse/internal/directory"
	"github.com/gatehouse/gatehouse/internal/httpx"
)

// userTypes names each source as BeyondInsight's UserType and GroupType do.
var userTypes = map[directory.Source]string{
	directory.SourceActiveDirectory: "ActiveDirectory",
	directory.SourceLDAP:            "LdapDirectory",
	directory.SourceApplication:     "Application",
}

func userType(s directory.Source) string {
	if t, ok := userTypes[s]; ok {
		return t
	}
	return "BeyondInsight"
}

// nullable writes an absent string as null, as BeyondInsight does.
func nullable(j *httpx.JSON, k, v string) {
	if v == "" {
		j.Null(k)
		return
	}
	j.String(k, v)
}

// writeUser renders a user. secret is the application user's client
// secret when it was just created or recycled, else "" (rendered null).
func writeUser(j *httpx.JSON, u *directory.User, secret string) {
	j.Object()
	if u.Source == directory.SourceApplication {
		j.String("ClientID", u.ClientID)
		nullable(j, "ClientSecret", secret)
		if u.AccessPolicyID != 0 {
			j.Int("AccessPolicyID", u.AccessPolicyID)
		} else {
			j.Null("AccessPolicyID")
		}
	}
	j.Int("UserID", u.ID)
	j.String("UserType", userType(u.Source))
	j.String("UserName", u.Username)
	nullable(j, "DomainName", u.DomainName)
	nullable(j, "DistinguishedName", u.DistinguishedName)
	nullable(j, "FirstName", u.FirstName)
	nullable(j, "LastName", u.LastName)
	nullable(j, "EmailAddress", u.Email)
	j.Time("LastLoginDate", u.LastLogin.At)
	nullable(j, "LastLoginAuthenticationType", u.LastLogin.AuthType)
	nullable(j, "LastLoginConfigurationName", u.LastLogin.ConfigName)
	nullable(j, "LastLoginSAMLIDPURL", u.LastLogin.SAMLIdPURL)
	nullable(j, "LastLoginSSOURL", u.LastLogin.SSOURL)
	j.Bool("IsQuarantined", u.Quarantined)
	j.EndObject()
}

// writeGroup renders a user group. Groups here are BeyondInsight groups or
// groups of an external directory; the directory attributes of the latter
// are not kept, so they are null.
func writeGroup(j *httpx.JSON, g *directory.Group) {
	j.Object()
	j.Int("GroupID", g.ID)
	j.String("Name", g.Name)
	j.Null("DistinguishedName")
	nullable(j, "Description", g.Description)
	j.String("GroupType", userType(g.Source))
	j.Null("AccountAttribute")
	ids := g.RegistrationIDs
	if ids == nil {
		ids = []int64{}
	}
	j.Ints("ApplicationRegistrationIDs", ids)
	j.Null("MembershipAttribute")
	j.Bool("IsActive", g.Active)
	j.EndObject()
}

func writePermissions(j *httpx.JSON, ps []directory.GroupPermission) {
	j.Array()
	for _, p := range ps {
		j.Object()
		j.Int("PermissionID", p.PermissionID)
		j.Int("AccessLevelID", int64(p.Level))
		j.EndObject()
	}
	j.EndArray()
}
