package main

import (
	"context"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/gatehouse/gatehouse/internal/directory"
	"github.com/gatehouse/gatehouse/internal/ldaptest"
	"github.com/gatehouse/gatehouse/internal/store"
)

// writeFile writes a file only its owner may read, as a password file is.
func writeFile(t *testing.T, content string) string {
	t.Helper()
	name := filepath.Join(t.TempDir(), "bind-password")
	if err := os.WriteFile(name, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return name
}

// storedDirectory reads a directory's settings back from the database.
func storedDirectory(t *testing.T, db string, id int64) directory.DirectorySettings {
	t.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	p, err := st.SecurityProvider(ctx, id)
	if err != nil || p.Directory == nil {
		t.Fatalf("security provider %d: %+v %v", id, p, err)
	}
	return *p.Directory
}

var addedDirectory = regexp.MustCompile(`^Added directory (\d+) "`)

func directoryID(t *testing.T, out string) int64 {
	t.Helper()
	m := addedDirectory.FindStringSubmatch(out)
	if m == nil {
		t.Fatalf("add printed %q", out)
	}
	id, _ := strconv.ParseInt(m[1], 10, 64)
	return id
}

// Directories added on the command line keep their bind credentials, which
// a running server then uses to add BeyondInsight ActiveDirectory and
// LdapDirectory users that name no bind credentials; the password is read
// from a file or standard input and is never shown or audited.
func TestDirectoryCommandsAgainstARunningServer(t *testing.T) {
	ldap := ldaptest.Start(t)
	const bindPassword = "svc pass; with spaces"
	svc := ldap.AddPerson(t, ldaptest.Person{UID: "svc", Password: bindPassword})
	ldap.AddPerson(t, ldaptest.Person{UID: "ada", GivenName: "Ada", Surname: "Lovelace", Mail: "ada@example.com", SAMAccountName: "ada"})
	grace := ldap.AddPerson(t, ldaptest.Person{UID: "grace", GivenName: "Grace", Surname: "Hopper"})
	port := strconv.Itoa(ldap.Port)

	db := dsnFor(t)
	p := start(t, db)
	acctID, secret := p.credentials(t)
	tok := biToken(t, p.url, acctID, secret)
	adUser := `{"UserType":"ActiveDirectory","UserName":"ada","DomainName":"example.com"}`
	if code, body := call(t, "POST", p.url+biBase+"/Users", tok, adUser); code != http.StatusBadRequest ||
		!strings.Contains(string(body), "no directory with stored credentials is configured") {
		t.Fatalf("ActiveDirectory user before a directory is configured: %d %s", code, body)
	}

	// Active Directory, the password from a file with a trailing newline.
	out := mustRun(t, "", "directory", "add", "--db", db, "--kind", "active-directory", "--name", "Example AD",
		"--domain", "example.com", "--host", "127.0.0.1", "--port", port, "--bind-user", svc,
		"--bind-password-file", writeFile(t, bindPassword+"\n"))
	if want := `"Example AD" (active-directory example.com on 127.0.0.1); its bind password is stored and never shown.` + "\n"; !strings.HasSuffix(out, want) {
		t.Errorf("add printed %q, want ...%q", out, want)
	}
	adID := directoryID(t, out)
	// LDAP, the password from standard input with a CRLF line end.
	out = mustRun(t, bindPassword+"\r\n", "directory", "add", "--db", db, "--kind", "ldap", "--name", "OpenLDAP",
		"--host", "127.0.0.1", "--port", port, "--base-dn", ldap.BaseDN, "--account-attribute", "uid",
		"--bind-user", svc, "--bind-password-file", "-")
	ldapID := directoryID(t, out)

	for _, id := range []int64{adID, ldapID} {
		if got := storedDirectory(t, db, id).BindPassword; got != bindPassword {
			t.Errorf("directory %d stored bind password %q, want %q (one line end dropped)", id, got, bindPassword)
		}
	}

	list := mustRun(t, "", "directory", "list", "--db", db)
	for _, row := range []string{
		`ID +NAME +KIND +DOMAIN +HOST +PORT +SSL +BASE DN +ACCOUNT ATTRIBUTE +BIND USER`,
		strconv.FormatInt(adID, 10) + ` +Example AD +active-directory +example\.com +127\.0\.0\.1 +` + port +
			` +false +dc=example,dc=com +sAMAccountName +` + regexp.QuoteMeta(svc),
		strconv.FormatInt(ldapID, 10) + ` +OpenLDAP +ldap +example\.com +127\.0\.0\.1 +` + port +
			` +false +dc=example,dc=com +uid +` + regexp.QuoteMeta(svc),
	} {
		if !regexp.MustCompile(`(?m)^` + row + `$`).MatchString(list) {
			t.Errorf("list lacks %s:\n%s", row, list)
		}
	}
	if strings.Contains(list, "svc pass") || strings.Contains(list, "Local") {
		t.Errorf("list shows a bind password or a provider that is no directory:\n%s", list)
	}

	// The running server now adds users of both with the stored credentials.
	if code, body := call(t, "POST", p.url+biBase+"/Users", tok, adUser); code != http.StatusOK ||
		!strings.Contains(string(body), "Lovelace") {
		t.Errorf("ActiveDirectory user with stored credentials: %d %s", code, body)
	}
	if code, body := call(t, "POST", p.url+biBase+"/Users", tok, `{"UserType":"LdapDirectory","HostName":"127.0.0.1",`+
		`"DistinguishedName":"`+grace+`","AccountNameAttribute":"uid"}`); code != http.StatusOK || !strings.Contains(string(body), "Hopper") {
		t.Errorf("LdapDirectory user with stored credentials: %d %s", code, body)
	}

	var n int
	for _, e := range cliEvents(t, db, "security_provider") {
		if e.Actor != "cli" {
			continue
		}
		n++
		if e.Action != "security_provider.create" || strings.Contains(string(e.After), "svc pass") {
			t.Errorf("event %s: %s", e.Action, e.After)
		}
	}
	if n != 2 {
		t.Errorf("%d security provider events by cli, want 2", n)
	}
}

// With --ssl and no port, the list says the port is the default.
func TestDirectoryListDefaults(t *testing.T) {
	db := dsnFor(t)
	mustRun(t, "secret\n", "directory", "add", "--db", db, "--kind", "active_directory", "--name", "Corp",
		"--domain", "corp.example.com", "--ssl", "--bind-user", "svc@corp.example.com", "--bind-password-file", "-")
	list := mustRun(t, "", "directory", "list", "--db", db)
	row := `(?m)^\d+ +Corp +active-directory +corp\.example\.com +corp\.example\.com +default +true +dc=corp,dc=example,dc=com +sAMAccountName +svc@corp\.example\.com$`
	if !regexp.MustCompile(row).MatchString(list) || strings.Contains(list, "secret") {
		t.Errorf("list:\n%s", list)
	}
}

func TestDirectoryCommandMistakes(t *testing.T) {
	db := dsnFor(t)
	pw := writeFile(t, "s3cret\n")
	missing := filepath.Join(t.TempDir(), "no-such-file")
	empty, newline := writeFile(t, ""), writeFile(t, "\n")
	add := func(extra ...string) []string {
		return append([]string{"directory", "add", "--db", db}, extra...)
	}
	ad := func(extra ...string) []string {
		return add(append([]string{"--kind", "active-directory", "--name", "AD", "--domain", "example.com",
			"--bind-user", "svc@example.com"}, extra...)...)
	}
	ldap := func(extra ...string) []string {
		return add(append([]string{"--kind", "ldap", "--name", "LDAP", "--host", "ldap.example.com",
			"--bind-user", "cn=svc,dc=example,dc=com"}, extra...)...)
	}
	const group = "gatehouse directory: "
	checkMistakes(t, []mistake{
		{args: []string{"directory"}, code: 2, err: group + "want a subcommand: add or list"},
		{args: []string{"directory", "remove", "--db", db}, code: 2, err: group + `unknown subcommand "remove": want add or list`},
		{args: add("--name", "x", "--domain", "example.com", "--bind-user", "u", "--bind-password-file", pw), code: 2,
			err: group + "--kind is required"},
		{args: add("--kind", "samba"), code: 2, err: group + `invalid value "samba" for flag -kind: want active-directory or ldap`},
		{args: add("--kind", "ldap", "--host", "h", "--bind-user", "u", "--bind-password-file", pw), code: 2,
			err: group + "--name is required"},
		{args: add("--kind", "active-directory", "--name", "x", "--bind-user", "u", "--bind-password-file", pw), code: 2,
			err: group + "--domain is required for --kind active-directory"},
		{args: add("--kind", "ldap", "--name", "x", "--domain", "example.com", "--bind-user", "u", "--bind-password-file", pw), code: 2,
			err: group + "--host is required for --kind ldap"},
		{args: add("--kind", "ldap", "--name", "x", "--host", "h", "--bind-password-file", pw), code: 2,
			err: group + "--bind-user is required"},
		{args: ldap(), code: 2, err: group + "--bind-password-file is required"},
		{args: ldap("--bind-password", "s3cret"), code: 2, err: group + "flag provided but not defined: -bind-password"},
		{args: ldap("--bind-password-file", pw, "--port", "0"), code: 2,
			err: group + `invalid value "0" for flag -port: want a port number from 1 to 65535`},
		{args: ldap("--bind-password-file", pw, "--port", "65536"), code: 2,
			err: group + `invalid value "65536" for flag -port: want a port number from 1 to 65535`},
		{args: ldap("--bind-password-file", pw, "--port", "ldaps"), code: 2,
			err: group + `invalid value "ldaps" for flag -port: want a port number from 1 to 65535`},
		{args: ldap("--bind-password-file", pw, "--ssl=sometimes"), code: 2,
			err: group + `invalid boolean value "sometimes" for -ssl: parse error`},
		{args: ldap("--bind-password-file", pw, "extra"), code: 2, err: group + `unexpected argument "extra"`},
		{args: ldap("--bind-password-file", missing), code: 1,
			err: group + "--bind-password-file: open " + missing + ": no such file or directory"},
		{args: ldap("--bind-password-file", empty), code: 1, err: group + "--bind-password-file: " + empty + " holds no password"},
		{args: ldap("--bind-password-file", newline), code: 1, err: group + "--bind-password-file: " + newline + " holds no password"},
		{args: ldap("--bind-password-file", "-"), code: 1, err: group + "--bind-password-file: standard input holds no password"},
		{args: ldap("--bind-password-file", "-"), stdin: "\n", code: 1, err: group + "--bind-password-file: standard input holds no password"},
		{args: ldap("--bind-password-file", pw, "--account-attribute", "account name"), code: 1,
			err: group + "--account-attribute must be an LDAP attribute name"},
		{args: ad("--bind-password-file", pw, "--host", strings.Repeat("h", 300)), code: 1,
			err: group + "--host may not be greater than 250 characters"},
		{args: ad("--bind-password-file", pw, "--name", "tab\there"), code: 1, err: group + "--name may not contain control characters"},
		{args: []string{"directory", "list", "--db", db, "--kind", "ldap"}, code: 2, err: group + "flag provided but not defined: -kind"},
	})
	// None of the mistakes added a directory.
	if list := mustRun(t, "", "directory", "list", "--db", db); strings.Count(list, "\n") != 1 {
		t.Errorf("list after the mistakes:\n%s", list)
	}
}
