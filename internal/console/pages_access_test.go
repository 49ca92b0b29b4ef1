package console_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/gatehouse/gatehouse/internal/directory"
	"github.com/gatehouse/gatehouse/internal/testserver"
)

// directoryPages are every page of the groups, teams, API accounts,
// registrations and audit areas, on records made for them.
func directoryPages(t *testing.T, srv *testserver.Server) (gets, posts []string) {
	t.Helper()
	svc := srv.Service()
	g, err := svc.CreateGroup(cliCtx(), directory.NewGroup{GroupChange: directory.GroupChange{Name: directory.To("g")}})
	if err != nil {
		t.Fatal(err)
	}
	tm, err := svc.CreateTeam(cliCtx(), directory.TeamChange{Name: directory.To("t"), CodeName: directory.To("t")})
	if err != nil {
		t.Fatal(err)
	}
	a, _, err := svc.CreateAPIAccount(cliCtx(), directory.NewAPIAccount{Name: "a"})
	if err != nil {
		t.Fatal(err)
	}
	r, _, err := svc.CreateAPIRegistration(cliCtx(), directory.NewAPIRegistration{Name: "r"})
	if err != nil {
		t.Fatal(err)
	}
	events, err := svc.Audit(cliCtx(), directory.AuditFilter{Limit: 1})
	if err != nil || len(events.Items) == 0 {
		t.Fatalf("no event: %v", err)
	}
	gp, tp := fmt.Sprintf("/console/groups/%d", g.ID), fmt.Sprintf("/console/teams/%d", tm.ID)
	ap, rp := fmt.Sprintf("/console/accounts/%d", a.ID), fmt.Sprintf("/console/registrations/%d", r.ID)
	gets = []string{"/console/groups", "/console/groups/new", gp, gp + "/edit", gp + "/delete",
		"/console/teams", "/console/teams/new", tp, tp + "/edit", tp + "/delete",
		"/console/accounts", "/console/accounts/new", ap, ap + "/edit", ap + "/rotate",
		"/console/registrations", "/console/registrations/new", rp, rp + "/edit", rp + "/rotate", rp + "/delete",
		"/console/audit", fmt.Sprintf("/console/audit/%d", events.Items[0].ID)}
	posts = []string{"/console/groups", gp + "/edit", gp + "/delete", gp + "/members", gp + "/members/1/remove",
		"/console/teams", tp + "/edit", tp + "/delete", tp + "/users", tp + "/users/1/role", tp + "/users/1/remove",
		"/console/accounts", ap + "/edit", ap + "/rotate", ap + "/enabled", ap + "/unlock",
		"/console/registrations", rp + "/edit", rp + "/rotate", rp + "/delete"}
	return gets, posts
}

// TestDirectoryPagesGuarded: every page of these areas renders for an
// administrator with the console's headers and landmarks; signed out, a
// page sends the browser to sign-in and a form is refused; a user who is
// not an administrator cannot sign in to reach them; and a form without
// the session's CSRF token, or posted from another site, changes nothing.
func TestDirectoryPagesGuarded(t *testing.T) {
	srv, admin := signedIn(t)
	gets, posts := directoryPages(t, srv)
	for _, path := range gets {
		p := admin.get(path)
		wantStatus(t, path, p, http.StatusOK)
		wantBody(t, path, p, `<main id="main"`, "<h1>", `aria-current="page"`)
		if got := p.Header.Get("Cache-Control"); got != "no-store" {
			t.Fatalf("%s: Cache-Control %q", path, got)
		}
		if strings.Contains(p.Body, " style=") || strings.Contains(p.Body, " onclick=") || strings.Contains(p.Body, "<script>") {
			t.Fatalf("%s: inline style or script, which the CSP refuses", path)
		}
	}

	if _, err := srv.Service().CreateUser(cliCtx(), directory.NewUser{UserChange: directory.UserChange{
		Username: directory.To("plain"), Password: directory.To(adminPassword)}}); err != nil {
		t.Fatal(err)
	}
	for _, who := range []string{"signed out", "not an administrator"} {
		b := newBrowser(t, srv)
		if who == "not an administrator" {
			b.get("/console/signin")
			wantStatus(t, who+" signs in", b.post("/console/signin", url.Values{"username": {"plain"}, "password": {adminPassword}}), http.StatusUnauthorized)
		}
		for _, path := range gets {
			p := b.get(path)
			wantStatus(t, who+" GET "+path, p, http.StatusSeeOther)
			if want := "/console/signin?next=" + url.QueryEscape(path); p.location() != want {
				t.Fatalf("%s GET %s: redirect to %q, want %q", who, path, p.location(), want)
			}
		}
		for _, path := range posts {
			wantStatus(t, who+" POST "+path, b.post(path, url.Values{"name": {"x"}}), http.StatusUnauthorized)
		}
	}

	before, err := srv.Service().Audit(cliCtx(), directory.AuditFilter{Limit: 1})
	if err != nil {
		t.Fatal(err)
	}
	for _, path := range posts {
		p := admin.post(path, url.Values{"csrf": {"forged"}, "name": {"x"}, "enabled": {"false"}})
		wantStatus(t, "forged "+path, p, http.StatusForbidden)
		wantBody(t, "forged "+path, p, "The form could not be accepted")
		p = admin.post(path, url.Values{"name": {"x"}, "enabled": {"false"}}, "Sec-Fetch-Site", "cross-site")
		wantStatus(t, "cross-site "+path, p, http.StatusForbidden)
	}
	after, err := srv.Service().Audit(cliCtx(), directory.AuditFilter{Limit: 1})
	if err != nil {
		t.Fatal(err)
	}
	if after.Items[0].ID != before.Items[0].ID {
		t.Fatalf("a refused form was written: %+v", after.Items[0])
	}
}
