package console

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/gatehouse/gatehouse/internal/directory"
)

func (c *console) usersRoutes() {
	c.page("GET "+Prefix+"/users", c.usersList)
	c.page("GET "+Prefix+"/users/new", c.userNew)
	c.page("POST "+Prefix+"/users", c.userCreate)
	c.page("GET "+Prefix+"/users/{id}", c.userShow)
	c.page("GET "+Prefix+"/users/{id}/edit", c.userEditPage)
	c.page("POST "+Prefix+"/users/{id}/edit", c.userEdit)
	c.page("POST "+Prefix+"/users/{id}/enabled", c.userSetEnabled)
	c.page("GET "+Prefix+"/users/{id}/password", c.userPasswordPage)
	c.page("POST "+Prefix+"/users/{id}/password", c.userPassword)
	c.page("GET "+Prefix+"/users/{id}/delete", c.userDeletePage)
	c.page("POST "+Prefix+"/users/{id}/delete", c.userDelete)
	c.page("POST "+Prefix+"/users/{id}/groups", c.userGroups)
}

func userPath(id int64) string { return Prefix + "/users/" + strconv.FormatInt(id, 10) }

// userSearch is the list's search form: the filters PRA's GET /user
// takes, matched exactly (names ignoring case) by the store.
var userSearch = []struct {
	name string
	attr directory.Attr
	max  int
}{
	{directory.FieldUsername, directory.UserUsername, directory.MaxUsername},
	{directory.FieldEmail, directory.UserEmail, directory.MaxEmail},
}

type usersListData struct {
	Users []directory.User
	Pager pager
}

func (c *console) usersList(q *request) error {
	var and directory.And
	query := q.r.URL.Query()
	q.form = map[string]string{}
	p := directory.Problems{}
	for _, f := range userSearch {
		v := strings.TrimSpace(query.Get(f.name))
		if v == "" {
			continue
		}
		q.form[f.name] = v
		if len([]rune(v)) > f.max {
			p.Add(f.name, directory.MsgMaxLen(f.max))
			continue
		}
		and = append(and, directory.Eq(f.attr, v))
	}
	switch status := query.Get("status"); status {
	case "":
	case "enabled", "disabled":
		q.form["status"] = status
		and = append(and, directory.Eq(directory.UserEnabled, status == "enabled"))
	default:
		p.Add("status", "must be enabled or disabled")
	}
	var filter directory.Expr
	if len(and) > 0 {
		filter = and
	}
	err := p.Err()
	var d usersListData
	if err == nil {
		d.Users, d.Pager, err = listPage(q, filter, c.dir.Users)
	}
	if err != nil {
		if fe, ok := formError(err); ok {
			q.errs = fe
			return q.render(http.StatusUnprocessableEntity, "users_list", "Users", d)
		}
		return err
	}
	return q.render(http.StatusOK, "users_list", "Users", d)
}

// user reads the {id} of the path.
func (c *console) user(q *request) (directory.User, error) {
	id, err := pathID(q, "user")
	if err != nil {
		return directory.User{}, err
	}
	return c.dir.User(q.ctx(), id)
}

// userForm fills a form with a user's values, for editing it.
func userForm(u *directory.User) map[string]string {
	return map[string]string{
		directory.FieldUsername:    u.Username,
		directory.FieldDisplayName: u.DisplayName,
		directory.FieldFirstName:   u.FirstName,
		directory.FieldLastName:    u.LastName,
		directory.FieldEmail:       u.Email,
		directory.FieldLocale:      u.Locale,
		"two_factor_required":      strconv.FormatBool(u.TwoFactorRequired),
		"version":                  strconv.FormatInt(u.Version, 10),
	}
}

// userChange reads the user form. Every text field is sent, so each sets
// its field; an unticked checkbox is not sent, and means false.
func userChange(q *request, withPassword bool) directory.UserChange {
	f := q.r.PostFormValue
	c := directory.UserChange{
		Username:          directory.To(strings.TrimSpace(f(directory.FieldUsername))),
		DisplayName:       directory.To(strings.TrimSpace(f(directory.FieldDisplayName))),
		FirstName:         directory.To(strings.TrimSpace(f(directory.FieldFirstName))),
		LastName:          directory.To(strings.TrimSpace(f(directory.FieldLastName))),
		Email:             directory.To(strings.TrimSpace(f(directory.FieldEmail))),
		TwoFactorRequired: directory.To(checked(q, "two_factor_required")),
	}
	if l := strings.TrimSpace(f(directory.FieldLocale)); l != "" {
		c.Locale = directory.To(l)
	}
	if withPassword && f(directory.FieldPassword) != "" {
		c.Password = directory.To(f(directory.FieldPassword))
	}
	return c
}

func (c *console) userNew(q *request) error {
	q.form = map[string]string{directory.FieldLocale: directory.DefaultLocale}
	return q.render(http.StatusOK, "users_new", "New user", nil)
}

// userCreate creates a local user; a display name left empty is made from
// the names, as the APIs do.
func (c *console) userCreate(q *request) error {
	in := directory.NewUser{Source: directory.SourceLocal, UserChange: userChange(q, true)}
	if in.DisplayName.Value == "" {
		in.DisplayName = directory.Set[string]{}
	}
	u, err := c.dir.CreateUser(q.ctx(), in)
	if err != nil {
		return q.refuse(err, "users_new", "New user", nil)
	}
	q.flash("User " + u.Username + " created.")
	return q.redirect(userPath(u.ID))
}

func (c *console) userEditPage(q *request) error {
	u, err := c.user(q)
	if err != nil {
		return err
	}
	q.form = userForm(&u)
	return q.render(http.StatusOK, "users_edit", "Edit "+u.Username, u)
}

// userEdit saves the form, refused when the user changed since the form
// was read (its version), so that no one's change is lost unseen.
func (c *console) userEdit(q *request) error {
	u, err := c.user(q)
	if err != nil {
		return err
	}
	version, err := formVersion(q)
	if err != nil {
		return q.refuse(err, "users_edit", "Edit "+u.Username, u)
	}
	if _, err := c.dir.UpdateUser(q.ctx(), u.ID, userChange(q, false), version); err != nil {
		return q.refuse(err, "users_edit", "Edit "+u.Username, u)
	}
	q.flash("User " + u.Username + " saved.")
	return q.redirect(userPath(u.ID))
}

// formVersion is the version of the record the form was read from.
func formVersion(q *request) (int64, error) {
	v, err := strconv.ParseInt(q.r.PostFormValue("version"), 10, 64)
	if err != nil || v < 1 {
		return 0, directory.Problems{"version": {"must be the version of the record the form was read from"}}.Err()
	}
	return v, nil
}

func (c *console) userSetEnabled(q *request) error {
	u, err := c.user(q)
	if err != nil {
		return err
	}
	enable, err := strconv.ParseBool(q.r.PostFormValue("enabled"))
	if err != nil {
		return directory.Problems{"enabled": {"must be true or false"}}.Err()
	}
	if _, err := c.dir.UpdateUser(q.ctx(), u.ID, directory.UserChange{Enabled: directory.To(enable)}, 0); err != nil {
		return err
	}
	if enable {
		q.flash("User " + u.Username + " enabled.")
	} else {
		q.flash("User " + u.Username + " disabled.")
	}
	return q.redirect(userPath(u.ID))
}

func (c *console) userPasswordPage(q *request) error {
	u, err := c.user(q)
	if err != nil {
		return err
	}
	return q.render(http.StatusOK, "users_password", "Reset the password of "+u.Username, u)
}

// userPassword sets a new password, which ends the user's sessions and
// tokens (the directory moves its secret generation).
func (c *console) userPassword(q *request) error {
	u, err := c.user(q)
	if err != nil {
		return err
	}
	title := "Reset the password of " + u.Username
	pw := q.r.PostFormValue(directory.FieldPassword)
	if pw == "" {
		return q.refuse(directory.Problems{directory.FieldPassword: {directory.MsgRequired}}.Err(), "users_password", title, u)
	}
	ch := directory.UserChange{Password: directory.To(pw),
		PasswordResetNextLogin: directory.To(checked(q, "password_reset_next_login"))}
	if _, err := c.dir.UpdateUser(q.ctx(), u.ID, ch, 0); err != nil {
		return q.refuse(err, "users_password", title, u)
	}
	q.flash("The password of " + u.Username + " was reset.")
	return q.redirect(userPath(u.ID))
}

func (c *console) userDeletePage(q *request) error {
	u, err := c.user(q)
	if err != nil {
		return err
	}
	return q.render(http.StatusOK, "users_delete", "Delete "+u.Username, u)
}

// userDelete deletes the user the confirmation page showed, not one that
// changed since (its version).
func (c *console) userDelete(q *request) error {
	u, err := c.user(q)
	if err != nil {
		return err
	}
	version, err := formVersion(q)
	if err == nil {
		err = c.dir.DeleteUserIf(q.ctx(), u.ID, version)
	}
	if err != nil {
		return q.refuse(err, "users_delete", "Delete "+u.Username, u)
	}
	q.flash("User " + u.Username + " deleted.")
	return q.redirect(Prefix + "/users")
}
