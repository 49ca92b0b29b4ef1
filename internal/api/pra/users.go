package pra

import (
	"math"

	"github.com/gatehouse/gatehouse/internal/directory"
	"github.com/gatehouse/gatehouse/internal/httpx"
)

var userFilters = []filter{
	{name: "username", attr: directory.UserUsername, min: 1, max: 255},
	{name: "email_address", attr: directory.UserEmail, min: 3, max: 255},
	{name: "security_provider_id", attr: directory.UserSecurityProviderID, id: true},
}

// fixedUserPerms are the User permissions Gatehouse does not model; every
// user shows their documented defaults.
var fixedUserPerms = []struct {
	name  string
	value any // bool or string
}{
	{"perm_set_passwords", false},
	{"perm_admin_pushagents", false},
	{"perm_view_support_reports", "not_allowed"},
	{"perm_view_vault_reports", "not_allowed"},
	{"perm_view_syslog_reports", false},
	{"perm_view_sd_recordings", false},
	{"perm_edit_jump_groups", false},
	{"perm_edit_sd_teams", false},
	{"perm_edit_canned_scripts", false},
	{"perm_edit_custom_rep_links", false},
	{"perm_vault", false},
	{"perm_endpoint_automation", "not_allowed"},
}

// noSecondFactors are the second-factor fields of every user: Gatehouse has
// no second factors, so they show "none enrolled".
var noSecondFactors = httpx.EncodeMembers(func(j *httpx.JSON) {
	j.Bool("two_factor_enabled", false)
	j.Int("fido2_credential_count", 0)
	j.Null("fido2_last_used_date")
})

// fixedUserPermsJSON is fixedUserPerms encoded once, as every user shows
// them.
var fixedUserPermsJSON = httpx.EncodeMembers(func(j *httpx.JSON) {
	for _, p := range fixedUserPerms {
		switch v := p.value.(type) {
		case bool:
			j.Bool(p.name, v)
		case string:
			j.String(p.name, v)
		}
	}
})

// userSchemas returns the body schemas of POST and PATCH /user: they differ
// only in failed_logins, which a new user cannot set. Every field the
// response shows but a client cannot set is read-only, so that a client may
// send back a user it has read.
func userSchemas() (create, update *httpx.Schema) {
	fields := []httpx.Field{
		{Name: "username", Kind: httpx.String},
		{Name: "password", Kind: httpx.String},
		{Name: "public_display_name", Kind: httpx.String},
		{Name: "password_expiration", Kind: httpx.NullableTime},
		{Name: "email_address", Kind: httpx.String},
		{Name: "preferred_email_language", Kind: httpx.String},
		{Name: "two_factor_required", Kind: httpx.Bool},
		{Name: "enabled", Kind: httpx.Bool},
		{Name: "password_reset_next_login", Kind: httpx.Bool},
	}
	for _, name := range []string{"id", "security_provider_id", "last_authentication", "created_at",
		"two_factor_enabled", "fido2_credential_count", "fido2_last_used_date", "perm_admin"} {
		fields = append(fields, httpx.Field{Name: name, ReadOnly: true})
	}
	for _, p := range fixedUserPerms {
		fields = append(fields, httpx.Field{Name: p.name, ReadOnly: true})
	}
	for _, f := range accessFields {
		fields = append(fields, httpx.Field{Name: f.name, ReadOnly: true})
	}
	failed := httpx.Field{Name: "failed_logins", Kind: httpx.Int, Min: math.MinInt32, Max: math.MaxInt32}
	update = httpx.NewSchema(append(fields, failed)...)
	failed.ReadOnly = true
	create = httpx.NewSchema(append(fields, failed)...)
	return create, update
}

var userCreateSchema, userUpdateSchema = userSchemas()

// userChange maps the writable User fields onto a directory change.
func userChange(v *httpx.Values) directory.UserChange {
	var c directory.UserChange
	set(&c.Username, v.String, "username")
	set(&c.Password, v.String, "password")
	set(&c.DisplayName, v.String, "public_display_name")
	set(&c.PasswordExpiration, v.NullableTime, "password_expiration")
	set(&c.Email, v.String, "email_address")
	set(&c.Locale, v.String, "preferred_email_language")
	set(&c.TwoFactorRequired, v.Bool, "two_factor_required")
	set(&c.Enabled, v.Bool, "enabled")
	set(&c.PasswordResetNextLogin, v.Bool, "password_reset_next_login")
	if n, ok := v.Int("failed_logins"); ok {
		c.FailedLogins = directory.To(int(n)) // int32-bounded by the schema
	}
	return c
}

func userRules(v *httpx.Values) directory.Problems { return userChange(v).Validate() }

// writeUser writes a User in the schema's field order. Fields the schema
// says only local users have are left out for the others.
func writeUser(j *httpx.JSON, u *directory.User) {
	local := u.Source == directory.SourceLocal
	j.Object()
	j.Int("id", u.ID)
	j.Int("security_provider_id", u.SecurityProviderID)
	j.String("username", u.Username)
	j.String("public_display_name", u.DisplayName)
	if local {
		j.Time("password_expiration", u.PasswordExpiration)
	}
	j.String("email_address", u.Email)
	j.String("preferred_email_language", u.Locale)
	j.Bool("two_factor_required", u.TwoFactorRequired)
	j.Bool("enabled", u.Enabled)
	j.Time("last_authentication", u.LastLogin.At)
	if local {
		j.Int("failed_logins", int64(u.FailedLogins))
		j.Bool("password_reset_next_login", u.PasswordResetNextLogin)
	}
	j.Time("created_at", &u.CreatedAt)
	j.Members(noSecondFactors)
	j.Bool("perm_admin", u.Admin)
	j.Members(fixedUserPermsJSON)
	// A user shows access as PRA's enum where a policy has a boolean.
	if u.Access.AccessAllowed {
		j.String(permAccessAllowed, "full_support")
	} else {
		j.String(permAccessAllowed, "not_allowed")
	}
	writeAccess(j, &u.Access)
	j.EndObject()
}

func (a *api) listUsers(c *call) error {
	return list(c, userFilters, a.dir.Users, writeUser)
}

func (a *api) getUser(c *call) error {
	id, err := c.id()
	if err != nil {
		return err
	}
	u, err := a.dir.User(c.ctx(), id)
	if err != nil {
		return err
	}
	return c.respond(200, func(j *httpx.JSON) { writeUser(j, &u) })
}

// createUser adds a local user: the only kind this API can create.
func (a *api) createUser(c *call) error {
	v, err := c.checkedBody(userCreateSchema, userRules, "username", "public_display_name")
	if err != nil {
		return err
	}
	u, err := a.dir.CreateUser(c.ctx(), directory.NewUser{Source: directory.SourceLocal,
		SecurityProviderID: directory.LocalProviderID, UserChange: userChange(v)})
	if err != nil {
		return err
	}
	return c.created("/user/"+itoa(u.ID), func(j *httpx.JSON) { writeUser(j, &u) })
}

func (a *api) updateUser(c *call) error {
	id, err := c.id()
	if err != nil {
		return err
	}
	v, err := c.checkedBody(userUpdateSchema, userRules)
	if err != nil {
		return err
	}
	u, err := a.dir.UpdateUser(c.ctx(), id, userChange(v), 0)
	if err != nil {
		return err
	}
	return c.respond(200, func(j *httpx.JSON) { writeUser(j, &u) })
}

func (a *api) deleteUser(c *call) error {
	id, err := c.id()
	if err != nil {
		return err
	}
	if err := a.dir.DeleteUser(c.ctx(), id); err != nil {
		return err
	}
	return c.noContent()
}

var provisionSchema = httpx.NewSchema(httpx.Field{Name: "user_ids", Kind: httpx.IntArray})

// provisionUsers recalculates the effective settings of the given users,
// or of every user when none are given.
func (a *api) provisionUsers(c *call) error {
	v, err := c.body(provisionSchema)
	if err != nil {
		return err
	}
	ids, _ := v.Ints("user_ids")
	if err := a.dir.ProvisionUsers(c.ctx(), ids); err != nil {
		return err
	}
	return c.noContent()
}
