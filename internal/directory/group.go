package directory

import (
	"strings"
	"time"
)

// Group is one row that every face shows as its own kind of group: a PRA
// group policy, a BeyondInsight user group, a public v3 group, a SCIM group.
// Groups are listed in priority order, which is creation (ID) order.
type Group struct {
	ID                 int64
	Name               string
	Description        string
	Source             Source
	SecurityProviderID int64
	ExternalID         string
	AccessStatus       AccessStatus
	Access             AccessSettings
	// Active, Permissions and RegistrationIDs are BeyondInsight's: an
	// inactive group grants its members nothing, Permissions are what it
	// grants them there, and RegistrationIDs name the API registrations
	// whose keys its members may sign in with.
	Active          bool
	Permissions     []GroupPermission
	RegistrationIDs []int64
	CreatedAt       time.Time
	UpdatedAt       time.Time
	Version         int64
}

// AccessStatus says whether a group policy defines permissions, and whether
// lower-priority policies may override them.
type AccessStatus string

const (
	AccessNotDefined AccessStatus = "not_defined"
	AccessDefined    AccessStatus = "defined"
	AccessFinal      AccessStatus = "final"
)

// AccessSettings are the permissions a group policy grants (PRA's perm_*
// fields). A user's effective settings are computed from its policies by
// EffectiveAccess when the user is provisioned.
type AccessSettings struct {
	AccessAllowed              bool  `json:"access_allowed"`
	ShareOtherTeam             bool  `json:"share_other_team"`
	InviteExternalUser         bool  `json:"invite_external_user"`
	SessionIdleTimeout         int   `json:"session_idle_timeout"`
	ExtendedAvailabilityMode   bool  `json:"extended_availability_mode"`
	EditExternalKey            bool  `json:"edit_external_key"`
	Collaborate                bool  `json:"collaborate"`
	CollaborateControl         bool  `json:"collaborate_control"`
	JumpClient                 bool  `json:"jump_client"`
	LocalJump                  bool  `json:"local_jump"`
	RemoteJump                 bool  `json:"remote_jump"`
	RemoteVNC                  bool  `json:"remote_vnc"`
	RemoteRDP                  bool  `json:"remote_rdp"`
	ShellJump                  bool  `json:"shell_jump"`
	WebJump                    bool  `json:"web_jump"`
	ProtocolTunnel             bool  `json:"protocol_tunnel"`
	StaticPortForExternalTools bool  `json:"static_port_for_external_tools"`
	DefaultJumpItemRoleID      int64 `json:"default_jump_item_role_id"`
	PrivateJumpItemRoleID      int64 `json:"private_jump_item_role_id"`
	InferiorJumpItemRoleID     int64 `json:"inferior_jump_item_role_id"`
	UnassignedJumpItemRoleID   int64 `json:"unassigned_jump_item_role_id"`
}

// DefaultAccess is what a policy grants when it sets nothing, and what a
// user with no defining policy gets.
func DefaultAccess() AccessSettings {
	return AccessSettings{
		SessionIdleTimeout:       -1,
		DefaultJumpItemRoleID:    1,
		PrivateJumpItemRoleID:    1,
		InferiorJumpItemRoleID:   1,
		UnassignedJumpItemRoleID: 1,
	}
}

// idleTimeouts are the only session idle timeouts PRA accepts (-1 means the
// site-wide setting, 0 no timeout).
var idleTimeouts = map[int]bool{-1: true, 0: true, 300: true, 600: true, 900: true, 1800: true,
	3600: true, 7200: true, 14400: true, 28800: true, 43200: true, 86400: true}

func (a AccessSettings) validate(p Problems) {
	if !idleTimeouts[a.SessionIdleTimeout] {
		p.Add(FieldSessionIdleTimeout, "must be one of -1, 0, 300, 600, 900, 1800, 3600, 7200, 14400, 28800, 43200 or 86400")
	}
	for _, r := range []struct {
		field string
		id    int64
	}{{FieldDefaultJumpItemRole, a.DefaultJumpItemRoleID}, {FieldPrivateJumpItemRole, a.PrivateJumpItemRoleID},
		{FieldInferiorJumpItemRole, a.InferiorJumpItemRoleID}, {FieldUnassignedJumpItemRole, a.UnassignedJumpItemRoleID}} {
		if r.id < 1 || r.id > MaxID {
			p.Add(r.field, "must be between 1 and 2147483647")
		}
	}
}

// GroupChange carries the fields a group write sets. Access, when present,
// replaces the whole settings block: faces merge a partial PATCH onto the
// stored settings before calling the Service.
type GroupChange struct {
	Name            Set[string]
	Description     Set[string]
	ExternalID      Set[string]
	AccessStatus    Set[AccessStatus]
	Access          Set[AccessSettings]
	Active          Set[bool]
	Permissions     Set[[]GroupPermission]
	RegistrationIDs Set[[]int64]
}

func (c GroupChange) apply(g *Group) {
	c.Name.apply(&g.Name)
	c.Description.apply(&g.Description)
	c.ExternalID.apply(&g.ExternalID)
	c.AccessStatus.apply(&g.AccessStatus)
	c.Access.apply(&g.Access)
	c.Active.apply(&g.Active)
	c.Permissions.apply(&g.Permissions)
	c.RegistrationIDs.apply(&g.RegistrationIDs)
}

func (c GroupChange) Validate() Problems {
	p := Problems{}
	if c.Name.Present {
		checkLen(p, FieldName, c.Name.Value, 1, MaxName)
		checkText(p, FieldName, c.Name.Value)
	}
	if c.Description.Present {
		checkLen(p, FieldDescription, c.Description.Value, 0, MaxDescription)
		// Line breaks and tabs are welcome in a description; NUL is
		// not, and PostgreSQL cannot store it.
		if strings.ContainsRune(c.Description.Value, 0) {
			p.Add(FieldDescription, "may not contain NUL characters")
		}
	}
	if c.ExternalID.Present {
		checkLen(p, FieldExternalID, c.ExternalID.Value, 0, MaxExternalID)
		checkText(p, FieldExternalID, c.ExternalID.Value)
	}
	if c.AccessStatus.Present {
		switch c.AccessStatus.Value {
		case AccessNotDefined, AccessDefined, AccessFinal:
		default:
			p.Add(FieldAccessStatus, "must be one of not_defined, defined or final")
		}
	}
	if c.Access.Present {
		c.Access.Value.validate(p)
	}
	if c.Permissions.Present {
		validatePermissions(p, c.Permissions.Value)
	}
	if c.RegistrationIDs.Present {
		for _, id := range c.RegistrationIDs.Value {
			if id < 1 || id > MaxID {
				p.Add(FieldRegistrationIDs, "must be between 1 and 2147483647")
				break
			}
		}
	}
	return p
}

// EffectiveAccess merges the settings of the policies a user belongs to,
// given in priority order (highest first). As PRA documents it, a defining
// policy overrides the ones above it unless one of those is final; so the
// result is the first final policy's settings, else the last defining one's,
// else the defaults.
func EffectiveAccess(policies []Group) AccessSettings {
	result := DefaultAccess()
	for _, g := range policies {
		switch g.AccessStatus {
		case AccessFinal:
			return g.Access
		case AccessDefined:
			result = g.Access
		}
	}
	return result
}
