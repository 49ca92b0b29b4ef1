package console

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/gatehouse/gatehouse/internal/directory"
)

// BeyondInsight API registrations: keys that, in a PS-Auth header with a
// run-as user, sign that user in. Which users may use one is said by the
// user groups that hold it (the groups' pages).
func (c *console) registrationsRoutes() {
	c.page("GET "+Prefix+"/registrations", c.registrationsList)
	c.page("GET "+Prefix+"/registrations/new", c.registrationNew)
	c.page("POST "+Prefix+"/registrations", c.registrationCreate)
	c.page("GET "+Prefix+"/registrations/{id}", c.registrationShow)
	c.page("GET "+Prefix+"/registrations/{id}/edit", c.registrationEditPage)
	c.page("POST "+Prefix+"/registrations/{id}/edit", c.registrationEdit)
	c.page("GET "+Prefix+"/registrations/{id}/rotate", c.registrationRotatePage)
	c.page("POST "+Prefix+"/registrations/{id}/rotate", c.registrationRotate)
	c.page("GET "+Prefix+"/registrations/{id}/delete", c.registrationDeletePage)
	c.page("POST "+Prefix+"/registrations/{id}/delete", c.registrationDelete)
}

func registrationPath(id int64) string { return Prefix + "/registrations/" + strconv.FormatInt(id, 10) }

type registrationsListData struct {
	Registrations []directory.APIRegistration
	Pager         pager
}

func (c *console) registrationsList(q *request) error {
	q.form = map[string]string{}
	p := directory.Problems{}
	filter := nameSearch(q, directory.RegistrationName, p)
	var d registrationsListData
	err := p.Err()
	if err == nil {
		d.Registrations, d.Pager, err = listPage(q, filter, c.dir.APIRegistrations)
	}
	return q.list(err, "registrations_list", "API registrations", d)
}

func (c *console) registration(q *request) (directory.APIRegistration, error) {
	id, err := pathID(q, "API registration")
	if err != nil {
		return directory.APIRegistration{}, err
	}
	return c.dir.APIRegistration(q.ctx(), id)
}

type registrationData struct {
	Registration directory.APIRegistration
	Events       []eventRow
	// Key and Notice are only on the page that answers a create or a
	// rotation (see accountData).
	Key    *secretView
	Notice string
}

func (c *console) registrationShow(q *request) error {
	r, err := c.registration(q)
	if err != nil {
		return err
	}
	return c.showRegistration(q, r, registrationData{})
}

func (c *console) showRegistration(q *request, r directory.APIRegistration, d registrationData) error {
	events, err := c.dir.Audit(q.ctx(), directory.AuditFilter{TargetType: "api_registration", TargetID: r.ID, Limit: recordEvents})
	if err != nil {
		return err
	}
	d.Registration, d.Events = r, eventRows(events.Items)
	return q.render(http.StatusOK, "registrations_show", r.Name, d)
}

func registrationForm(r *directory.APIRegistration) map[string]string {
	return map[string]string{directory.FieldName: r.Name, "ip_addresses": strings.Join(r.IPAllow, "\n"),
		"user_password_required": boolText(r.UserPasswordRequired)}
}

func registrationInput(q *request) directory.NewAPIRegistration {
	return directory.NewAPIRegistration{Name: strings.TrimSpace(q.r.PostFormValue(directory.FieldName)),
		IPAllow: addressList(q.r.PostFormValue("ip_addresses")), UserPasswordRequired: checked(q, "user_password_required")}
}

func (c *console) registrationNew(q *request) error {
	return q.render(http.StatusOK, "registrations_new", "New API registration", nil)
}

// registrationCreate creates the registration and answers with its key,
// shown this once.
func (c *console) registrationCreate(q *request) error {
	r, key, err := c.dir.CreateAPIRegistration(q.ctx(), registrationInput(q))
	if err != nil {
		return q.refuse(err, "registrations_new", "New API registration", nil)
	}
	return c.showRegistration(q, r, registrationData{Key: &secretView{Label: "Key", Value: key},
		Notice: "API registration " + r.Name + " created. Give it to a user group so that the group's members may sign in with it."})
}

func (c *console) registrationEditPage(q *request) error {
	r, err := c.registration(q)
	if err != nil {
		return err
	}
	q.form = registrationForm(&r)
	return q.render(http.StatusOK, "registrations_edit", "Edit "+r.Name, r)
}

// registrationEdit changes the allowed addresses and whether the run-as
// user's password is required; the name is fixed, as BeyondInsight's is.
func (c *console) registrationEdit(q *request) error {
	r, err := c.registration(q)
	if err != nil {
		return err
	}
	in := registrationInput(q)
	if _, err := c.dir.UpdateAPIRegistration(q.ctx(), r.ID, directory.APIRegistrationChange{IPAllow: directory.To(in.IPAllow),
		UserPasswordRequired: directory.To(in.UserPasswordRequired)}); err != nil {
		q.form = registrationForm(&r)
		q.form["ip_addresses"] = q.r.PostFormValue("ip_addresses")
		q.form["user_password_required"] = boolText(in.UserPasswordRequired)
		return q.refuse(err, "registrations_edit", "Edit "+r.Name, r)
	}
	q.flash("API registration " + r.Name + " saved.")
	return q.redirect(registrationPath(r.ID))
}

func (c *console) registrationRotatePage(q *request) error {
	r, err := c.registration(q)
	if err != nil {
		return err
	}
	return q.render(http.StatusOK, "registrations_rotate", "Rotate the key of "+r.Name, r)
}

func (c *console) registrationRotate(q *request) error {
	r, err := c.registration(q)
	if err != nil {
		return err
	}
	r, key, err := c.dir.RotateRegistrationKey(q.ctx(), r.ID)
	if err != nil {
		return err
	}
	return c.showRegistration(q, r, registrationData{Key: &secretView{Label: "Key", Value: key},
		Notice: "The key of " + r.Name + " was rotated: the old key signs no one in now."})
}

func (c *console) registrationDeletePage(q *request) error {
	r, err := c.registration(q)
	if err != nil {
		return err
	}
	return q.render(http.StatusOK, "registrations_delete", "Delete "+r.Name, r)
}

func (c *console) registrationDelete(q *request) error {
	r, err := c.registration(q)
	if err != nil {
		return err
	}
	if err := c.dir.DeleteAPIRegistration(q.ctx(), r.ID); err != nil {
		return err
	}
	q.flash("API registration " + r.Name + " deleted.")
	return q.redirect(Prefix + "/registrations")
}
