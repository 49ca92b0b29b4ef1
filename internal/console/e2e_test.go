package console_test

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	cdppage "github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"github.com/gatehouse/gatehouse/internal/directory"
	"github.com/gatehouse/gatehouse/internal/testserver"
)

// chromium returns the browser's path, or skips the test when there is
// none, unless GATEHOUSE_REQUIRE_CHROMIUM=1 (as .ci/run sets) makes that a
// failure.
func chromium(t *testing.T) string {
	t.Helper()
	for _, name := range []string{os.Getenv("GATEHOUSE_CHROMIUM"), "chromium", "chromium-browser", "google-chrome"} {
		if name == "" {
			continue
		}
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("GATEHOUSE_REQUIRE_CHROMIUM") == "1" {
		t.Fatal("GATEHOUSE_REQUIRE_CHROMIUM=1 but no chromium on PATH (apt-get install chromium)")
	}
	t.Skip("no chromium on PATH; install the Debian package chromium to run the end-to-end tests")
	return ""
}

// tab is one headless Chromium tab against a test server.
type tab struct {
	t   *testing.T
	ctx context.Context
	srv *testserver.Server
}

// newTab starts Chromium with no network beyond the test server (the
// machine may have none: without these flags Chromium keeps trying to
// reach Google) on a fresh profile, and one tab that records Content-
// Security-Policy violations.
func newTab(t *testing.T, srv *testserver.Server) *tab {
	path := chromium(t)
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(path), chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU, chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck, chromedp.UserDataDir(t.TempDir()), chromedp.WindowSize(1280, 900),
		chromedp.Flag("disable-quic", true), chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true), chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true), chromedp.Flag("disable-extensions", true),
		chromedp.Flag("disable-features", "Translate,OptimizationHints,MediaRouter"),
		chromedp.Flag("force-color-profile", "srgb"), chromedp.Flag("password-store", "basic"),
	}
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelTab := chromedp.NewContext(actx)
	ctx, cancelTimeout := context.WithTimeout(ctx, 3*time.Minute)
	t.Cleanup(func() { cancelTimeout(); cancelTab(); cancelAlloc() })
	tb := &tab{t: t, ctx: ctx, srv: srv}
	tb.do(chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := chromedp.Call(ctx, cdppage.AddScriptToEvaluateOnNewDocument, cdppage.AddScriptToEvaluateOnNewDocumentParams{
			Source: `window.__csp = []; document.addEventListener("securitypolicyviolation", e => window.__csp.push(e.violatedDirective + " " + e.blockedURI));`})
		return err
	}))
	return tb
}

func (tb *tab) do(steps ...chromedp.Action[chromedp.Void]) {
	tb.t.Helper()
	if err := chromedp.Do(tb.ctx, steps...); err != nil {
		tb.t.Fatal(err)
	}
}

// open loads a console page.
func (tb *tab) open(path string) {
	tb.t.Helper()
	tb.do(chromedp.Navigate(tb.srv.URL + path))
}

// submit clicks a form's button and waits for the page it leads to.
func (tb *tab) submit(button string) {
	tb.t.Helper()
	if _, err := chromedp.RunResponse(tb.ctx, chromedp.Click(chromedp.CSS(button))); err != nil {
		tb.t.Fatalf("submit %s: %v", button, err)
	}
}

func (tb *tab) text(sel string) string {
	tb.t.Helper()
	s, err := chromedp.Run(tb.ctx, chromedp.Text(chromedp.CSS(sel)))
	if err != nil {
		tb.t.Fatalf("text of %s: %v", sel, err)
	}
	return s
}

func (tb *tab) wantText(sel string, parts ...string) {
	tb.t.Helper()
	got := tb.text(sel)
	for _, p := range parts {
		if !strings.Contains(got, p) {
			tb.t.Fatalf("%s reads %q, want %q in it", sel, got, p)
		}
	}
}

// screenshot saves the page as docs/screenshots/<name>.png when
// GATEHOUSE_SCREENSHOTS=1, so that ordinary runs leave the tree alone.
func (tb *tab) screenshot(name string) {
	tb.t.Helper()
	if os.Getenv("GATEHOUSE_SCREENSHOTS") != "1" {
		return
	}
	png, err := chromedp.Run(tb.ctx, chromedp.FullScreenshot(100))
	if err != nil {
		tb.t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join("..", "..", "docs", "screenshots", name+".png"), png, 0o644); err != nil {
		tb.t.Fatal(err)
	}
}

// accessibilityCheck lists what the page gets wrong of the basics: a
// language, landmarks, one h1, a label for every control, alternative
// text, header cells with a scope, no inline style, no CSP violation, a
// focus outline, and text with at least 4.5:1 contrast on its background.
const accessibilityCheck = `(() => {
  const problems = [];
  const describe = el => el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") + (el.name ? "[name=" + el.name + "]" : "");
  if (!document.documentElement.lang) problems.push("html has no lang");
  if (!document.querySelector("main")) problems.push("no main landmark");
  if (!document.querySelector("a.skip[href='#main']")) problems.push("no skip link");
  const h1 = document.querySelectorAll("h1").length;
  if (h1 !== 1) problems.push(h1 + " h1 elements");
  for (const el of document.querySelectorAll("input:not([type=hidden]), select, textarea")) {
    if (!(el.labels && el.labels.length) && !el.getAttribute("aria-label")) problems.push("no label for " + describe(el));
  }
  for (const img of document.querySelectorAll("img")) if (!img.hasAttribute("alt")) problems.push("no alt on " + img.src);
  for (const th of document.querySelectorAll("thead th")) if (!th.getAttribute("scope")) problems.push("th without scope");
  for (const el of document.querySelectorAll("a, button")) {
    if (!el.textContent.trim() && !el.getAttribute("aria-label")) problems.push("control without a name: " + describe(el));
  }
  if (document.querySelector("[style]")) problems.push("inline style attribute");
  for (const v of window.__csp || []) problems.push("CSP violation: " + v);
  const lum = c => {
    const m = c.match(/[\d.]+/g).map(Number);
    const ch = m.slice(0, 3).map(v => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); });
    return 0.2126 * ch[0] + 0.7152 * ch[1] + 0.0722 * ch[2];
  };
  const background = el => {
    for (; el; el = el.parentElement) {
      const bg = getComputedStyle(el).backgroundColor;
      const m = bg.match(/[\d.]+/g);
      if (m && (m.length < 4 || Number(m[3]) > 0)) return bg;
    }
    return "rgb(255, 255, 255)";
  };
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const seen = new Set();
  while (walker.nextNode()) {
    const el = walker.currentNode.parentElement;
    if (!walker.currentNode.textContent.trim() || seen.has(el) || !el.offsetParent) continue;
    seen.add(el);
    const a = lum(getComputedStyle(el).color), b = lum(background(el));
    const ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
    if (ratio < 4.5) problems.push("contrast " + ratio.toFixed(2) + " of " + describe(el) + ": " + walker.currentNode.textContent.trim().slice(0, 30));
  }
  return problems;
})()`

// checkPage runs accessibilityCheck and fails the test on any problem.
func (tb *tab) checkPage(what string) {
	tb.t.Helper()
	problems, err := chromedp.Run(tb.ctx, chromedp.Evaluate[[]string](accessibilityCheck))
	if err != nil {
		tb.t.Fatal(err)
	}
	if len(problems) > 0 {
		tb.t.Fatalf("%s: accessibility problems:\n%s", what, strings.Join(problems, "\n"))
	}
}

// TestEndToEnd drives the console in headless Chromium as an
// administrator would: sign in, create a user, add it to a group policy
// from the user's page, rotate an API account's secret and read the audit
// event, find the user at a phone's width, and move through a page by
// keyboard. Every page passes the basic
// accessibility checks.
func TestEndToEnd(t *testing.T) {
	srv := testserver.New(t)
	newAdmin(t, srv, "admin", false)
	ctx := directory.WithActor(context.Background(), directory.Actor{Kind: directory.ActorCLI})
	g, err := srv.Service().CreateGroup(ctx, directory.NewGroup{GroupChange: directory.GroupChange{Name: directory.To("Support")}})
	if err != nil {
		t.Fatal(err)
	}
	clientID, accountSecret := srv.NewAccount(t, "ci", directory.FullPermissions())
	account, err := srv.Service().APIAccountByClientID(ctx, clientID)
	if err != nil {
		t.Fatal(err)
	}
	tb := newTab(t, srv)

	tb.open("/console/")
	tb.do(chromedp.WaitVisible(chromedp.ID("f-username")))
	tb.checkPage("sign-in")
	tb.screenshot("signin")
	tb.do(chromedp.SendKeys(chromedp.ID("f-username"), "admin"), chromedp.SendKeys(chromedp.ID("f-password"), adminPassword))
	tb.submit("main form button[type=submit]")
	tb.wantText("h1", "Overview")
	tb.checkPage("overview")
	tb.screenshot("overview")

	tb.open("/console/users/new")
	tb.checkPage("new user")
	tb.do(chromedp.SendKeys(chromedp.ID("f-username"), "erin"),
		chromedp.SendKeys(chromedp.ID("f-display_name"), "Erin Example"),
		chromedp.SendKeys(chromedp.ID("f-email"), "erin@example.com"),
		chromedp.SendKeys(chromedp.ID("f-password"), "erin's long password"))
	tb.submit("main form button[type=submit]")
	tb.wantText(".flash", "User erin created.")
	tb.wantText("h1", "erin")

	tb.do(chromedp.SetValue(chromedp.ID("f-add"), fmt.Sprint(g.ID)))
	tb.submit("#groups ~ form button[type=submit], section[aria-labelledby=groups] form.search button")
	tb.wantText(".flash", "erin added to the group policy.")
	tb.wantText("section[aria-labelledby=groups] table", "Support")
	tb.wantText("section[aria-labelledby=history] table", "user.group_policies.change", "user.create", "user:")
	tb.checkPage("user")
	tb.screenshot("user")

	// Rotate an API account's secret: shown once, it is the one that
	// now gets a token; the audit log has the rotation, by this user.
	tb.open(fmt.Sprintf("/console/accounts/%d", account.ID))
	tb.checkPage("API account")
	tb.do(chromedp.Click(chromedp.CSS(`a[href$="/rotate"]`)), chromedp.WaitVisible(chromedp.CSS(`form[action$="/rotate"]`)))
	tb.checkPage("rotate confirmation")
	tb.submit(`form[action$="/rotate"] button[type=submit]`)
	secret := tb.text("#secret-value")
	tb.checkPage("rotated secret")
	tb.screenshot("secret-once")
	if secret == accountSecret || srv.Token(t, account.ClientID, secret) == "" {
		t.Fatal("the secret shown is not the account's new one")
	}
	tb.open(fmt.Sprintf("/console/audit?target_type=api_account&target_id=%d", account.ID))
	tb.wantText("main table", "api_account.rotate_secret", "user:")
	tb.checkPage("audit log")
	tb.screenshot("audit")

	// At a phone's width the page does not scroll sideways.
	tb.do(chromedp.EmulateViewport(375, 812, chromedp.EmulateScale(2)))
	tb.open("/console/users?username=erin")
	tb.wantText("table", "erin", "Erin Example")
	tb.checkPage("users at 375px")
	wide, err := chromedp.Run(tb.ctx, chromedp.Evaluate[bool](`document.documentElement.scrollWidth > window.innerWidth`))
	if err != nil {
		t.Fatal(err)
	}
	if wide {
		t.Fatal("the users page scrolls sideways at 375px")
	}
	tb.screenshot("users-phone")
	tb.do(chromedp.EmulateViewport(1280, 900))

	// Keyboard: the first Tab reaches the skip link, which leads to main.
	tb.open("/console/users")
	tb.do(chromedp.KeyEvent("\t"))
	focused, err := chromedp.Run(tb.ctx, chromedp.Evaluate[string](`document.activeElement.className`))
	if err != nil || focused != "skip" {
		t.Fatalf("first Tab focuses %q (%v), want the skip link", focused, err)
	}
	tb.do(chromedp.KeyEvent("\r"))
	inMain, err := chromedp.Run(tb.ctx, chromedp.Evaluate[string](`location.hash`))
	if err != nil || inMain != "#main" {
		t.Fatalf("the skip link leads to %q (%v)", inMain, err)
	}
	tb.checkPage("users")
	tb.screenshot("users")
}
