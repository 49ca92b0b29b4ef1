package directory

import "time"

// Member links a group to a user of a security provider, or to an external
// group of that provider (an LDAP DN, a SAML or SCIM group name).
type Member struct {
	ID                 int64
	GroupID            int64
	SecurityProviderID int64
	UserID             int64 // 0 when the member is an external group or DN
	DistinguishedName  string
	GroupName          string
	CreatedAt          time.Time
}

// MemberInput is what a caller asks to add to a group.
type MemberInput struct {
	SecurityProviderID int64
	UserID             int64
	DistinguishedName  string
	GroupName          string
}

// validateFor applies PRA's rules for which fields each provider type needs.
func (in MemberInput) validateFor(t ProviderType) Problems {
	p := Problems{}
	hasUser, hasDN, hasGroup := in.UserID != 0, in.DistinguishedName != "", in.GroupName != ""
	checkLen(p, FieldDistinguishedName, in.DistinguishedName, 0, MaxDN)
	checkLen(p, FieldGroupName, in.GroupName, 0, MaxGroupName)
	switch t {
	case ProviderLocal, ProviderRADIUS, ProviderKerberos:
		if !hasUser {
			p.Add(FieldUserID, MsgRequired)
		}
		if hasDN {
			p.Add(FieldDistinguishedName, "must not be present for a "+string(t)+" security provider")
		}
		if hasGroup {
			p.Add(FieldGroupName, "must not be present for a "+string(t)+" security provider")
		}
	case ProviderLDAP:
		if hasUser == hasDN {
			p.Add(FieldUserID, "must be given, or else distinguished_name, but not both")
		}
		if hasGroup {
			p.Add(FieldGroupName, "must not be present for an ldap security provider")
		}
	case ProviderSAML:
		if hasUser == hasGroup {
			p.Add(FieldUserID, "must be given, or else group_name, but not both")
		}
		if hasDN {
			p.Add(FieldDistinguishedName, "must not be present for a saml security provider")
		}
	case ProviderSCIM:
		if hasDN == hasGroup || hasUser {
			p.Add(FieldGroupName, "must be given for a group, or else distinguished_name for a user, but not both")
		}
	}
	return p
}
