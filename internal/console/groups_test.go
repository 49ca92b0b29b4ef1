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

var groupLink = regexp.MustCompile(`^/console/groups/(\d+)$`)

// groupForm is a complete group form as the new page sends it.
func groupForm(name string) url.Values {
	return url.Values{"name": {name}, "description": {"for " + name}, "access_status": {"defined"},
		"access_allowed": {"true"}, "remote_rdp": {"true"}, "session_idle_timeout": {"900"},
		"default_jump_item_role_id": {"1"}, "private_jump_item_role_id": {"1"}, "inferior_jump_item_role_id": {"1"},
		"unassigned_jump_item_role_id": {"2"}, "active": {"true"}, "permission_1": {"3"}, "permission_2": {"0"},
		"external_id": {"ext-" + name}}
}

// createGroup creates a group through the form and returns its page's path.
func (b *browser) createGroup(form url.Values) string {
	b.t.Helper()
	b.get("/console/groups/new")
	p := b.post("/console/groups", form)
	wantStatus(b.t, "create group", p, http.StatusSeeOther)
	if !groupLink.MatchString(p.location()) {
		b.t.Fatalf("create redirects to %q", p.location())
	}
	return p.location()
}

func cliCtx() context.Context {
	return directory.WithActor(context.Background(), directory.Actor{Kind: directory.ActorCLI})
}

// TestGroupsLifecycle creates a group with each face's fields, lists and
// searches it, edits it, adds a user found by name and an external group,
// removes them, and deletes it after confirming.
func TestGroupsLifecycle(t *testing.T) {
	srv, b := signedIn(t)
	reg, _, err := srv.Service().CreateAPIRegistration(cliCtx(), directory.NewAPIRegistration{Name: "ci key"})
	if err != nil {
		t.Fatal(err)
	}
	form := groupForm("Support")
	form.Set("registration", fmt.Sprint(reg.ID))
	path := b.createGroup(form)
	id := groupLink.FindStringSubmatch(path)[1]

	p := b.get(path)
	wantStatus(t, "group page", p, http.StatusOK)
	wantBody(t, "group page", p, "Group Support created.", "<h1>Support</h1>", "for Support", "<dd>defined</dd>",
		"User Accounts Management: Read/write", ">ci key</a>", "ext-Support", "No members.", "group.create")
	g, err := srv.Service().Group(context.Background(), mustInt(t, id))
	if err != nil {
		t.Fatal(err)
	}
	if !g.Access.AccessAllowed || !g.Access.RemoteRDP || g.Access.ShellJump || g.Access.SessionIdleTimeout != 900 ||
		g.Access.UnassignedJumpItemRoleID != 2 || !g.Active || len(g.RegistrationIDs) != 1 {
		t.Fatalf("stored group %+v", g)
	}

	p = b.get("/console/groups?name=supp")
	wantStatus(t, "search", p, http.StatusOK)
	wantBody(t, "search", p, ">Support</a>", "Showing 1–1", "ext-Support", "1 permission(s)")
	wantBody(t, "search by source", b.get("/console/groups?source=scim"), "Nothing to show.")

	p = b.get(path + "/edit")
	wantStatus(t, "edit page", p, http.StatusOK)
	wantBody(t, "edit page", p, `value="Support"`, `<option value="900" selected>`, `id="f-remote_rdp" name="remote_rdp" value="true" checked`,
		`name="registration" value="`+fmt.Sprint(reg.ID)+`" checked`)
	version := regexp.MustCompile(`name="version" value="(\d+)"`).FindStringSubmatch(p.Body)[1]
	edit := groupForm("Support desk")
	edit.Set("access_status", "final")
	edit.Del("active")
	edit.Set("version", version)
	wantStatus(t, "edit", b.post(path+"/edit", edit), http.StatusSeeOther)
	wantBody(t, "edited", b.get(path), "Group Support saved.", "<h1>Support desk</h1>", "<dd>final</dd>", "inactive", "group.update")
	b.get(path + "/edit")
	wantStatus(t, "stale edit", b.post(path+"/edit", edit), http.StatusUnprocessableEntity)

	// Members: a user found by the start of its name, then an external group.
	b.createUser("alice")
	b.createUser("alfred")
	p = b.get(path + "?user=AL")
	wantBody(t, "user search", p, "Add alice</button>", "Add alfred</button>")
	alice := userByName(t, srv, "alice")
	p = b.post(path+"/members", url.Values{"user_id": {fmt.Sprint(alice.ID)}})
	wantStatus(t, "add alice", p, http.StatusSeeOther)
	p = b.get(path)
	wantBody(t, "member", p, "alice added to Support desk.", ">alice</a>", "Remove alice", "group.member.add")
	if ids, _ := srv.Service().UserGroupIDs(context.Background(), []int64{alice.ID}); len(ids[alice.ID]) != 1 {
		t.Fatalf("alice is in %v", ids)
	}
	p = b.post(path+"/members", url.Values{"user_id": {fmt.Sprint(alice.ID)}})
	wantStatus(t, "add alice twice", p, http.StatusUnprocessableEntity)

	// A SCIM group brings the SCIM provider, whose external groups are members by name.
	if _, err := srv.Service().CreateGroup(cliCtx(), directory.NewGroup{Source: directory.SourceSCIM,
		GroupChange: directory.GroupChange{Name: directory.To("okta-admins")}}); err != nil {
		t.Fatal(err)
	}
	p = b.get(path)
	prov := regexp.MustCompile(`<option value="(\d+)"[^>]*>[^<]*\(scim\)</option>`).FindStringSubmatch(p.Body)
	if prov == nil {
		t.Fatalf("no SCIM provider offered:\n%s", p.Body)
	}
	p = b.post(path+"/members", url.Values{"security_provider_id": {prov[1]}, "group_name": {"Okta Support"}})
	wantStatus(t, "add external group", p, http.StatusSeeOther)
	p = b.get(path)
	wantBody(t, "external member", p, "Okta Support added", "<td>external group</td>")
	p = b.post(path+"/members", url.Values{"security_provider_id": {prov[1]}})
	wantStatus(t, "external group without a name", p, http.StatusUnprocessableEntity)
	wantBody(t, "external group without a name", p, "group_name must be given")

	members, err := srv.Service().Members(context.Background(), g.ID, directory.Query{Limit: 10})
	if err != nil || len(members.Items) != 2 {
		t.Fatalf("members %v %v", members, err)
	}
	for _, m := range members.Items {
		wantStatus(t, "remove member", b.post(fmt.Sprintf("%s/members/%d/remove", path, m.ID), url.Values{}), http.StatusSeeOther)
	}
	wantBody(t, "no members", b.get(path), "No members.", "group.member.remove")
	wantStatus(t, "remove again", b.post(fmt.Sprintf("%s/members/%d/remove", path, members.Items[0].ID), url.Values{}), http.StatusNotFound)

	p = b.get(path + "/delete")
	wantStatus(t, "delete page", p, http.StatusOK)
	wantBody(t, "delete page", p, "Delete Support desk?", `name="version"`)
	version = regexp.MustCompile(`name="version" value="(\d+)"`).FindStringSubmatch(p.Body)[1]
	wantStatus(t, "delete", b.post(path+"/delete", url.Values{"version": {version}}), http.StatusSeeOther)
	wantBody(t, "deleted", b.get("/console/groups"), "Group Support desk deleted.")
	wantStatus(t, "deleted page", b.get(path), http.StatusNotFound)
}

func mustInt(t *testing.T, s string) int64 {
	t.Helper()
	var n int64
	if _, err := fmt.Sscan(s, &n); err != nil {
		t.Fatal(err)
	}
	return n
}

// TestGroupFormErrors shows the directory's messages beside their fields
// and the form's own for what is not a number, keeping what was typed.
func TestGroupFormErrors(t *testing.T) {
	srv, b := signedIn(t)
	b.createGroup(groupForm("Taken"))
	b.get("/console/groups/new")
	for _, tc := range []struct {
		name string
		set  map[string]string
		want []string
	}{
		{"empty name", map[string]string{"name": ""}, []string{"The given data was invalid.", `href="#f-name"`, "name field is required", `>for empty name</textarea>`}},
		{"taken name", map[string]string{"name": "TAKEN"}, []string{"name has already been taken"}},
		{"long name", map[string]string{"name": strings.Repeat("n", 256)}, []string{"name may not be greater than 255 characters"}},
		{"bad status", map[string]string{"access_status": "sometimes"}, []string{"access_status must be one of not_defined, defined or final"}},
		{"bad timeout", map[string]string{"session_idle_timeout": "17"}, []string{"session_idle_timeout must be one of -1, 0, 300"}},
		{"timeout not a number", map[string]string{"session_idle_timeout": "soon"}, []string{"session_idle_timeout must be a whole number"}},
		{"bad role id", map[string]string{"default_jump_item_role_id": "0"}, []string{"default_jump_item_role_id must be between 1 and 2147483647"}},
		{"role id not a number", map[string]string{"private_jump_item_role_id": "x"}, []string{"private_jump_item_role_id must be a whole number"}},
		{"bad level", map[string]string{"permission_1": "2"}, []string{"permissions access levels must be 0 (none), 1 (read) or 3 (read/write)"}},
		{"unknown registration", map[string]string{"registration": "4242"}, []string{"application_registration_ids must name API registrations that exist; 4242 does not"}},
		{"registration not a number", map[string]string{"registration": "x"}, []string{"application_registration_ids must be API registration ids"}},
		{"NUL in description", map[string]string{"description": "a\x00b"}, []string{"description may not contain NUL characters"}},
	} {
		form := groupForm(tc.name)
		for k, v := range tc.set {
			form.Set(k, v)
		}
		p := b.post("/console/groups", form)
		wantStatus(t, tc.name, p, http.StatusUnprocessableEntity)
		wantBody(t, tc.name, p, tc.want...)
	}
	if n, _ := srv.Service().Groups(context.Background(), directory.Query{}); n.Total != 1 {
		t.Fatalf("%d groups after refused forms", n.Total)
	}
}

// TestGroupBadInput: ids that are not ids, unknown groups and members, bad
// search and paging parameters, and member forms that name nothing.
func TestGroupBadInput(t *testing.T) {
	_, b := signedIn(t)
	path := b.createGroup(groupForm("Ops"))
	for _, p := range []string{"/console/groups/abc", "/console/groups/0", "/console/groups/99999999",
		"/console/groups/-1/edit", "/console/groups/99999999/delete"} {
		wantStatus(t, p, b.get(p), http.StatusNotFound)
	}
	for _, q := range []string{"page=0", "per_page=1000", "source=nis", "name=" + strings.Repeat("a", 256)} {
		wantStatus(t, q, b.get("/console/groups?"+q), http.StatusUnprocessableEntity)
	}
	p := b.get(path + "?user=" + strings.Repeat("u", 65))
	wantStatus(t, "long user search", p, http.StatusUnprocessableEntity)
	wantBody(t, "long user search", p, "user may not be greater than 64 characters")
	wantBody(t, "no match", b.get(path+"?user=nobody"), "No user's name starts with “nobody”.")
	b.get(path)
	for name, tc := range map[string]struct {
		form url.Values
		want string
	}{
		"nothing":        {url.Values{}, "security_provider_id must be a whole number"},
		"bad user":       {url.Values{"user_id": {"x"}}, "user_id must be a whole number"},
		"unknown user":   {url.Values{"user_id": {"424242"}}, "user_id does not exist"},
		"no provider":    {url.Values{"security_provider_id": {"0"}}, "security_provider_id field is required"},
		"bad provider":   {url.Values{"security_provider_id": {"4242"}, "group_name": {"x"}}, "security_provider_id does not exist"},
		"local external": {url.Values{"security_provider_id": {"1"}, "group_name": {"x"}}, "group_name must not be present for a local security provider"},
	} {
		p := b.post(path+"/members", tc.form)
		wantStatus(t, name, p, http.StatusUnprocessableEntity)
		wantBody(t, name, p, tc.want)
	}
	wantStatus(t, "bad member id", b.post(path+"/members/x/remove", url.Values{}), http.StatusNotFound)
	wantStatus(t, "unknown member", b.post(path+"/members/4242/remove", url.Values{}), http.StatusNotFound)
	for name, form := range map[string]url.Values{"no version": {}, "bad version": {"version": {"x"}}, "stale version": {"version": {"99"}}} {
		wantStatus(t, "delete: "+name, b.post(path+"/delete", form), http.StatusUnprocessableEntity)
	}
}

// TestGroupsPaging pages through more groups than a page holds, and a
// group's members likewise.
func TestGroupsPaging(t *testing.T) {
	srv, b := signedIn(t)
	g, err := srv.Service().CreateGroup(cliCtx(), directory.NewGroup{GroupChange: directory.GroupChange{Name: directory.To("big")}})
	if err != nil {
		t.Fatal(err)
	}
	for i := range 27 {
		if _, err := srv.Service().CreateGroup(cliCtx(), directory.NewGroup{GroupChange: directory.GroupChange{Name: directory.To(fmt.Sprintf("g%02d", i))}}); err != nil {
			t.Fatal(err)
		}
		u, err := srv.Service().CreateUser(cliCtx(), directory.NewUser{UserChange: directory.UserChange{Username: directory.To(fmt.Sprintf("m%02d", i))}})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := srv.Service().AddMember(cliCtx(), g.ID, directory.MemberInput{SecurityProviderID: directory.LocalProviderID, UserID: u.ID}); err != nil {
			t.Fatal(err)
		}
	}
	wantBody(t, "first page", b.get("/console/groups?per_page=25"), "Showing 1–25 of 28", `rel="next"`)
	wantBody(t, "second page", b.get("/console/groups?per_page=25&page=2"), "Showing 26–28 of 28", ">g26</a>")
	path := fmt.Sprintf("/console/groups/%d", g.ID)
	wantBody(t, "members page", b.get(path+"?per_page=25"), "Showing 1–25 of 27", ">m00</a>", `rel="next"`)
	wantBody(t, "members page 2", b.get(path+"?per_page=25&page=2"), "Showing 26–27 of 27", ">m26</a>")
}
