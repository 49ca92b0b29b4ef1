package console_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/gatehouse/gatehouse/internal/directory"
)

var teamLink = regexp.MustCompile(`^/console/teams/(\d+)$`)

func (b *browser) createTeam(form url.Values) string {
	b.t.Helper()
	b.get("/console/teams/new")
	p := b.post("/console/teams", form)
	wantStatus(b.t, "create team", p, http.StatusSeeOther)
	if !teamLink.MatchString(p.location()) {
		b.t.Fatalf("create redirects to %q", p.location())
	}
	return p.location()
}

// TestTeamsLifecycle creates a team, lists and edits it, adds a user found
// by name with a role, changes the role, removes the user, and deletes
// the team after confirming.
func TestTeamsLifecycle(t *testing.T) {
	srv, b := signedIn(t)
	path := b.createTeam(url.Values{"name": {"Night shift"}, "code_name": {"night_shift"}, "comments": {"after hours"}})
	p := b.get(path)
	wantStatus(t, "team page", p, http.StatusOK)
	wantBody(t, "team page", p, "Team Night shift created.", "<h1>Night shift</h1>", "night_shift", "after hours", "No users on this team.", "team.create")
	wantBody(t, "list", b.get("/console/teams?name=night"), ">Night shift</a>", "Showing 1–1")

	wantBody(t, "edit page", b.get(path+"/edit"), `value="Night shift"`, ">after hours</textarea>")
	wantStatus(t, "edit", b.post(path+"/edit", url.Values{"name": {"Nights"}, "code_name": {"nights"}, "comments": {""}}), http.StatusSeeOther)
	wantBody(t, "edited", b.get(path), "Team Night shift saved.", "<h1>Nights</h1>", "team.update")

	b.createUser("bob")
	bob := userByName(t, srv, "bob")
	wantBody(t, "user search", b.get(path+"?user=B"), "Add bob</button>", `aria-label="Role for bob"`)
	wantStatus(t, "add bob", b.post(path+"/users", url.Values{"user_id": {fmt.Sprint(bob.ID)}, "role": {"lead"}}), http.StatusSeeOther)
	p = b.get(path)
	wantBody(t, "bob on the team", p, "bob added to Nights.", ">bob</a>", `<option value="lead" selected>`, "team.user.add")
	p = b.post(path+"/users", url.Values{"user_id": {fmt.Sprint(bob.ID)}, "role": {"member"}})
	wantStatus(t, "add bob twice", p, http.StatusUnprocessableEntity)
	wantBody(t, "add bob twice", p, "user_id is already on this team")

	userPath := fmt.Sprintf("%s/users/%d", path, bob.ID)
	wantStatus(t, "change role", b.post(userPath+"/role", url.Values{"role": {"manager"}}), http.StatusSeeOther)
	wantBody(t, "role changed", b.get(path), "Role changed to manager.", `<option value="manager" selected>`, "team.user.update")
	// The user's page lists the teams it is on, with its role there, and no other.
	dayShift := b.createTeam(url.Values{"name": {"Day shift"}, "code_name": {"day_shift"}})
	p = b.get(fmt.Sprintf("/console/users/%d", bob.ID))
	wantBody(t, "bob's teams", p, fmt.Sprintf(`<a href="%s">Nights</a></td><td>manager</td>`, path))
	if strings.Contains(p.Body, ">Day shift</a>") {
		t.Fatal("the user's page lists a team the user is not on")
	}
	wantStatus(t, "delete the day shift", b.post(dayShift+"/delete", url.Values{}), http.StatusSeeOther)
	p = b.post(userPath+"/role", url.Values{"role": {"boss"}})
	wantStatus(t, "bad role", p, http.StatusUnprocessableEntity)
	wantBody(t, "bad role", p, "role must be one of member, lead or manager")

	wantStatus(t, "remove", b.post(userPath+"/remove", url.Values{}), http.StatusSeeOther)
	wantBody(t, "removed", b.get(path), "User removed from Nights.", "No users on this team.", "team.user.remove")
	wantStatus(t, "remove again", b.post(userPath+"/remove", url.Values{}), http.StatusNotFound)

	wantBody(t, "delete page", b.get(path+"/delete"), "Delete Nights?")
	wantStatus(t, "delete", b.post(path+"/delete", url.Values{}), http.StatusSeeOther)
	wantBody(t, "deleted", b.get("/console/teams"), "Team Nights deleted.")
	wantStatus(t, "deleted page", b.get(path), http.StatusNotFound)
	if n, _ := srv.Service().Teams(context.Background(), directory.Query{}); n.Total != 0 {
		t.Fatalf("%d teams left", n.Total)
	}
}

// TestTeamFormErrors shows the directory's messages beside their fields;
// bad ids, users and roles are refused.
func TestTeamFormErrors(t *testing.T) {
	_, b := signedIn(t)
	path := b.createTeam(url.Values{"name": {"Taken"}, "code_name": {"taken"}})
	b.get("/console/teams/new")
	for _, tc := range []struct {
		name string
		form url.Values
		want []string
	}{
		{"empty name", url.Values{"name": {""}, "code_name": {"kept"}}, []string{"The given data was invalid.", "name field is required", `value="kept"`}},
		{"taken code name", url.Values{"name": {"Other"}, "code_name": {"taken"}}, []string{"code_name has already been taken"}},
		{"bad code name", url.Values{"name": {"x"}, "code_name": {"no spaces"}}, []string{"code_name may only contain letters, numbers, dashes and underscores"}},
		{"long comments", url.Values{"name": {"x"}, "code_name": {"x"}, "comments": {strings.Repeat("c", 4097)}}, []string{"comments may not be greater than 4096 characters"}},
	} {
		p := b.post("/console/teams", tc.form)
		wantStatus(t, tc.name, p, http.StatusUnprocessableEntity)
		wantBody(t, tc.name, p, tc.want...)
	}
	b.get(path)
	for name, tc := range map[string]struct {
		form url.Values
		want string
	}{
		"no user":      {url.Values{"role": {"member"}}, "user_id must be a whole number"},
		"unknown user": {url.Values{"user_id": {"424242"}}, "user_id does not exist"},
	} {
		p := b.post(path+"/users", tc.form)
		wantStatus(t, name, p, http.StatusUnprocessableEntity)
		wantBody(t, name, p, tc.want)
	}
	for _, p := range []string{"/console/teams/abc", "/console/teams/0", "/console/teams/99999999/edit"} {
		wantStatus(t, p, b.get(p), http.StatusNotFound)
	}
	for _, p := range []string{path + "/users/x/role", path + "/users/424242/remove", "/console/teams/99999999/delete"} {
		wantStatus(t, p, b.post(p, url.Values{"role": {"member"}}), http.StatusNotFound)
	}
	for _, q := range []string{"page=0", "per_page=x", "name=" + strings.Repeat("a", 256)} {
		wantStatus(t, q, b.get("/console/teams?"+q), http.StatusUnprocessableEntity)
	}
}
