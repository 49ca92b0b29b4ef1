package main

import (
	"net/http"
	"regexp"
	"strings"
	"testing"
)

var (
	mintedToken = regexp.MustCompile(`(?m)^  (\S{92})$`)
	revokeLine  = regexp.MustCompile(`api-account disable --id (\d+)`)
)

// A minted SCIM token is an ordinary bearer token of an account allowed
// SCIM and nothing else, and disabling that account revokes it.
func TestSCIMTokenCreate(t *testing.T) {
	db := dsnFor(t)
	p := start(t, db)
	out, err := gatehouse(t, "scim-token", "create", "--db", db, "--name", "okta", "--ttl", "720h")
	if err != nil {
		t.Fatalf("scim-token create: %v\n%s", err, out)
	}
	tok, id := mintedToken.FindStringSubmatch(out), revokeLine.FindStringSubmatch(out)
	if tok == nil || id == nil || !strings.Contains(out, `"scim: okta"`) {
		t.Fatalf("scim-token create printed no token and account:\n%s", out)
	}
	if code, _ := call(t, "GET", p.url+"/scim/v2/Users", tok[1], ""); code != http.StatusOK {
		t.Errorf("GET /scim/v2/Users with the minted token: %d, want 200", code)
	}
	// SCIM and nothing else: authenticated, refused.
	if code, _ := call(t, "GET", p.url+"/api/config/v1/user", tok[1], ""); code != http.StatusForbidden {
		t.Errorf("PRA with the minted token: %d, want 403", code)
	}
	if out, err := gatehouse(t, "api-account", "disable", "--db", db, "--id", id[1]); err != nil {
		t.Fatalf("disable: %v\n%s", err, out)
	}
	eventually(t, "revocation", func() bool {
		code, _ := call(t, "GET", p.url+"/scim/v2/Users", tok[1], "")
		return code == http.StatusUnauthorized
	})

	for _, c := range []struct {
		args []string
		msg  string
	}{
		{[]string{"scim-token", "create"}, "--name is required"},
		{[]string{"scim-token", "create", "--name", "x", "--ttl", "0s"}, "--ttl must be between 1s and 43920h0m0s"},
		{[]string{"scim-token", "create", "--name", "x", "--ttl", "50000h"}, "--ttl must be between 1s and 43920h0m0s"},
		{[]string{"scim-token", "create", "--name", "okta"}, `an API account named "scim: okta" already exists: choose another --name`},
		{[]string{"scim-token", "list"}, `unknown subcommand "list": want create`},
	} {
		out, err := gatehouse(t, append(c.args, "--db", db)...)
		if err == nil || !strings.Contains(out, c.msg) {
			t.Errorf("%v: %v\n%s\nwant %q", c.args, err, out, c.msg)
		}
	}
}
