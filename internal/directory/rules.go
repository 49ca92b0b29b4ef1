package directory

import (
	"fmt"
	"net/mail"
	"regexp"
	"strings"
	"unicode/utf8"
)

// Field names used as keys in Problems. They are the domain's names; each
// face renames them to its wire names (PRA: FieldDisplayName is
// "public_display_name", SCIM: "displayName").
const (
	FieldUsername               = "username"
	FieldPassword               = "password"
	FieldDisplayName            = "display_name"
	FieldFirstName              = "first_name"
	FieldLastName               = "last_name"
	FieldEmail                  = "email"
	FieldLocale                 = "locale"
	FieldPublicKey              = "public_key"
	FieldExternalID             = "external_id"
	FieldFailedLogins           = "failed_logins"
	FieldPasswordExpiration     = "password_expiration"
	FieldName                   = "name"
	FieldDescription            = "description"
	FieldCodeName               = "code_name"
	FieldComments               = "comments"
	FieldAccessStatus           = "access_status"
	FieldSessionIdleTimeout     = "session_idle_timeout"
	FieldDefaultJumpItemRole    = "default_jump_item_role_id"
	FieldPrivateJumpItemRole    = "private_jump_item_role_id"
	FieldInferiorJumpItemRole   = "inferior_jump_item_role_id"
	FieldUnassignedJumpItemRole = "unassigned_jump_item_role_id"
	FieldSecurityProviderID     = "security_provider_id"
	FieldUserID                 = "user_id"
	FieldGroupID                = "group_id"
	FieldTeamID                 = "team_id"
	FieldRole                   = "role"
	FieldDistinguishedName      = "distinguished_name"
	FieldGroupName              = "group_name"
	FieldAdded                  = "added"
	FieldRemoved                = "removed"
	FieldUserIDs                = "user_ids"
	FieldAccessPolicyID         = "access_policy_id"
	FieldDomainName             = "domain_name"
	FieldForestName             = "forest_name"
	FieldBindUser               = "bind_user"
	FieldBindPassword           = "bind_password"
	FieldHostName               = "host_name"
	FieldPort                   = "port"
	FieldAccountAttribute       = "account_attribute"
	FieldUserType               = "user_type"
	FieldGroupType              = "group_type"
	FieldPermissions            = "permissions"
	FieldRegistrationIDs        = "application_registration_ids"
	FieldGroupMemberships       = "group_memberships"
	FieldMembers                = "members"
)

// Messages are phrased to follow the field's wire name ("The username " +
// msg), so one text serves every face.
const (
	MsgRequired = "field is required"
	MsgTaken    = "has already been taken"
)

// MsgMaxLen and MsgMinLen phrase the length rules.
func MsgMaxLen(n int) string { return fmt.Sprintf("may not be greater than %d characters", n) }
func MsgMinLen(n int) string { return fmt.Sprintf("must be at least %d characters", n) }

// Limits on stored strings. They are the strictest of the faces' published
// limits, so that a value any face accepts every face can show.
const (
	MaxUsername    = 64
	MaxDisplayName = 64
	MaxPersonName  = 64
	MinEmail       = 3
	MaxEmail       = 255
	MaxPassword    = 256
	MinPassword    = 8
	MaxLocale      = 10
	MinLocale      = 2
	MaxPublicKey   = 8192
	MaxExternalID  = 255
	MaxName        = 255
	MaxDescription = 4096
	MaxComments    = 4096
	MaxCodeName    = 64
	MaxDN          = 1024
	MaxGroupName   = 64
	MaxID          = 2147483647
	// BeyondInsight's limits on directory users.
	MaxDomainName = 250
	MaxForestName = 300
	MaxUserDN     = 255
)

// checkLen records a problem when s is shorter than min or longer than max
// runes. min 0 means optional.
func checkLen(p Problems, field, s string, min, max int) {
	n := utf8.RuneCountInString(s)
	switch {
	case min > 0 && n == 0:
		p.Add(field, MsgRequired)
	case n < min:
		p.Add(field, MsgMinLen(min))
	case n > max:
		p.Add(field, MsgMaxLen(max))
	}
}

// checkText refuses control characters, which no name or address needs and
// which would corrupt logs and exports.
func checkText(p Problems, field, s string) {
	for _, r := range s {
		if r < 0x20 || r == 0x7f {
			p.Add(field, "may not contain control characters")
			return
		}
	}
}

// checkNoNUL refuses NUL, which PostgreSQL cannot store in text, for
// fields that may span lines.
func checkNoNUL(p Problems, field, s string) {
	if strings.IndexByte(s, 0) >= 0 {
		p.Add(field, "may not contain NUL characters")
	}
}

// checkEmail accepts a bare addr-spec (no display name, no angle brackets).
func checkEmail(p Problems, field, s string) {
	if s == "" {
		return
	}
	a, err := mail.ParseAddress(s)
	if err != nil || a.Address != s || strings.ContainsAny(s, " <>") {
		p.Add(field, "must be a valid email address")
	}
}

var localePattern = regexp.MustCompile(`^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,4})?$`)

func checkLocale(p Problems, field, s string) {
	if s == "" {
		return
	}
	if !localePattern.MatchString(s) || len(s) > MaxLocale {
		p.Add(field, "must be a locale code such as en-us")
	}
}

var codeNamePattern = regexp.MustCompile(`^[A-Za-z0-9_\-]*$`)

func checkCodeName(p Problems, field, s string) {
	checkLen(p, field, s, 0, MaxCodeName)
	if !codeNamePattern.MatchString(s) {
		p.Add(field, "may only contain letters, numbers, dashes and underscores")
	}
}
