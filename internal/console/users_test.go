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
	"github.com/gatehouse/gatehouse/internal/testserver"
)

// signedIn starts a server with an administrator signed in.
func signedIn(t *testing.T, opts ...testserver.Option) (*testserver.Server, *browser) {
	t.Helper()
	srv := testserver.New(t, opts...)
	newAdmin(t, srv, "root", false)
	b := newBrowser(t, srv)
	b.signIn("root", adminPassword)
	return srv, b
}

var userLink = regexp.MustCompile(`/console/users/(\d+)$`)

// createUser creates a user through the form and returns its page's path.
func (b *browser) createUser(name string) string {
	b.t.Helper()
	b.get("/console/users/new")
	p := b.post("/console/users", url.Values{"username": {name}, "display_name": {name + " display"},
		"email": {name + "@example.com"}, "locale": {"en-us"}, "password": {"a long enough password"}})
	wantStatus(b.t, "create "+name, p, http.StatusSeeOther)
	if !userLink.MatchString(p.location()) {
		b.t.Fatalf("create redirects to %q", p.location())
	}
	return p.location()
}

// TestUsersLifecycle creates, lists, searches, edits, disables, enables,
// resets the password of and deletes a user, each through its form, and
// reads the user's audit history.
func TestUsersLifecycle(t *testing.T) {
	srv, b := signedIn(t)
	path := b.createUser("alice")
	p := b.get(path)
	wantStatus(t, "user page", p, http.StatusOK)
	wantBody(t, "user page", p, "User alice created.", "<h1>alice</h1>", "alice@example.com", "user.create")

	p = b.get("/console/users?username=ALICE")
	wantStatus(t, "search", p, http.StatusOK)
	wantBody(t, "search", p, `href="/console/users/`, ">alice</a>", "Showing 1–1")
	if strings.Contains(p.Body, ">root</a>") {
		t.Fatal("search for alice lists root")
	}
	p = b.get("/console/users?status=disabled")
	wantStatus(t, "search disabled", p, http.StatusOK)
	wantBody(t, "search disabled", p, "Nothing to show.")

	p = b.get(path + "/edit")
	wantStatus(t, "edit page", p, http.StatusOK)
	version := regexp.MustCompile(`name="version" value="(\d+)"`).FindStringSubmatch(p.Body)[1]
	edit := url.Values{"username": {"alice"}, "display_name": {"Alice A."}, "first_name": {"Alice"}, "last_name": {""},
		"email": {"alice@example.org"}, "locale": {"en-us"}, "two_factor_required": {"true"}, "version": {version}}
	p = b.post(path+"/edit", edit)
	wantStatus(t, "edit", p, http.StatusSeeOther)
	p = b.get(path)
	wantBody(t, "edited user", p, "User alice saved.", "Alice A.", "alice@example.org", "user.update")

	// The form read before the edit is stale now.
	b.get(path + "/edit")
	p = b.post(path+"/edit", edit)
	wantStatus(t, "stale edit", p, http.StatusUnprocessableEntity)
	wantBody(t, "stale edit", p, "The record was changed by another request at the same time; retry.")

	b.get(path)
	p = b.post(path+"/enabled", url.Values{"enabled": {"false"}})
	wantStatus(t, "disable", p, http.StatusSeeOther)
	wantBody(t, "disabled", b.get(path), "User alice disabled.", "<dd>disabled")
	b.post(path+"/enabled", url.Values{"enabled": {"true"}})
	wantBody(t, "enabled", b.get(path), "User alice enabled.", "<dd>enabled")

	b.get(path + "/password")
	p = b.post(path+"/password", url.Values{"password": {"a new long password"}})
	wantStatus(t, "reset password", p, http.StatusSeeOther)
	u := userByName(t, srv, "alice")
	if ok, err := srv.Service().CheckPassword(context.Background(), u, "a new long password"); err != nil || !ok {
		t.Fatalf("new password not set: %v %v", ok, err)
	}

	p = b.get(path + "/delete")
	wantStatus(t, "delete confirmation", p, http.StatusOK)
	wantBody(t, "delete confirmation", p, "Delete alice?", "cannot be undone")
	p = b.post(path+"/delete", url.Values{"version": {fmt.Sprint(u.Version)}})
	wantStatus(t, "delete", p, http.StatusSeeOther)
	wantStatus(t, "deleted user", b.get(path), http.StatusNotFound)
}

func userByName(t *testing.T, srv *testserver.Server, name string) directory.User {
	t.Helper()
	u, err := srv.Service().UserByName(context.Background(), name)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

// TestUserFormErrors shows the directory's messages beside their fields,
// as the APIs word them, and keeps what was typed (never a password).
func TestUserFormErrors(t *testing.T) {
	_, b := signedIn(t)
	b.createUser("taken")
	b.get("/console/users/new")
	for _, tc := range []struct {
		name string
		form url.Values
		want []string
	}{
		{"empty username", url.Values{"username": {""}, "email": {"x@example.com"}},
			[]string{"The given data was invalid.", `href="#f-username"`, "username field is required", `value="x@example.com"`}},
		{"bad email", url.Values{"username": {"bob"}, "email": {"not an address"}, "password": {"a long enough password"}},
			[]string{"email must be a valid email address", `aria-invalid="true"`}},
		{"short password", url.Values{"username": {"bob"}, "password": {"short"}}, []string{"password must be at least"}},
		{"taken username", url.Values{"username": {"TAKEN"}}, []string{"username has already been taken"}},
		{"bad locale", url.Values{"username": {"bob"}, "locale": {"klingon!"}}, []string{"locale "}},
	} {
		p := b.post("/console/users", tc.form)
		wantStatus(t, tc.name, p, http.StatusUnprocessableEntity)
		wantBody(t, tc.name, p, tc.want...)
		if strings.Contains(p.Body, "a long enough password") {
			t.Fatalf("%s: the password is shown again", tc.name)
		}
	}
}

// TestUserBadInput: ids that are not ids, unknown users, bad search and
// paging parameters, and bad version and group fields are refused.
func TestUserBadInput(t *testing.T) {
	_, b := signedIn(t)
	path := b.createUser("carol")
	for _, p := range []string{"/console/users/abc", "/console/users/0", "/console/users/99999999",
		"/console/users/-1/edit", "/console/users/99999999/delete", "/console/nowhere"} {
		wantStatus(t, p, b.get(p), http.StatusNotFound)
	}
	for _, q := range []string{"page=0", "page=x", "per_page=1000", "status=maybe",
		"username=" + strings.Repeat("a", 65)} {
		wantStatus(t, q, b.get("/console/users?"+q), http.StatusUnprocessableEntity)
	}
	b.get(path)
	for name, form := range map[string]url.Values{
		"no version":   {"username": {"carol"}},
		"bad version":  {"username": {"carol"}, "version": {"x"}},
		"zero version": {"username": {"carol"}, "version": {"0"}},
	} {
		wantStatus(t, name, b.post(path+"/edit", form), http.StatusUnprocessableEntity)
	}
	wantStatus(t, "delete without version", b.post(path+"/delete", url.Values{}), http.StatusUnprocessableEntity)
	for name, form := range map[string]url.Values{
		"nothing":       {},
		"bad group":     {"add": {"x"}},
		"unknown group": {"add": {"424242"}},
	} {
		wantStatus(t, name, b.post(path+"/groups", form), http.StatusUnprocessableEntity)
	}
	wantStatus(t, "missing password", b.post(path+"/password", url.Values{"password": {""}}), http.StatusUnprocessableEntity)
	for _, v := range []string{"", "maybe"} {
		p := b.post(path+"/enabled", url.Values{"enabled": {v}})
		wantStatus(t, "enabled="+v, p, http.StatusUnprocessableEntity)
		wantBody(t, "enabled="+v, p, "enabled must be true or false")
	}
}

// TestUsersPaging pages through more users than a page holds.
func TestUsersPaging(t *testing.T) {
	srv, b := signedIn(t)
	ctx := directory.WithActor(context.Background(), directory.Actor{Kind: directory.ActorCLI})
	for i := range 30 {
		if _, err := srv.Service().CreateUser(ctx, directory.NewUser{UserChange: directory.UserChange{
			Username: directory.To(fmt.Sprintf("user%02d", i))}}); err != nil {
			t.Fatal(err)
		}
	}
	p := b.get("/console/users?per_page=25")
	wantBody(t, "first page", p, "Showing 1–25 of 31", `rel="next"`, ">user23</a>")
	p = b.get("/console/users?per_page=25&page=2")
	wantBody(t, "second page", p, "Showing 26–31 of 31", `rel="prev"`, ">user29</a>")
	if strings.Contains(p.Body, `rel="next"`) {
		t.Fatal("last page links a next one")
	}
	p = b.get("/console/users?per_page=25&page=9")
	wantBody(t, "past the end", p, "Nothing to show.")
	p = b.get("/console/users?status=enabled&per_page=25")
	wantBody(t, "filtered", p, "Showing 1–25", `rel="next"`)
}

// TestUserGroupsAndAdmins adds a user to a group policy and removes it, and
// shows the directory's refusal to change an administrator from here.
func TestUserGroupsAndAdmins(t *testing.T) {
	srv, b := signedIn(t)
	ctx := directory.WithActor(context.Background(), directory.Actor{Kind: directory.ActorCLI})
	g, err := srv.Service().CreateGroup(ctx, directory.NewGroup{GroupChange: directory.GroupChange{Name: directory.To("Support")}})
	if err != nil {
		t.Fatal(err)
	}
	path := b.createUser("dave")
	p := b.get(path)
	wantBody(t, "user page", p, "Not in any group policy.", `<option value="`+fmt.Sprint(g.ID)+`">Support</option>`)
	p = b.post(path+"/groups", url.Values{"add": {fmt.Sprint(g.ID)}})
	wantStatus(t, "add to group", p, http.StatusSeeOther)
	p = b.get(path)
	wantBody(t, "member", p, "dave added to the group policy.", ">Support</a>", "user.group_policies.change")
	b.post(path+"/groups", url.Values{"remove": {fmt.Sprint(g.ID)}})
	wantBody(t, "removed", b.get(path), "Not in any group policy.")

	root := userByName(t, srv, "root")
	rootPath := fmt.Sprintf("/console/users/%d", root.ID)
	b.get(rootPath)
	p = b.post(rootPath+"/enabled", url.Values{"enabled": {"false"}})
	wantStatus(t, "disable an administrator", p, http.StatusUnprocessableEntity)
	wantBody(t, "disable an administrator", p, "administrators")
	p = b.post(rootPath+"/delete", url.Values{"version": {fmt.Sprint(root.Version)}})
	wantStatus(t, "delete an administrator", p, http.StatusUnprocessableEntity)
	if u := userByName(t, srv, "root"); !u.Enabled {
		t.Fatal("the administrator was disabled")
	}
}
