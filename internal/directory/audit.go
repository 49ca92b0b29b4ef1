package directory

import (
	"encoding/json"
	"fmt"
	"time"
)

// Audit records: what an event's Before and After hold. They are types of
// their own, with explicit JSON names, so that renaming a domain field
// cannot silently change the stored format, and they name only what an
// auditor needs: never a password hash, secret hash, client secret, key,
// API registration key or session id. auditRecord is the one place a
// domain struct becomes a record. Events written before these types hold
// the domain structs' JSON; they are stored and listed as they are.

type userRecord struct {
	ID                     int64      `json:"id"`
	Username               string     `json:"username"`
	FirstName              string     `json:"first_name"`
	LastName               string     `json:"last_name"`
	DisplayName            string     `json:"display_name"`
	Email                  string     `json:"email"`
	Enabled                bool       `json:"enabled"`
	Quarantined            bool       `json:"quarantined"`
	Admin                  bool       `json:"admin"`
	Source                 Source     `json:"source"`
	SecurityProviderID     int64      `json:"security_provider_id"`
	Locale                 string     `json:"locale"`
	TwoFactorRequired      bool       `json:"two_factor_required"`
	PasswordExpiration     *time.Time `json:"password_expiration"`
	PasswordResetNextLogin bool       `json:"password_reset_next_login"`
	ExternalID             string     `json:"external_id"`
	DomainName             string     `json:"domain_name"`
	DistinguishedName      string     `json:"distinguished_name"`
	ClientID               string     `json:"client_id"`
	SecretGeneration       int64      `json:"secret_generation"`
	AccessPolicyID         int64      `json:"access_policy_id"`
	Version                int64      `json:"version"`
}

type permissionsRecord struct {
	Configuration  Access `json:"configuration"`
	UserManagement Access `json:"user_management"`
	SCIM           bool   `json:"scim"`
	Quarantine     bool   `json:"quarantine"`
}

type apiAccountRecord struct {
	ID              int64             `json:"id"`
	Name            string            `json:"name"`
	Comments        string            `json:"comments"`
	Enabled         bool              `json:"enabled"`
	IPAllow         []string          `json:"ip_allow"`
	ClientID        string            `json:"client_id"`
	Permissions     permissionsRecord `json:"permissions"`
	TokenGeneration int64             `json:"token_generation"`
	Version         int64             `json:"version"`
}

type apiRegistrationRecord struct {
	ID                   int64    `json:"id"`
	Name                 string   `json:"name"`
	IPAllow              []string `json:"ip_allow"`
	UserPasswordRequired bool     `json:"user_password_required"`
	Version              int64    `json:"version"`
}

type groupPermissionRecord struct {
	PermissionID int64       `json:"permission_id"`
	Level        AccessLevel `json:"access_level"`
}

type groupRecord struct {
	ID                 int64                   `json:"id"`
	Name               string                  `json:"name"`
	Description        string                  `json:"description"`
	Source             Source                  `json:"source"`
	SecurityProviderID int64                   `json:"security_provider_id"`
	ExternalID         string                  `json:"external_id"`
	AccessStatus       AccessStatus            `json:"access_status"`
	Access             AccessSettings          `json:"access"` // flags and role ids only, each tagged
	Active             bool                    `json:"active"`
	Permissions        []groupPermissionRecord `json:"permissions"`
	RegistrationIDs    []int64                 `json:"registration_ids"`
	Version            int64                   `json:"version"`
}

type memberRecord struct {
	ID                 int64  `json:"id"`
	GroupID            int64  `json:"group_id"`
	SecurityProviderID int64  `json:"security_provider_id"`
	UserID             int64  `json:"user_id"`
	DistinguishedName  string `json:"distinguished_name"`
	GroupName          string `json:"group_name"`
}

type teamRecord struct {
	ID       int64   `json:"id"`
	Name     string  `json:"name"`
	CodeName string  `json:"code_name"`
	Comments *string `json:"comments"`
}

type teamUserRecord struct {
	TeamID int64    `json:"team_id"`
	UserID int64    `json:"user_id"`
	Role   TeamRole `json:"role"`
}

type directoryRecord struct {
	Kind             Source `json:"kind"`
	Domain           string `json:"domain"`
	Host             string `json:"host"`
	Port             int    `json:"port"`
	UseSSL           bool   `json:"use_ssl"`
	BaseDN           string `json:"base_dn"`
	AccountAttribute string `json:"account_attribute"`
	BindUser         string `json:"bind_user"`
}

type securityProviderRecord struct {
	ID                 int64            `json:"id"`
	Type               ProviderType     `json:"type"`
	Name               string           `json:"name"`
	Enabled            bool             `json:"enabled"`
	UserAuthentication bool             `json:"user_authentication"`
	GroupLookup        bool             `json:"group_lookup"`
	Priority           int              `json:"priority"`
	DefaultPolicyID    int64            `json:"default_policy_id"`
	Directory          *directoryRecord `json:"directory,omitempty"`
}

type secretRecord struct {
	ID       int64   `json:"id"`
	Title    string  `json:"title"`
	OwnerIDs []int64 `json:"owner_ids"`
}

// idsChange is which groups a user joined and left (or the like).
type idsChange struct {
	Added   []int64 `json:"added"`
	Removed []int64 `json:"removed"`
}

// groupMembersUpdate is a group written together with a change of its
// direct members.
type groupMembersUpdate struct {
	Group   *Group
	Members *MembersChange
}

type membersChangeRecord struct {
	Replace *[]int64 `json:"replace,omitempty"`
	Add     []int64  `json:"add,omitempty"`
	Remove  []int64  `json:"remove,omitempty"`
}

type groupMembersRecord struct {
	Group   groupRecord         `json:"group"`
	Members membersChangeRecord `json:"members"`
}

// auditRecord converts a domain value to its record. A type without a
// case is a programming error, caught by the first test that writes it.
func auditRecord(v any) any {
	switch v := v.(type) {
	case *User:
		return userRecord{v.ID, v.Username, v.FirstName, v.LastName, v.DisplayName, v.Email, v.Enabled, v.Quarantined,
			v.Admin, v.Source, v.SecurityProviderID, v.Locale, v.TwoFactorRequired, v.PasswordExpiration,
			v.PasswordResetNextLogin, v.ExternalID, v.DomainName, v.DistinguishedName, v.ClientID, v.SecretGeneration,
			v.AccessPolicyID, v.Version}
	case *APIAccount:
		p := v.Perms
		return apiAccountRecord{v.ID, v.Name, v.Comments, v.Enabled, v.IPAllow, v.ClientID,
			permissionsRecord{p.Configuration, p.UserManagement, p.SCIM, p.Quarantine}, v.TokenGeneration, v.Version}
	case *APIRegistration:
		return apiRegistrationRecord{v.ID, v.Name, v.IPAllow, v.UserPasswordRequired, v.Version}
	case *Group:
		perms := make([]groupPermissionRecord, len(v.Permissions))
		for i, p := range v.Permissions {
			perms[i] = groupPermissionRecord{p.PermissionID, p.Level}
		}
		return groupRecord{v.ID, v.Name, v.Description, v.Source, v.SecurityProviderID, v.ExternalID, v.AccessStatus,
			v.Access, v.Active, perms, v.RegistrationIDs, v.Version}
	case *Member:
		return memberRecord{v.ID, v.GroupID, v.SecurityProviderID, v.UserID, v.DistinguishedName, v.GroupName}
	case *Team:
		return teamRecord{v.ID, v.Name, v.CodeName, v.Comments}
	case *TeamUser:
		return teamUserRecord{v.TeamID, v.UserID, v.Role}
	case *SecurityProvider:
		r := securityProviderRecord{v.ID, v.Type, v.Name, v.Enabled, v.UserAuthentication, v.GroupLookup, v.Priority,
			v.DefaultPolicyID, nil}
		if d := v.Directory; d != nil {
			r.Directory = &directoryRecord{d.Kind, d.Domain, d.Host, d.Port, d.UseSSL, d.BaseDN, d.AccountAttribute, d.BindUser}
		}
		return r
	case *Secret:
		return secretRecord{v.ID, v.Title, v.OwnerIDs}
	case *idsChange:
		return v
	case *groupMembersUpdate:
		m := membersChangeRecord{Add: v.Members.Add, Remove: v.Members.Remove}
		if v.Members.Replace.Present {
			m.Replace = &v.Members.Replace.Value
		}
		return groupMembersRecord{auditRecord(v.Group).(groupRecord), m}
	}
	panic(fmt.Sprintf("directory: no audit record for %T", v))
}

// audit renders the record of v, a pointer to a domain value, for an event.
func audit(v any) json.RawMessage {
	b, err := json.Marshal(auditRecord(v))
	if err != nil {
		// Records hold only plain values; a failure is a programming error.
		panic(err)
	}
	return b
}
