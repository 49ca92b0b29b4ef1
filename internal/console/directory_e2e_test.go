package console_test

import (
	"fmt"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/gatehouse/gatehouse/internal/directory"
	"github.com/gatehouse/gatehouse/internal/testserver"
)

// signInTab signs the tab in as an administrator through the form.
func (tb *tab) signIn(name string) {
	tb.t.Helper()
	tb.open("/console/signin")
	tb.do(chromedp.WaitVisible(chromedp.ID("f-username")),
		chromedp.SendKeys(chromedp.ID("f-username"), name), chromedp.SendKeys(chromedp.ID("f-password"), adminPassword))
	tb.submit("main form button[type=submit]")
	tb.wantText("h1", "Overview")
}

// TestDirectoryPagesInBrowser drives the groups, teams, API account,
// registration and audit pages in headless Chromium: a group policy is
// created through its form and a user found by name added to it from the
// group's page; an API account is created with its secret shown once
// beside a copy button; an audit event's records are compared. Every page
// passes the basic accessibility checks, also at a phone's width, without
// scrolling sideways.
func TestDirectoryPagesInBrowser(t *testing.T) {
	srv := testserver.New(t)
	newAdmin(t, srv, "admin", false)
	svc := srv.Service()
	if _, err := svc.CreateUser(cliCtx(), directory.NewUser{UserChange: directory.UserChange{Username: directory.To("frank"),
		DisplayName: directory.To("Frank Example")}}); err != nil {
		t.Fatal(err)
	}
	team, err := svc.CreateTeam(cliCtx(), directory.TeamChange{Name: directory.To("Night shift"), CodeName: directory.To("night")})
	if err != nil {
		t.Fatal(err)
	}
	reg, _, err := svc.CreateAPIRegistration(cliCtx(), directory.NewAPIRegistration{Name: "jenkins"})
	if err != nil {
		t.Fatal(err)
	}
	tb := newTab(t, srv)
	tb.signIn("admin")

	tb.open("/console/groups/new")
	tb.checkPage("new group")
	tb.do(chromedp.SendKeys(chromedp.ID("f-name"), "On call"),
		chromedp.SetValue(chromedp.ID("f-access_status"), "defined"),
		chromedp.Click(chromedp.ID("f-access_allowed")),
		chromedp.SetValue(chromedp.ID("f-permission_1"), "3"),
		chromedp.Click(chromedp.ID(fmt.Sprintf("f-registration-%d", reg.ID))))
	tb.submit("main form button[type=submit]")
	tb.wantText(".flash", "Group On call created.")
	tb.wantText("main", "User Accounts Management: Read/write", "jenkins")

	// Add a user to the group policy from its page: find by name, add.
	tb.do(chromedp.SendKeys(chromedp.ID("f-user"), "fr"))
	tb.submit(`form[role=search] button[type=submit]`)
	tb.submit(`ul.picks form button[type=submit]`)
	tb.wantText(".flash", "frank added to On call.")
	tb.wantText("section[aria-labelledby=members-h] table", "frank")
	tb.wantText("section[aria-labelledby=history] table", "group.member.add", "user:")
	tb.checkPage("group")
	tb.screenshot("group")
	tb.do(chromedp.Click(chromedp.CSS(`a[href$="/edit"]`)), chromedp.WaitVisible(chromedp.ID("f-description")),
		chromedp.SendKeys(chromedp.ID("f-description"), "Who is paged at night"),
		chromedp.SetValue(chromedp.ID("f-session_idle_timeout"), "1800"))
	tb.checkPage("edit group")
	tb.submit("main form.stack button[type=submit]")
	tb.wantText(".flash", "Group On call saved.")

	tb.open("/console/groups")
	tb.wantText("main table", "On call", "defined", "active")
	tb.checkPage("groups")

	tb.open(fmt.Sprintf("/console/teams/%d?user=fr", team.ID))
	tb.submit(`ul.picks form button[type=submit]`)
	tb.wantText(".flash", "frank added to Night shift.")
	tb.checkPage("team")
	for _, path := range []string{"/console/teams", "/console/teams/new", "/console/registrations", "/console/registrations/new",
		fmt.Sprintf("/console/registrations/%d", reg.ID), "/console/accounts"} {
		tb.open(path)
		tb.checkPage(path)
	}

	tb.open("/console/accounts/new")
	tb.checkPage("new API account")
	tb.do(chromedp.SendKeys(chromedp.ID("f-name"), "deploy-bot"), chromedp.SetValue(chromedp.ID("f-configuration"), "full_access"))
	tb.submit("main form button[type=submit]")
	tb.wantText(".secret-once", "shown only this once")
	tb.wantText("button[data-copy=secret-value]", "Copy")
	tb.checkPage("created API account")

	tb.open("/console/audit?target_type=group")
	tb.wantText("main table", "group.update", "group.member.add", "group.create")
	tb.checkPage("audit log")
	tb.do(chromedp.Click(chromedp.CSS(`main table a[href^="/console/audit/"]`)), chromedp.WaitVisible(chromedp.CSS("table.diff")))
	tb.wantText("table.diff tr.changed", "access.session_idle_timeout", "1800")
	tb.wantText("table.diff", "description", "Who is paged at night")
	tb.checkPage("audit event")
	tb.screenshot("audit-event")

	// At a phone's width the pages do not scroll sideways: wide tables
	// scroll in their own box.
	tb.do(chromedp.EmulateViewport(375, 812, chromedp.EmulateScale(2)))
	g, err := svc.GroupByName(cliCtx(), "On call")
	if err != nil {
		t.Fatal(err)
	}
	for _, path := range []string{"/console/groups", fmt.Sprintf("/console/groups/%d", g.ID), "/console/groups/new",
		fmt.Sprintf("/console/teams/%d", team.ID), "/console/accounts", "/console/audit"} {
		tb.open(path)
		tb.checkPage(path + " at 375px")
		wide, err := chromedp.Run(tb.ctx, chromedp.Evaluate[bool](`document.documentElement.scrollWidth > window.innerWidth`))
		if err != nil {
			t.Fatal(err)
		}
		if wide {
			t.Fatalf("%s scrolls sideways at 375px", path)
		}
	}
}
