package pra

import (
	"strings"

	"github.com/gatehouse/gatehouse/internal/directory"
	"github.com/gatehouse/gatehouse/internal/httpx"
)

var accountFilters = []filter{{name: "name", attr: directory.APIAccountName, min: 1, max: 255}}

// unmodelledAccountPerms are ApiAccount permissions for PRA features
// Gatehouse does not have: never granted.
var unmodelledAccountPerms = []string{
	"perm_reporting_support", "perm_reporting_license", "perm_reporting_vault", "perm_reporting_jump_item",
	"perm_reporting_syslog", "perm_backup", "perm_vault_backup", "perm_ecm",
}

// writeAccount writes an ApiAccount: a read-only view that never includes
// the secret or its hash. perm_configuration is PRA's boolean; Gatehouse
// adds perm_configuration_access so that read-only access is visible.
// Lock-outs are per client address and kept by internal/auth, which says
// what the failed_login fields show.
func (a *api) writeAccount(j *httpx.JSON, acct *directory.APIAccount) {
	failed, until := a.auth.LockoutStatus(acct.ID)
	j.Object()
	j.Int("id", acct.ID)
	j.String("name", acct.Name)
	j.String("comments", acct.Comments)
	j.Bool("enabled", acct.Enabled)
	j.String("ip_addresses", strings.Join(acct.IPAllow, "\n")) // one per line, as PRA's form shows them
	j.String("client_id", acct.ClientID)
	j.Int("failed_login_attempts", int64(failed))
	j.Time("failed_login_expiration", until)
	j.Null("ecm_group_id")
	j.String("perm_command", string(directory.AccessNone))
	for _, name := range unmodelledAccountPerms {
		j.Bool(name, false)
	}
	j.Bool("perm_scim", acct.Perms.SCIM)
	j.Bool("perm_configuration", acct.Perms.Configuration.CanRead())
	j.Bool("perm_configuration_vault_account", false)
	j.String("perm_configuration_access", string(acct.Perms.Configuration))
	j.EndObject()
}

func (a *api) listAccounts(c *call) error {
	return list(c, accountFilters, a.dir.APIAccounts, a.writeAccount)
}

func (a *api) getAccount(c *call) error {
	id, err := c.id()
	if err != nil {
		return err
	}
	acct, err := a.dir.APIAccount(c.ctx(), id)
	if err != nil {
		return err
	}
	return c.respond(200, func(j *httpx.JSON) { a.writeAccount(j, &acct) })
}
