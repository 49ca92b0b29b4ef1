package pra

import (
	"math"

	"github.com/gatehouse/gatehouse/internal/directory"
	"github.com/gatehouse/gatehouse/internal/httpx"
)

// accessField is one of the perm_* / *_jump_item_role_id settings that a
// group policy grants and a user shows as its effective value. Booleans
// have flag; integers have get and set, and min and max, their documented
// bounds.
type accessField struct {
	name     string
	flag     func(*directory.AccessSettings) *bool
	get      func(*directory.AccessSettings) int64
	set      func(*directory.AccessSettings, int64)
	min, max int64
}

func flag(name string, f func(*directory.AccessSettings) *bool) accessField {
	return accessField{name: name, flag: f}
}

func role(name string, f func(*directory.AccessSettings) *int64) accessField {
	return accessField{name: name, min: 1, max: math.MaxInt32,
		get: func(a *directory.AccessSettings) int64 { return *f(a) },
		set: func(a *directory.AccessSettings, v int64) { *f(a) = v }}
}

// idleTimeout is the one integer setting the directory holds as an int.
// Its allowed values are a directory rule; the bounds are the wire's.
var idleTimeout = accessField{name: "perm_session_idle_timeout", min: -1, max: 86400,
	get: func(a *directory.AccessSettings) int64 { return int64(a.SessionIdleTimeout) },
	set: func(a *directory.AccessSettings, v int64) { a.SessionIdleTimeout = int(v) }}

// permAccessAllowed is the one setting whose wire type differs between a
// group policy (a boolean) and a user (an enum).
const permAccessAllowed = "perm_access_allowed"

// accessFields lists the settings in the GroupPolicy schema's order.
var accessFields = []accessField{
	flag(permAccessAllowed, func(a *directory.AccessSettings) *bool { return &a.AccessAllowed }),
	flag("perm_share_other_team", func(a *directory.AccessSettings) *bool { return &a.ShareOtherTeam }),
	flag("perm_invite_external_user", func(a *directory.AccessSettings) *bool { return &a.InviteExternalUser }),
	idleTimeout,
	flag("perm_extended_availability_mode_allowed", func(a *directory.AccessSettings) *bool { return &a.ExtendedAvailabilityMode }),
	flag("perm_edit_external_key", func(a *directory.AccessSettings) *bool { return &a.EditExternalKey }),
	flag("perm_collaborate", func(a *directory.AccessSettings) *bool { return &a.Collaborate }),
	flag("perm_collaborate_control", func(a *directory.AccessSettings) *bool { return &a.CollaborateControl }),
	flag("perm_jump_client", func(a *directory.AccessSettings) *bool { return &a.JumpClient }),
	flag("perm_local_jump", func(a *directory.AccessSettings) *bool { return &a.LocalJump }),
	flag("perm_remote_jump", func(a *directory.AccessSettings) *bool { return &a.RemoteJump }),
	flag("perm_remote_vnc", func(a *directory.AccessSettings) *bool { return &a.RemoteVNC }),
	flag("perm_remote_rdp", func(a *directory.AccessSettings) *bool { return &a.RemoteRDP }),
	flag("perm_shell_jump", func(a *directory.AccessSettings) *bool { return &a.ShellJump }),
	flag("perm_web_jump", func(a *directory.AccessSettings) *bool { return &a.WebJump }),
	flag("perm_protocol_tunnel", func(a *directory.AccessSettings) *bool { return &a.ProtocolTunnel }),
	flag("perm_sd_static_port_for_external_tools", func(a *directory.AccessSettings) *bool { return &a.StaticPortForExternalTools }),
	role("default_jump_item_role_id", func(a *directory.AccessSettings) *int64 { return &a.DefaultJumpItemRoleID }),
	role("private_jump_item_role_id", func(a *directory.AccessSettings) *int64 { return &a.PrivateJumpItemRoleID }),
	role("inferior_jump_item_role_id", func(a *directory.AccessSettings) *int64 { return &a.InferiorJumpItemRoleID }),
	role("unassigned_jump_item_role_id", func(a *directory.AccessSettings) *int64 { return &a.UnassignedJumpItemRoleID }),
}

// bodyField declares the setting as a writable body field.
func (f accessField) bodyField() httpx.Field {
	if f.flag != nil {
		return httpx.Field{Name: f.name, Kind: httpx.Bool}
	}
	return httpx.Field{Name: f.name, Kind: httpx.Int, Min: f.min, Max: f.max}
}

// applyAccess writes the settings a body gives onto a and reports whether
// it gave any.
func applyAccess(v *httpx.Values, a *directory.AccessSettings) bool {
	given := false
	for _, f := range accessFields {
		if f.flag != nil {
			if b, ok := v.Bool(f.name); ok {
				*f.flag(a), given = b, true
			}
		} else if n, ok := v.Int(f.name); ok {
			f.set(a, n)
			given = true
		}
	}
	return given
}

// writeAccess writes every setting but perm_access_allowed, whose type
// the caller decides.
func writeAccess(j *httpx.JSON, a *directory.AccessSettings) {
	for _, f := range accessFields {
		switch {
		case f.name == permAccessAllowed:
		case f.flag != nil:
			j.Bool(f.name, *f.flag(a))
		default:
			j.Int(f.name, f.get(a))
		}
	}
}
