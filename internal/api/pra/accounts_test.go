package pra_test

import (
	"net/url"
	"strings"
	"testing"

	"github.com/gatehouse/gatehouse/internal/directory"
)

func TestSecurityProviders(t *testing.T) {
	e := newEnv(t)
	list := e.do("GET", "/security-provider", "")
	items := list.Array(t)
	if list.Status != 200 || len(items) != 1 || items[0]["id"] != 1.0 || items[0]["type"] != "local" || len(items[0]) != 6 {
		t.Fatalf("list: %d %s", list.Status, list.Body)
	}
	for _, f := range []string{"name", "enabled", "user_authentication", "group_lookup"} {
		if _, ok := items[0][f]; !ok {
			t.Errorf("list item lacks %s", f)
		}
	}
	one := e.obj(200, "GET", "/security-provider/1", "")
	for _, f := range []string{"id", "type", "name", "enabled", "user_authentication", "group_lookup", "priority", "default_policy"} {
		if _, ok := one[f]; !ok {
			t.Errorf("provider lacks %s: %v", f, one)
		}
	}
	expect(t, "missing", e.do("GET", "/security-provider/2", ""), 404, message("Security provider not found."))
	if list.Header.Get("X-BT-Pagination-Total") != "1" {
		t.Errorf("headers: %v", list.Header)
	}
}

func TestAPIAccounts(t *testing.T) {
	e := newEnv(t)
	clientID, secret := e.NewAccount(t, "Reader", directory.Permissions{Configuration: directory.AccessReadOnly, UserManagement: directory.AccessNone, SCIM: true})
	list := e.do("GET", "/api-account?name=READER", "")
	items := list.Array(t)
	if list.Status != 200 || len(items) != 1 {
		t.Fatalf("filter: %d %s", list.Status, list.Body)
	}
	r := items[0]
	want := `{"id":` + id(r) + `,"name":"Reader","comments":"","enabled":true,"ip_addresses":"","client_id":"` + clientID + `",
		"failed_login_attempts":0,"failed_login_expiration":null,"ecm_group_id":null,"perm_command":"deny",
		"perm_reporting_support":false,"perm_reporting_license":false,"perm_reporting_vault":false,"perm_reporting_jump_item":false,
		"perm_reporting_syslog":false,"perm_backup":false,"perm_vault_backup":false,"perm_ecm":false,"perm_scim":true,
		"perm_configuration":true,"perm_configuration_vault_account":false,"perm_configuration_access":"read_only"}`
	expect(t, "read", e.do("GET", "/api-account/"+id(r), ""), 200, want)
	all := e.do("GET", "/api-account", "")
	if len(all.Array(t)) != 2 || strings.Contains(string(all.Body), secret) || strings.Contains(strings.ToLower(string(all.Body)), "secret") {
		t.Errorf("list: %s", all.Body)
	}
	if boot := e.do("GET", "/api-account?name=BOOTSTRAP:test-admin", "").Array(t); len(boot) != 1 ||
		boot[0]["perm_configuration_access"] != "full_access" || boot[0]["perm_configuration"] != true {
		t.Errorf("bootstrap account: %v", boot)
	}
	expect(t, "missing", e.do("GET", "/api-account/999", ""), 404, message("API account not found."))
	expect(t, "read only", e.do("PATCH", "/api-account/"+id(r), `{}`), 405, message("The PATCH method is not allowed for this URL."))
}

// Failed token requests show in the account's failed_login_attempts, and
// the lock-out they lead to in failed_login_expiration; while locked, even
// the right secret is refused.
func TestAPIAccountLockOutIsVisible(t *testing.T) {
	e := newEnv(t)
	clientID, secret := e.NewAccount(t, "Fumbler", directory.Permissions{Configuration: directory.AccessReadOnly})
	tokenRequest := func(secret string) int {
		form := url.Values{"grant_type": {"client_credentials"}, "client_id": {clientID}, "client_secret": {secret}}.Encode()
		return e.Do(t, "POST", "/oauth2/token", "", form, "Content-Type", "application/x-www-form-urlencoded").Status
	}
	account := func() map[string]any {
		items := e.do("GET", "/api-account?name=Fumbler", "").Array(t)
		if len(items) != 1 {
			t.Fatalf("want one account named Fumbler, got %v", items)
		}
		return items[0]
	}
	for i := 0; i < 2; i++ {
		if code := tokenRequest("wrong"); code != 401 {
			t.Fatalf("wrong secret: %d, want 401", code)
		}
	}
	if a := account(); a["failed_login_attempts"] != 2.0 || a["failed_login_expiration"] != nil {
		t.Fatalf("after 2 failures: %v", a)
	}
	for i := 0; i < 3; i++ { // the default lock-out is at 5 consecutive failures
		tokenRequest("wrong")
	}
	a := account()
	until, _ := a["failed_login_expiration"].(string)
	if !strings.HasSuffix(until, "+00:00") {
		t.Fatalf("after 5 failures, failed_login_expiration = %v, want a +00:00 date-time", a["failed_login_expiration"])
	}
	if code := tokenRequest(secret); code != 401 {
		t.Fatalf("right secret while locked: %d, want 401", code)
	}
}
