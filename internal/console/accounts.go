package console

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/gatehouse/gatehouse/internal/directory"
)

// API accounts are the OAuth2 clients of the PRA, public v3 and SCIM
// faces. Their changes go through internal/auth where it has them
// (rotation, enabling, unlocking), so that this instance's token cache and
// lock-outs follow at once rather than at the next poll.
func (c *console) accountsRoutes() {
	c.page("GET "+Prefix+"/accounts", c.accountsList)
	c.page("GET "+Prefix+"/accounts/new", c.accountNew)
	c.page("POST "+Prefix+"/accounts", c.accountCreate)
	c.page("GET "+Prefix+"/accounts/{id}", c.accountShow)
	c.page("GET "+Prefix+"/accounts/{id}/edit", c.accountEditPage)
	c.page("POST "+Prefix+"/accounts/{id}/edit", c.accountEdit)
	c.page("GET "+Prefix+"/accounts/{id}/rotate", c.accountRotatePage)
	c.page("POST "+Prefix+"/accounts/{id}/rotate", c.accountRotate)
	c.page("POST "+Prefix+"/accounts/{id}/enabled", c.accountSetEnabled)
	c.page("POST "+Prefix+"/accounts/{id}/unlock", c.accountUnlock)
}

func accountPath(id int64) string { return Prefix + "/accounts/" + strconv.FormatInt(id, 10) }

// accountRow is an account with what internal/auth knows of its use: the
// most consecutive wrong secrets from one source, and the end of its
// latest lock-out (nil: none in force). Its last use is its last token
// (LastTokenAt): tokens are verified without a write, so no later request
// is recorded.
type accountRow struct {
	directory.APIAccount
	FailedAttempts int
	LockedUntil    *time.Time
}

func (c *console) accountRow(a directory.APIAccount) accountRow {
	failed, until := c.auth.LockoutStatus(a.ID)
	return accountRow{APIAccount: a, FailedAttempts: failed, LockedUntil: until}
}

type accountsListData struct {
	Accounts []accountRow
	Pager    pager
}

func (c *console) accountsList(q *request) error {
	q.form = map[string]string{}
	p := directory.Problems{}
	filter := nameSearch(q, directory.APIAccountName, p)
	var d accountsListData
	err := p.Err()
	if err == nil {
		var items []directory.APIAccount
		items, d.Pager, err = listPage(q, filter, c.dir.APIAccounts)
		for _, a := range items {
			d.Accounts = append(d.Accounts, c.accountRow(a))
		}
	}
	return q.list(err, "accounts_list", "API accounts", d)
}

func (c *console) account(q *request) (directory.APIAccount, error) {
	id, err := pathID(q, "API account")
	if err != nil {
		return directory.APIAccount{}, err
	}
	return c.dir.APIAccount(q.ctx(), id)
}

type accountData struct {
	Account accountRow
	Events  []eventRow
	// Secret and Notice are only on the page that answers a create or a
	// rotation, which is shown at once: a flash would show on the page
	// after it.
	Secret *secretView
	Notice string
}

func (c *console) accountShow(q *request) error {
	a, err := c.account(q)
	if err != nil {
		return err
	}
	return c.showAccount(q, a, accountData{})
}

func (c *console) showAccount(q *request, a directory.APIAccount, d accountData) error {
	events, err := c.dir.Audit(q.ctx(), directory.AuditFilter{TargetType: "api_account", TargetID: a.ID, Limit: recordEvents})
	if err != nil {
		return err
	}
	d.Account, d.Events = c.accountRow(a), eventRows(events.Items)
	return q.render(http.StatusOK, "accounts_show", a.Name, d)
}

type accountFormData struct {
	Account directory.APIAccount // the zero account on the new page
	Levels  []option
}

// accountForm fills the form with an account's values.
func accountForm(a *directory.APIAccount) map[string]string {
	return map[string]string{
		directory.FieldName:     a.Name,
		directory.FieldComments: a.Comments,
		"configuration":         string(a.Perms.Configuration),
		"user_management":       string(a.Perms.UserManagement),
		"scim":                  boolText(a.Perms.SCIM),
		"quarantine":            boolText(a.Perms.Quarantine),
		"ip_addresses":          strings.Join(a.IPAllow, "\n"),
	}
}

// accountInput reads the form, as the CLI's flags are read.
func accountInput(q *request) directory.NewAPIAccount {
	f := q.r.PostFormValue
	return directory.NewAPIAccount{
		Name:     strings.TrimSpace(f(directory.FieldName)),
		Comments: strings.TrimSpace(f(directory.FieldComments)),
		Perms: directory.Permissions{Configuration: directory.Access(f("configuration")), UserManagement: directory.Access(f("user_management")),
			SCIM: checked(q, "scim"), Quarantine: checked(q, "quarantine")},
		IPAllow: addressList(f("ip_addresses")),
	}
}

func (c *console) accountNew(q *request) error {
	q.form = accountForm(&directory.APIAccount{Perms: directory.Permissions{Configuration: directory.AccessReadOnly,
		UserManagement: directory.AccessReadOnly}})
	return q.render(http.StatusOK, "accounts_new", "New API account", accountFormData{Levels: accessOptions})
}

// accountCreate creates the account and answers with its secret, shown
// this once.
func (c *console) accountCreate(q *request) error {
	a, secret, err := c.dir.CreateAPIAccount(q.ctx(), accountInput(q))
	if err != nil {
		return q.refuse(err, "accounts_new", "New API account", accountFormData{Levels: accessOptions})
	}
	c.auth.AccountChanged(a)
	return c.showAccount(q, a, accountData{Secret: &secretView{Label: "Client secret", Value: secret},
		Notice: "API account " + a.Name + " created."})
}

func (c *console) accountEditPage(q *request) error {
	a, err := c.account(q)
	if err != nil {
		return err
	}
	q.form = accountForm(&a)
	return q.render(http.StatusOK, "accounts_edit", "Edit "+a.Name, accountFormData{Account: a, Levels: accessOptions})
}

// accountEdit changes the account's name, comments, permissions and
// allowed addresses; its secret and tokens stay.
func (c *console) accountEdit(q *request) error {
	a, err := c.account(q)
	if err != nil {
		return err
	}
	in := accountInput(q)
	saved, err := c.dir.UpdateAPIAccount(q.ctx(), a.ID, directory.APIAccountChange{Name: directory.To(in.Name),
		Comments: directory.To(in.Comments), Perms: directory.To(in.Perms), IPAllow: directory.To(in.IPAllow)})
	if err != nil {
		return q.refuse(err, "accounts_edit", "Edit "+a.Name, accountFormData{Account: a, Levels: accessOptions})
	}
	c.auth.AccountChanged(saved)
	q.flash("API account " + saved.Name + " saved.")
	return q.redirect(accountPath(saved.ID))
}

func (c *console) accountRotatePage(q *request) error {
	a, err := c.account(q)
	if err != nil {
		return err
	}
	return q.render(http.StatusOK, "accounts_rotate", "Rotate the secret of "+a.Name, a)
}

// accountRotate gives the account a new secret, shown this once: every
// token of the old one ends, and its lock-outs are lifted.
func (c *console) accountRotate(q *request) error {
	a, err := c.account(q)
	if err != nil {
		return err
	}
	a, secret, err := c.auth.RotateSecret(q.ctx(), a.ID)
	if err != nil {
		return err
	}
	return c.showAccount(q, a, accountData{Secret: &secretView{Label: "Client secret", Value: secret},
		Notice: "The secret of " + a.Name + " was rotated: its tokens are revoked and its lock-outs lifted."})
}

// accountSetEnabled disables the account (its tokens end) or enables it
// (its lock-outs are lifted).
func (c *console) accountSetEnabled(q *request) error {
	a, err := c.account(q)
	if err != nil {
		return err
	}
	enable := q.r.PostFormValue("enabled") == "true"
	if a, err = c.auth.SetAPIAccountEnabled(q.ctx(), a.ID, enable); err != nil {
		return err
	}
	if enable {
		q.flash("API account " + a.Name + " enabled.")
	} else {
		q.flash("API account " + a.Name + " disabled: its tokens are revoked.")
	}
	return q.redirect(accountPath(a.ID))
}

// accountUnlock lifts every lock-out of the account, from every source, as
// `gatehouse api-account unlock` does.
func (c *console) accountUnlock(q *request) error {
	a, err := c.account(q)
	if err != nil {
		return err
	}
	if a, err = c.auth.UnlockAPIAccount(q.ctx(), a.ID); err != nil {
		return err
	}
	q.flash("API account " + a.Name + " unlocked: no address is locked out of it now.")
	return q.redirect(accountPath(a.ID))
}
