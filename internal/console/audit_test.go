package console_test

import (
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/gatehouse/gatehouse/internal/directory"
)

// TestAuditLog filters the log by time, actor, entity and action, pages
// it newest first in both directions, and shows an event's records side
// by side with the changed fields marked and no secret in them.
func TestAuditLog(t *testing.T) {
	srv, b := signedIn(t)
	root := userByName(t, srv, "root")
	path := b.createTeam(url.Values{"name": {"Blue"}, "code_name": {"blue"}})
	b.post(path+"/edit", url.Values{"name": {"Blue team"}, "code_name": {"blue"}})
	_, _, secret := b.createAccount(url.Values{"name": {"audited"}, "configuration": {"deny"}, "user_management": {"deny"}})
	if _, err := srv.Service().CreateGroup(cliCtx(), directory.NewGroup{GroupChange: directory.GroupChange{Name: directory.To("from-cli")}}); err != nil {
		t.Fatal(err)
	}

	p := b.get("/console/audit")
	wantStatus(t, "log", p, http.StatusOK)
	wantBody(t, "log", p, "team.create", "team.update", "api_account.create", "group.create", "Newest first",
		fmt.Sprintf(`href="/console/audit?actor=user%%3a%d"`, root.ID), `href="/console/audit?actor=cli"`)
	if strings.Index(p.Body, "group.create") > strings.Index(p.Body, "team.create") {
		t.Fatal("the log is not newest first")
	}
	if strings.Contains(p.Body, `rel="next"`) || strings.Contains(p.Body, `rel="prev"`) {
		t.Fatal("one page of events links others")
	}

	actor := fmt.Sprintf("user:%d", root.ID)
	for _, tc := range []struct {
		query      string
		want, lack []string
	}{
		{"actor=" + actor, []string{"team.create", "api_account.create"}, []string{"group.create"}},
		{"actor=cli", []string{"group.create"}, []string{"team.create"}},
		{"action=team.", []string{"team.create", "team.update"}, []string{"api_account.create"}},
		{"action=team.update", []string{"team.update"}, []string{"team.create"}},
		{"target_type=api_account", []string{"api_account.create"}, []string{"team."}},
		{"target_type=team&target_id=" + teamLink.FindStringSubmatch(path)[1], []string{"team.create", "team.update"}, []string{"api_account"}},
		{"since=1h", []string{"team.create"}, nil},
		{"until=" + url.QueryEscape(time.Now().Add(-time.Hour).UTC().Format(time.RFC3339)), []string{"No events match."}, []string{"team.create"}},
		{"since=2000-01-01T00:00:00Z&until=2000-01-02T00:00:00Z", []string{"No events match."}, nil},
	} {
		p := b.get("/console/audit?" + tc.query)
		wantStatus(t, tc.query, p, http.StatusOK)
		wantBody(t, tc.query, p, tc.want...)
		for _, s := range tc.lack {
			if strings.Contains(p.Body, "<td>"+s) {
				t.Fatalf("%s: lists %s", tc.query, s)
			}
		}
	}

	// The team's update, side by side: the name changed, the code name did not.
	p = b.get("/console/audit?action=team.update")
	id := regexp.MustCompile(`href="/console/audit/(\d+)"`).FindStringSubmatch(p.Body)[1]
	p = b.get("/console/audit/" + id)
	wantStatus(t, "event", p, http.StatusOK)
	wantBody(t, "event", p, "Event "+id+": team.update", actor, `<tr class="changed">`, "&#34;Blue&#34;", "&#34;Blue team&#34;")
	if !regexp.MustCompile(`(?s)<summary>Unchanged fields.*<th scope="row">code_name</th>`).MatchString(p.Body) {
		t.Fatalf("the unchanged code name is not shown as unchanged:\n%s", p.Body)
	}
	p = b.get("/console/audit?target_type=api_account&action=api_account.create")
	id = regexp.MustCompile(`href="/console/audit/(\d+)"`).FindStringSubmatch(p.Body)[1]
	p = b.get("/console/audit/" + id)
	wantBody(t, "account event", p, "api_account.create", "client_id")
	if strings.Contains(p.Body, secret) || strings.Contains(strings.ToLower(p.Body), "secret_hash") {
		t.Fatal("the audit event shows the secret or its hash")
	}
}

// TestAuditPaging pages a log longer than a page, back and forth.
func TestAuditPaging(t *testing.T) {
	srv, b := signedIn(t)
	for i := range 60 {
		if _, err := srv.Service().CreateTeam(cliCtx(), directory.TeamChange{Name: directory.To(fmt.Sprintf("t%02d", i)), CodeName: directory.To(fmt.Sprintf("t%02d", i))}); err != nil {
			t.Fatal(err)
		}
	}
	p := b.get("/console/audit?actor=cli&action=team.create")
	older := regexp.MustCompile(`href="([^"]+)" rel="next"`).FindStringSubmatch(p.Body)
	if older == nil || strings.Contains(p.Body, `rel="prev"`) {
		t.Fatalf("first page's links:\n%s", p.Body)
	}
	p = b.get(strings.ReplaceAll(older[1], "&amp;", "&"))
	wantStatus(t, "older", p, http.StatusOK)
	wantBody(t, "older", p, "actor=cli", `rel="prev"`)
	if n := strings.Count(p.Body, "<td>team.create</td>"); n != 10 {
		t.Fatalf("the second page lists %d events, want 10", n)
	}
	newer := regexp.MustCompile(`href="([^"]+)" rel="prev"`).FindStringSubmatch(p.Body)
	p = b.get(strings.ReplaceAll(newer[1], "&amp;", "&"))
	if n := strings.Count(p.Body, "<td>team.create</td>"); n != 50 {
		t.Fatalf("back to the first page: %d events, want 50", n)
	}
}

// TestAuditBadFilters reports each problem beside its field, in the words
// the audit command and the administrator API use.
func TestAuditBadFilters(t *testing.T) {
	_, b := signedIn(t)
	for _, tc := range []struct{ query, want string }{
		{"since=yesterday", "since must be an RFC 3339 date-time"},
		{"until=-5h", "until must be an RFC 3339 date-time"},
		{"since=1h&until=2h", "until must be later than since"},
		{"actor=robot", "actor must be an actor kind"},
		{"actor=cli:3", "actor must be an actor kind"},
		{"target_type=Users!", "target_type must be a resource type such as user or group"},
		{"target_id=x", "target_id must be a whole number"},
		{"target_id=-2", "target_id must be a positive integer"},
		{"action=..", "action must be an action such as"},
		{"before=x", "before must be a whole number"},
		{"after=-1", "after must be an event id, 0 or more"},
	} {
		p := b.get("/console/audit?" + tc.query)
		wantStatus(t, tc.query, p, http.StatusUnprocessableEntity)
		wantBody(t, tc.query, p, "The given data was invalid.", tc.want)
	}
	for _, p := range []string{"/console/audit/x", "/console/audit/0", "/console/audit/99999999"} {
		wantStatus(t, p, b.get(p), http.StatusNotFound)
	}
}
