package main

import (
	"context"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"net/url"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/gatehouse/gatehouse/internal/directory"
	"github.com/gatehouse/gatehouse/internal/store"
)

// biBase is the BeyondInsight face's base path.
const biBase = "/BeyondTrust/api/public/v3"

// runCLI runs one command with stdin and returns what it wrote to each
// stream and its exit status.
func runCLI(t *testing.T, stdin string, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	cmd := exec.Command(binary, args...)
	cmd.Stdin = strings.NewReader(stdin)
	var out, errOut strings.Builder
	cmd.Stdout, cmd.Stderr = &out, &errOut
	err := cmd.Run()
	if exit, ok := err.(*exec.ExitError); ok {
		code = exit.ExitCode()
	} else if err != nil {
		t.Fatalf("gatehouse %q: %v", args, err)
	}
	return out.String(), errOut.String(), code
}

// mustRun runs a command that must succeed and returns its stdout.
func mustRun(t *testing.T, stdin string, args ...string) string {
	t.Helper()
	out, errOut, code := runCLI(t, stdin, args...)
	if code != 0 {
		t.Fatalf("gatehouse %q: exit %d\n%s%s", args, code, out, errOut)
	}
	return out
}

// mistake is a command line that must fail with an exact last line on
// stderr and an exit status, printing nothing on stdout.
type mistake struct {
	args  []string
	stdin string
	code  int
	err   string
}

func checkMistakes(t *testing.T, cases []mistake) {
	t.Helper()
	for _, c := range cases {
		out, errOut, code := runCLI(t, c.stdin, c.args...)
		lines := strings.Split(strings.TrimRight(errOut, "\n"), "\n")
		if code != c.code || lines[len(lines)-1] != c.err || out != "" {
			t.Errorf("gatehouse %q: exit %d, stderr ending %q, stdout %q\nwant exit %d and %q", c.args, code,
				lines[len(lines)-1], out, c.code, c.err)
		}
	}
}

var (
	keyLine = regexp.MustCompile(`(?m)^  key: (\S+)$`)
	idLine  = regexp.MustCompile(`(?m)^  id:  (\d+)$`)
	hex128  = regexp.MustCompile(`^[0-9a-f]{128}$`)
)

// printedKey reads the id and key a create or rotate-key printed, and
// checks that the key is 128 hexadecimal characters, announced as shown
// once.
func printedKey(t *testing.T, out string) (int64, string) {
	t.Helper()
	k, i := keyLine.FindStringSubmatch(out), idLine.FindStringSubmatch(out)
	if k == nil || i == nil || !strings.Contains(out, "shown only this once") {
		t.Fatalf("no id and key printed in %q", out)
	}
	if !hex128.MatchString(k[1]) {
		t.Fatalf("key %q is not 128 hexadecimal characters", k[1])
	}
	id, _ := strconv.ParseInt(i[1], 10, 64)
	return id, k[1]
}

// biToken asks the BeyondInsight face for a bearer token.
func biToken(t *testing.T, base, id, secret string) string {
	t.Helper()
	resp, err := client().PostForm(base+biBase+"/Auth/connect/token", url.Values{
		"grant_type": {"client_credentials"}, "client_id": {id}, "client_secret": {secret}})
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var body struct {
		AccessToken string `json:"access_token"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&body); err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("BeyondInsight token: %d %v", resp.StatusCode, err)
	}
	return body.AccessToken
}

// signIn is POST Auth/SignAppIn with an Authorization header.
func signIn(t *testing.T, base, authorization string) int {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, base+biBase+"/Auth/SignAppIn", nil)
	req.Header.Set("Authorization", authorization)
	resp, err := client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

func psAuth(key, runAs, pwd string) string {
	h := "PS-Auth key=" + key + "; runas=" + runAs + ";"
	if pwd != "" {
		h += " pwd=[" + pwd + "];"
	}
	return h
}

// cliEvents opens the database in this process and returns the audit
// events about one type of target, oldest first.
func cliEvents(t *testing.T, db, targetType string) []directory.Event {
	t.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	page, err := st.Events(ctx, directory.Query{Filter: directory.Eq(directory.EventTargetType, targetType), Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	return page.Items
}

// API registrations made on the command line sign users in on a running
// server at once; a rotated key and a deleted registration's key stop at
// once; no list shows a key or its hash; every change is audited as cli.
func TestAPIRegistrationCommandsAgainstARunningServer(t *testing.T) {
	db := dsnFor(t)
	p := start(t, db)
	acctID, secret := p.credentials(t)
	tok := biToken(t, p.url, acctID, secret)

	out := mustRun(t, "", "api-registration", "create", "--db", db, "--name", "scripts", "--ip-allow", "127.0.0.1,::1")
	if !strings.HasPrefix(out, `Created API registration `) || !strings.Contains(out, `"scripts"`) {
		t.Errorf("create printed %q", out)
	}
	regID, key := printedKey(t, out)
	pwID, pwKey := printedKey(t, mustRun(t, "", "api-registration", "create", "--db", db,
		"--name", "with password", "--password-required"))
	if pwKey == key {
		t.Fatal("two registrations got the same key")
	}

	// A group that has both registrations, and a user in it.
	code, body := call(t, "POST", p.url+biBase+"/UserGroups", tok, `{"groupType":"BeyondInsight","groupName":"scripted",`+
		`"Permissions":[{"PermissionID":1,"AccessLevelID":3}],"ApplicationRegistrationIDs":[`+
		strconv.FormatInt(regID, 10)+`,`+strconv.FormatInt(pwID, 10)+`]}`)
	if code != http.StatusCreated {
		t.Fatalf("POST UserGroups: %d %s", code, body)
	}
	gid := regexp.MustCompile(`"GroupID":(\d+)`).FindStringSubmatch(string(body))[1]
	const pw = "correct horse battery staple"
	if code, body := call(t, "POST", p.url+biBase+"/UserGroups/"+gid+"/Users", tok,
		`{"UserName":"bob","FirstName":"Bob","EmailAddress":"bob@example.com","Password":"`+pw+`"}`); code != http.StatusCreated {
		t.Fatalf("POST UserGroups/%s/Users: %d %s", gid, code, body)
	}

	if code := signIn(t, p.url, psAuth(key, "bob", "")); code != http.StatusOK {
		t.Fatalf("sign-in with the new key: %d", code)
	}
	if code := signIn(t, p.url, psAuth(pwKey, "bob", "")); code != http.StatusUnauthorized {
		t.Errorf("sign-in without the password a registration requires: %d, want 401", code)
	}
	if code := signIn(t, p.url, psAuth(pwKey, "bob", pw)); code != http.StatusOK {
		t.Errorf("sign-in with the password: %d", code)
	}

	list := mustRun(t, "", "api-registration", "list", "--db", db)
	rows := []*regexp.Regexp{
		regexp.MustCompile(`(?m)^ID +NAME +PASSWORD REQUIRED +IP ALLOW +CREATED$`),
		regexp.MustCompile(`(?m)^` + strconv.FormatInt(regID, 10) + ` +scripts +false +127\.0\.0\.1,::1 +\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$`),
		regexp.MustCompile(`(?m)^` + strconv.FormatInt(pwID, 10) + ` +with password +true +any +\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$`),
	}
	for _, row := range rows {
		if !row.MatchString(list) {
			t.Errorf("list lacks %s:\n%s", row, list)
		}
	}
	noSecrets(t, "list", list, key, pwKey)

	// Rotation, addressed by name in any case: the old key stops at once.
	out = mustRun(t, "", "api-registration", "rotate-key", "--db", db, "--name", "SCRIPTS")
	rotatedID, newKey := printedKey(t, out)
	if rotatedID != regID || newKey == key {
		t.Fatalf("rotate-key printed %q", out)
	}
	if code := signIn(t, p.url, psAuth(key, "bob", "")); code != http.StatusUnauthorized {
		t.Errorf("sign-in with the rotated-out key: %d, want 401", code)
	}
	if code := signIn(t, p.url, psAuth(newKey, "bob", "")); code != http.StatusOK {
		t.Errorf("sign-in with the new key: %d", code)
	}
	noSecrets(t, "list", mustRun(t, "", "api-registration", "list", "--db", db), key, newKey, pwKey)

	// Deletion, by id: the key stops at once and the list forgets it.
	out = mustRun(t, "", "api-registration", "delete", "--db", db, "--id", strconv.FormatInt(regID, 10))
	if want := `API registration ` + strconv.FormatInt(regID, 10) + ` "scripts" deleted`; !strings.HasPrefix(out, want) {
		t.Errorf("delete printed %q, want %q...", out, want)
	}
	if code := signIn(t, p.url, psAuth(newKey, "bob", "")); code != http.StatusUnauthorized {
		t.Errorf("sign-in with a deleted registration's key: %d, want 401", code)
	}
	if list := mustRun(t, "", "api-registration", "list", "--db", db); strings.Contains(list, "scripts") ||
		!strings.Contains(list, "with password") {
		t.Errorf("list after delete:\n%s", list)
	}

	var actions []string
	for _, e := range cliEvents(t, db, "api_registration") {
		if e.Actor != "cli" {
			t.Errorf("event %s by %q, want cli", e.Action, e.Actor)
		}
		noSecrets(t, "event "+e.Action, string(e.Before)+string(e.After), key, newKey, pwKey)
		actions = append(actions, e.Action)
	}
	if got, want := strings.Join(actions, " "), "api_registration.create api_registration.create "+
		"api_registration.rotate_key api_registration.delete"; got != want {
		t.Errorf("audit events %q, want %q", got, want)
	}
}

// noSecrets fails if out holds any of the keys or their stored hashes.
func noSecrets(t *testing.T, what, out string, secrets ...string) {
	t.Helper()
	for _, s := range secrets {
		if strings.Contains(out, s) || strings.Contains(out, hex.EncodeToString(directory.HashSecret(s))) {
			t.Errorf("%s shows a secret or its hash:\n%s", what, out)
		}
	}
}

func TestAPIRegistrationCommandMistakes(t *testing.T) {
	db := dsnFor(t)
	regID, _ := printedKey(t, mustRun(t, "", "api-registration", "create", "--db", db, "--name", "scripts"))
	missing := strconv.FormatInt(regID+100, 10)
	const group = "gatehouse api-registration: "
	checkMistakes(t, []mistake{
		{args: []string{"api-registration"}, code: 2, err: group + "want a subcommand: create, list, rotate-key or delete"},
		{args: []string{"api-registration", "revoke", "--db", db}, code: 2,
			err: group + `unknown subcommand "revoke": want create, list, rotate-key or delete`},
		{args: []string{"api-registration", "create", "--db", db}, code: 2, err: group + "--name is required"},
		{args: []string{"api-registration", "create", "--db", db, "--name", ""}, code: 2, err: group + "--name is required"},
		{args: []string{"api-registration", "create", "--db", db, "--name", "SCRIPTS"}, code: 1,
			err: group + `an API registration named "SCRIPTS" already exists`},
		{args: []string{"api-registration", "create", "--db", db, "--name", "x", "--ip-allow", "10.0.0.0/33"}, code: 1,
			err: group + "--ip-allow must be IP addresses or CIDR prefixes"},
		{args: []string{"api-registration", "create", "--db", db, "--name", "x", "--ip-allow", "10.0.0.1,intranet"}, code: 1,
			err: group + "--ip-allow must be IP addresses or CIDR prefixes"},
		{args: []string{"api-registration", "create", "--db", db, "--name", "tab\there"}, code: 1,
			err: group + "--name may not contain control characters"},
		{args: []string{"api-registration", "create", "--db", db, "--name", strings.Repeat("n", 300), "--ip-allow", "x"}, code: 1,
			err: group + "--ip-allow must be IP addresses or CIDR prefixes; --name may not be greater than 255 characters"},
		{args: []string{"api-registration", "create", "--db", db, "--name", "x", "--password-required=maybe"}, code: 2,
			err: group + `invalid boolean value "maybe" for -password-required: parse error`},
		{args: []string{"api-registration", "create", "--db", db, "x"}, code: 2, err: group + `unexpected argument "x"`},
		{args: []string{"api-registration", "list", "--db", db, "--name", "x"}, code: 2,
			err: group + "flag provided but not defined: -name"},
		{args: []string{"api-registration", "rotate-key", "--db", db}, code: 2, err: group + "give exactly one of --id and --name"},
		{args: []string{"api-registration", "rotate-key", "--db", db, "--id", "1", "--name", "scripts"}, code: 2,
			err: group + "give exactly one of --id and --name"},
		{args: []string{"api-registration", "rotate-key", "--db", db, "--id", missing}, code: 1, err: group + "API registration not found"},
		{args: []string{"api-registration", "rotate-key", "--db", db, "--name", "nobody"}, code: 1, err: group + "API registration not found"},
		{args: []string{"api-registration", "rotate-key", "--db", db, "1"}, code: 2, err: group + `unexpected argument "1"`},
		{args: []string{"api-registration", "delete", "--db", db}, code: 2, err: group + "give exactly one of --id and --name"},
		{args: []string{"api-registration", "delete", "--db", db, "--id", "abc"}, code: 2,
			err: group + `invalid value "abc" for flag -id: parse error`},
		{args: []string{"api-registration", "delete", "--db", db, "--id", missing}, code: 1, err: group + "API registration not found"},
		{args: []string{"api-registration", "delete", "--db", db, "--name", "nobody"}, code: 1, err: group + "API registration not found"},
	})
	// Nothing was created, rotated or deleted by the mistakes.
	list := mustRun(t, "", "api-registration", "list", "--db", db)
	if n := strings.Count(list, "\n"); n != 2 || !strings.Contains(list, "scripts") {
		t.Errorf("list after the mistakes:\n%s", list)
	}
	if events := cliEvents(t, db, "api_registration"); len(events) != 1 {
		t.Errorf("%d events after the mistakes, want the one create", len(events))
	}
}

func TestUsageNamesTheNewCommands(t *testing.T) {
	out, errOut, code := runCLI(t, "", "help")
	if code != 0 || out != "" {
		t.Fatalf("help: exit %d, stdout %q", code, out)
	}
	for _, want := range []string{
		"\n  api-registration manage BeyondInsight API registrations (PS-Auth keys): create, list, rotate-key, delete\n",
		"\n  directory        configure Active Directory and LDAP directories with bind credentials: add, list\n",
		"\n  api-account      manage API accounts",
	} {
		if !strings.Contains(errOut, want) {
			t.Errorf("usage lacks %q:\n%s", want, errOut)
		}
	}
}
