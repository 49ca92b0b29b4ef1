package dump

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/gatehouse/gatehouse/internal/directory"
)

// good is a small valid dump, as lines.
func good(t *testing.T) []string {
	t.Helper()
	src := open(t)
	populate(t, src)
	return strings.Split(strings.TrimSuffix(string(export(t, src, everything)), "\n"), "\n")
}

// index returns the position of the first line containing s.
func index(t *testing.T, lines []string, s string) int {
	t.Helper()
	for i, l := range lines {
		if strings.Contains(l, s) {
			return i
		}
	}
	t.Fatalf("no line contains %s", s)
	return -1
}

func with(lines []string, i int, replacement ...string) []string {
	out := append([]string{}, lines[:i]...)
	out = append(out, replacement...)
	return append(out, lines[i+1:]...)
}

// Every broken dump is refused with a message naming its line, and leaves
// the target as empty as it found it.
func TestImportRefusesBrokenDumps(t *testing.T) {
	lines := good(t)
	member := index(t, lines, `"type":"member"`)
	bob := index(t, lines, `"username":"bob"`)
	firstUser, lastUser := index(t, lines, `"type":"user"`), index(t, lines, `"type":"api_registration"`)-1
	secret := index(t, lines, `"type":"secret"`)
	registration := index(t, lines, `"type":"api_registration"`)
	group := index(t, lines, `"type":"group"`)
	alice := index(t, lines, `"username":"alice"`)
	withProfile := func(field string) []string {
		return with(lines, alice, strings.Replace(lines[alice], `"profile":{`, `"profile":{`+field+`,`, 1))
	}
	last := len(lines) - 1
	at := func(i int) string { return "line " + strconv.Itoa(i+1) }
	for _, c := range []struct {
		name  string
		dump  []string
		error string
	}{
		{"empty input", nil, "the input is empty"},
		{"no header", lines[1:], `line 1: not a gatehouse export: the first line must be the "gatehouse-export" header, not a "security_provider" record`},
		{"wrong version", with(lines, 0, strings.Replace(lines[0], `"version":`+strconv.Itoa(Version), `"version":9`, 1)),
			"line 1: not a gatehouse export: export format version 9 is not supported"},
		{"version 0", with(lines, 0, strings.Replace(lines[0], `"version":`+strconv.Itoa(Version), `"version":0`, 1)),
			"line 1: not a gatehouse export: export format version 0 is not supported"},
		{"header not JSON", with(lines, 0, "PGDMP"), "line 1: not a gatehouse export: not a JSON object"},
		{"malformed line", with(lines, member, `{"type":"member","id":`), "line " + strconv.Itoa(member+1) + `: member record: unexpected EOF`},
		{"unknown type", with(lines, member, `{"type":"rolez","id":1}`), "line " + strconv.Itoa(member+1) + `: unknown record type "rolez"`},
		{"no type", with(lines, member, `{"id":1}`), "line " + strconv.Itoa(member+1) + `: the record has no "type"`},
		{"unknown field", with(lines, member, strings.Replace(lines[member], `"id":`, `"colour":"red","id":`, 1)),
			"line " + strconv.Itoa(member+1) + `: member record: json: unknown field "colour"`},
		{"bad value", with(lines, member, strings.Replace(lines[member], `"id":1,`, `"id":0,`, 1)),
			"line " + strconv.Itoa(member+1) + ": member 0 of group 1: id must be a positive id, not 0"},
		{"dangling user", with(lines, member, strings.Replace(lines[member], `"user_id":1,`, `"user_id":999,`, 1)),
			"line " + strconv.Itoa(member+1) + ": member 1 of group 1: it refers to user 999, which no earlier line of the dump holds"},
		{"duplicate username", with(lines, bob, strings.Replace(lines[bob], `"username":"bob"`, `"username":"ALICE"`, 1)),
			fmt.Sprintf("lines %d to %d (user records): ", firstUser+1, lastUser+1)},
		{"secret of a missing user", with(lines, secret, regexp.MustCompile(`"owner_ids":\[\d+`).ReplaceAllString(lines[secret], `"owner_ids":[999`)),
			at(secret) + ": secret 1: it refers to user 999, which no earlier line of the dump holds"},
		{"short key hash", with(lines, registration, regexp.MustCompile(`"key_hash":"[^"]*"`).ReplaceAllString(lines[registration], `"key_hash":"AAAA"`)),
			at(registration) + ": API registration 1: key_hash must be a SHA-256 of 32 bytes, not 3"},
		{"group source", with(lines, group, strings.Replace(lines[group], `"source":"local"`, `"source":"application"`, 1)),
			at(group) + `: group 1: source "application" is not one of`},
		{"directory of a non-ldap provider", with(lines, 1, strings.Replace(lines[1], `"directory":null`,
			`"directory":{"kind":"ldap","domain":"","host":"h","port":0,"use_ssl":false,"base_dn":"","account_attribute":"uid","bind_user":""}`, 1)),
			`line 2: security provider 1: provider_type "local" is not one of ["ldap"]`},
		{"unknown profile field", withProfile(`"colour":"red"`), at(alice) + `: user record: json: unknown field "colour"`},
		{"NUL in a profile", withProfile(`"honorific_suffix":"a\u0000b"`), at(alice) + ": user 1: profile may not contain NUL characters"},
		{"long profile", withProfile(`"honorific_suffix":"` + strings.Repeat("x", directory.MaxProfileText+1) + `"`),
			at(alice) + ": user 1: profile " + directory.MsgMaxLen(directory.MaxProfileText)},
		{"cut short", lines[:last], "the dump ends without its \"end\" record: it was cut short"},
		{"wrong counts", with(lines, last, strings.Replace(lines[last], `"member":4`, `"member":5`, 1)),
			"line " + strconv.Itoa(last+1) + ": the end record counts 5 member records, but the dump has 4"},
		{"data after the end", append(append([]string{}, lines...), lines[1]), "line " + strconv.Itoa(last+2) + `: nothing may follow the "end" record`},
		{"other local provider", with(lines, 1, strings.Replace(lines[1], `"name":"Local"`, `"name":"Mine"`, 1)),
			"line 2: security provider 1: differs from the target's built-in local provider"},
	} {
		t.Run(c.name, func(t *testing.T) {
			dst := open(t)
			input := strings.Join(c.dump, "\n")
			_, err := Import(ctx, dst, strings.NewReader(input), nil)
			if err == nil || !strings.Contains(err.Error(), c.error) {
				t.Fatalf("got %v\nwant an error containing %q", err, c.error)
			}
			if err := checkEmpty(ctx, dst); err != nil {
				t.Fatalf("after the failed import: %v", err)
			}
			// And the target takes a good dump afterwards, with its ids.
			if _, err := Import(ctx, dst, strings.NewReader(strings.Join(lines, "\n")), nil); err != nil {
				t.Fatalf("a good import after the failed one: %v", err)
			}
		})
	}
}

func TestImportRefusesATargetInUse(t *testing.T) {
	dst := open(t)
	svc := directory.NewService(dst, directory.NewHasher(directory.DefaultArgon2))
	if _, _, err := svc.Bootstrap(ctx, "", ""); err != nil {
		t.Fatal(err)
	}
	dumped := strings.Join(good(t), "\n")
	_, err := Import(ctx, dst, strings.NewReader(dumped), nil)
	want := "the target directory is not empty (it has 1 API accounts, 1 audit events)"
	if err == nil || !strings.Contains(err.Error(), want) {
		t.Fatalf("got %v, want %q", err, want)
	}
	accounts, err := dst.APIAccounts(ctx, directory.Query{Limit: 10})
	if err != nil || accounts.Total != 1 || accounts.Items[0].Name != directory.BootstrapName {
		t.Fatalf("the target's own account after the refusal: %+v %v", accounts, err)
	}
}

// An interrupted import undoes itself although its context is done.
func TestInterruptedImportIsUndone(t *testing.T) {
	dst := open(t)
	dumped := strings.Join(good(t), "\n")
	cctx, cancel := context.WithCancel(ctx)
	p := &cancelAt{typ: TypeTeam, cancel: cancel}
	_, err := Import(cctx, dst, strings.NewReader(dumped), p)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("got %v, want cancellation", err)
	}
	if err := checkEmpty(ctx, dst); err != nil {
		t.Fatal(err)
	}
}

// cancelAt cancels when a record type begins.
type cancelAt struct {
	noProgress
	typ    string
	cancel func()
}

func (c *cancelAt) Begin(typ string, _ int) {
	if typ == c.typ {
		c.cancel()
	}
}

func TestRecordTypeFastPathAgreesWithJSON(t *testing.T) {
	for in, want := range map[string]string{
		`{"type":"user","id":1}`:      "user",
		`{"id":1,"type":"user"}`:      "user",
		`{"type":"us\u0065r","id":1}`: "user",
		`{ "type" : "team" }`:         "team",
	} {
		got, err := recordType([]byte(in))
		if err != nil || got != want {
			t.Errorf("recordType(%s) = %q, %v; want %q", in, got, err, want)
		}
	}
	if _, err := recordType(bytes.Repeat([]byte("x"), 3)); err == nil {
		t.Error("recordType of garbage succeeded")
	}
}
