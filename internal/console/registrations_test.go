package console_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/gatehouse/gatehouse/internal/directory"
)

var registrationLink = regexp.MustCompile(`action="(/console/registrations/\d+)/rotate"|href="(/console/registrations/\d+)/rotate"`)

// createRegistration creates an API registration through the form and
// returns its page's path and the key shown once.
func (b *browser) createRegistration(form url.Values) (path, key string) {
	b.t.Helper()
	b.get("/console/registrations/new")
	p := b.post("/console/registrations", form)
	wantStatus(b.t, "create registration", p, http.StatusOK)
	wantBody(b.t, "created registration", p, "created.", "shown only this once", `data-copy="secret-value"`)
	m := registrationLink.FindStringSubmatch(p.Body)
	return m[1] + m[2], secretText.FindStringSubmatch(p.Body)[1]
}

// TestRegistrationsLifecycle creates a registration whose key, shown once,
// is the one stored; edits it; rotates the key; and deletes it after
// confirming.
func TestRegistrationsLifecycle(t *testing.T) {
	srv, b := signedIn(t)
	path, key := b.createRegistration(url.Values{"name": {"jenkins"}, "ip_addresses": {"192.0.2.0/24"}, "user_password_required": {"true"}})
	svc := srv.Service()
	r, err := svc.APIRegistrationByKey(context.Background(), key)
	if err != nil || r.Name != "jenkins" || !r.UserPasswordRequired {
		t.Fatalf("the key shown is not the registration's: %+v %v", r, err)
	}
	p := b.get(path)
	wantStatus(t, "registration page", p, http.StatusOK)
	wantBody(t, "registration page", p, "<h1>jenkins</h1>", "192.0.2.0/24", "<dt>User password required</dt><dd>yes</dd>", "api_registration.create")
	if strings.Contains(p.Body, key) {
		t.Fatal("the registration's page shows the key again")
	}
	wantBody(t, "list", b.get("/console/registrations?name=JEN"), ">jenkins</a>", "Showing 1–1")

	p = b.get(path + "/edit")
	wantBody(t, "edit page", p, "192.0.2.0/24</textarea>", `name="user_password_required" value="true" checked`)
	wantStatus(t, "edit", b.post(path+"/edit", url.Values{"ip_addresses": {"198.51.100.7, 203.0.113.0/24"}}), http.StatusSeeOther)
	wantBody(t, "edited", b.get(path), "API registration jenkins saved.", "198.51.100.7<br>203.0.113.0/24", "<dd>no</dd>", "api_registration.update")
	p = b.post(path+"/edit", url.Values{"ip_addresses": {"not an address"}})
	wantStatus(t, "bad address", p, http.StatusUnprocessableEntity)
	wantBody(t, "bad address", p, "ip_addresses must be IP addresses or CIDR prefixes", "not an address</textarea>")

	wantBody(t, "rotate page", b.get(path+"/rotate"), "Rotate the key of jenkins?")
	p = b.post(path+"/rotate", url.Values{})
	wantStatus(t, "rotate", p, http.StatusOK)
	wantBody(t, "rotated", p, "The key of jenkins was rotated")
	rotated := secretText.FindStringSubmatch(p.Body)[1]
	if _, err := svc.APIRegistrationByKey(context.Background(), key); !directory.IsKind(err, directory.KindNotFound) {
		t.Fatalf("the old key still finds the registration: %v", err)
	}
	if r, err := svc.APIRegistrationByKey(context.Background(), rotated); err != nil || r.Name != "jenkins" {
		t.Fatalf("the new key: %+v %v", r, err)
	}

	wantBody(t, "delete page", b.get(path+"/delete"), "Delete jenkins?")
	wantStatus(t, "delete", b.post(path+"/delete", url.Values{}), http.StatusSeeOther)
	wantBody(t, "deleted", b.get("/console/registrations"), "API registration jenkins deleted.", "Nothing to show.")
	wantStatus(t, "deleted page", b.get(path), http.StatusNotFound)
	wantStatus(t, "delete again", b.post(path+"/delete", url.Values{}), http.StatusNotFound)
}

// TestRegistrationFormErrors shows the directory's messages beside their
// fields; bad ids are not found.
func TestRegistrationFormErrors(t *testing.T) {
	_, b := signedIn(t)
	b.createRegistration(url.Values{"name": {"taken"}})
	b.get("/console/registrations/new")
	for _, tc := range []struct {
		name string
		form url.Values
		want []string
	}{
		{"empty name", url.Values{"name": {""}, "ip_addresses": {"10.1.1.1"}}, []string{"The given data was invalid.", "name field is required", "10.1.1.1</textarea>"}},
		{"taken name", url.Values{"name": {"TAKEN"}}, []string{"name has already been taken"}},
		{"long name", url.Values{"name": {strings.Repeat("n", 256)}}, []string{"name may not be greater than 255 characters"}},
		{"bad address", url.Values{"name": {"x"}, "ip_addresses": {"10.0.0.300"}}, []string{"ip_addresses must be IP addresses or CIDR prefixes"}},
	} {
		p := b.post("/console/registrations", tc.form)
		wantStatus(t, tc.name, p, http.StatusUnprocessableEntity)
		wantBody(t, tc.name, p, tc.want...)
		if strings.Contains(p.Body, "secret-value") {
			t.Fatalf("%s: a refused form shows a key", tc.name)
		}
	}
	for _, p := range []string{"/console/registrations/abc", "/console/registrations/0", "/console/registrations/99999999/edit"} {
		wantStatus(t, p, b.get(p), http.StatusNotFound)
	}
	for _, q := range []string{"page=x", "per_page=0", "name=" + strings.Repeat("a", 256)} {
		wantStatus(t, q, b.get("/console/registrations?"+q), http.StatusUnprocessableEntity)
	}
}
