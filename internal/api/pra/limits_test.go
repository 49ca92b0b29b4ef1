package pra_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"strings"
	"testing"

	"github.com/gatehouse/gatehouse/internal/directory"
	"github.com/gatehouse/gatehouse/internal/testserver"
)

// invalidAll is the 422 body naming every field given.
func invalidAll(fields map[string][]string) string {
	b, _ := json.Marshal(map[string]any{"message": "The given data was invalid.", "errors": fields})
	return string(b)
}

// TestEveryInvalidFieldAtOnce: one 422 names every invalid field of a body,
// whether a field is missing, of the wrong type or breaks a rule, on every
// write that takes a body.
func TestEveryInvalidFieldAtOnce(t *testing.T) {
	e := newEnv(t)
	u := id(e.createUser("someone"))
	g := id(e.obj(201, "POST", "/group-policy", `{"name":"policy"}`))
	team := id(e.obj(201, "POST", "/team", `{"name":"team"}`))
	required := func(names ...string) map[string][]string {
		m := map[string][]string{}
		for _, n := range names {
			m[n] = []string{"The " + n + " field is required."}
		}
		return m
	}
	for _, c := range []struct {
		name, method, path, body string
		want                     map[string][]string
	}{
		{"user, empty", "POST", "/user", `{}`, required("username", "public_display_name")},
		{"user, no body", "POST", "/user", ``, required("username", "public_display_name")},
		{"user, types and rules", "POST", "/user",
			`{"username":5,"public_display_name":"","email_address":"not an address","enabled":"yes"}`,
			map[string][]string{
				"username":            {"The username must be a string."},
				"public_display_name": {"The public_display_name field is required."},
				"email_address":       {"The email_address must be a valid email address."},
				"enabled":             {"The enabled must be true or false."},
			}},
		{"user update, types and rules", "PATCH", "/user/" + u,
			`{"username":"","failed_logins":"x","preferred_email_language":"english please"}`,
			map[string][]string{
				"username":                 {"The username field is required."},
				"failed_logins":            {"The failed_logins must be an integer."},
				"preferred_email_language": {"The preferred_email_language must be a locale code such as en-us."},
			}},
		{"group policy, empty", "POST", "/group-policy", `{}`, required("name")},
		{"group policy, types and rules", "POST", "/group-policy",
			`{"name":"","perm_remote_rdp":"yes","access_perm_status":"sometimes","perm_session_idle_timeout":7}`,
			map[string][]string{
				"name":                      {"The name field is required."},
				"perm_remote_rdp":           {"The perm_remote_rdp must be true or false."},
				"access_perm_status":        {"The access_perm_status must be one of not_defined, defined or final."},
				"perm_session_idle_timeout": {"The perm_session_idle_timeout must be one of -1, 0, 300, 600, 900, 1800, 3600, 7200, 14400, 28800, 43200 or 86400."},
			}},
		{"group policy update, types and rules", "PATCH", "/group-policy/" + g,
			`{"name":7,"access_perm_status":"sometimes"}`,
			map[string][]string{
				"name":               {"The name must be a string."},
				"access_perm_status": {"The access_perm_status must be one of not_defined, defined or final."},
			}},
		{"member, empty", "POST", "/group-policy/" + g + "/member", `{}`, required("security_provider_id")},
		{"member, types", "POST", "/group-policy/" + g + "/member", `{"user_id":"1","group_name":5,"group_policy_id":99}`,
			map[string][]string{
				"security_provider_id": {"The security_provider_id field is required."},
				"user_id":              {"The user_id must be an integer."},
				"group_name":           {"The group_name must be a string."},
				"group_policy_id":      {"The group_policy_id must be the id of the group policy in the URL."},
			}},
		{"team, empty", "POST", "/team", `{}`, required("name")},
		{"team, types and rules", "POST", "/team", `{"name":"","comments":5}`,
			map[string][]string{
				"name":     {"The name field is required."},
				"comments": {"The comments must be a string."},
			}},
		{"team update, types and rules", "PATCH", "/team/" + team, `{"name":"","code_name":5}`,
			map[string][]string{
				"name":      {"The name field is required."},
				"code_name": {"The code_name must be a string."},
			}},
		{"team user, empty", "POST", "/team/" + team + "/user", `{}`, required("user_id")},
		{"team user, types and rules", "POST", "/team/" + team + "/user", `{"user_id":"x","role":"boss"}`,
			map[string][]string{
				"user_id": {"The user_id must be an integer."},
				"role":    {"The role must be one of member, lead or manager."},
			}},
		{"team user update, types and rules", "PATCH", "/team/" + team + "/user/" + u, `{"team_id":"x","role":"boss"}`,
			map[string][]string{
				"team_id": {"The team_id must be an integer."},
				"role":    {"The role must be one of member, lead or manager."},
			}},
		{"team user, types", "POST", "/team/" + team + "/user", `{"user_id":"x","role":5,"team_id":99}`,
			map[string][]string{
				"user_id": {"The user_id must be an integer."},
				"role":    {"The role must be a string."},
				"team_id": {"The team_id must be the id of the team in the URL."},
			}},
		{"group changes, types", "PATCH", "/user/" + u + "/group-policy-changes", `{"added":"1","removed":[0]}`,
			map[string][]string{
				"added":   {"The added must be an array of integers."},
				"removed": {"The removed must contain only integers between 1 and 2147483647."},
			}},
	} {
		expect(t, c.name, e.do(c.method, c.path, c.body), 422, invalidAll(c.want))
	}
}

// TestBodyLimit: a body over the server's limit gets 413 in PRA's shape,
// and the token endpoint's form gets RFC 6749's; a body at the limit is
// read.
func TestBodyLimit(t *testing.T) {
	const limit = 2048
	e := newEnv(t, testserver.WithMaxBody(limit))
	fill := func(n int) string {
		body := `{"username":"big","public_display_name":"big","email_address":""}`
		return strings.TrimSuffix(body, "}") + `,"password":"` + strings.Repeat("p", n-len(body)-len(`,"password":""`)) + `"}`
	}
	expect(t, "over the limit", e.do("POST", "/user", fill(limit+1)), 413, message("The request body is too large."))
	if resp := e.do("POST", "/user", fill(limit)); resp.Status != 422 { // a password of 2000 characters is too long
		t.Errorf("a body at the limit: %d %s, want it read (422 for its password)", resp.Status, resp.Body)
	}
	form := url.Values{"grant_type": {"client_credentials"}, "client_id": {testserver.AdminClientID},
		"client_secret": {strings.Repeat("s", limit)}}.Encode()
	resp := e.Do(t, "POST", "/oauth2/token", "", form, "Content-Type", "application/x-www-form-urlencoded")
	if resp.Status != 413 || resp.Object(t)["error"] != "invalid_request" {
		t.Errorf("token form over the limit: %d %s, want 413 invalid_request", resp.Status, resp.Body)
	}
}

// TestFilterLength: a filter parameter longer than its field can be is a
// 422, however long.
func TestFilterLength(t *testing.T) {
	e := newEnv(t)
	for _, n := range []int{256, 40000} {
		expect(t, "long username filter", e.do("GET", "/user?username="+strings.Repeat("a", n), ""), 422,
			invalid("username", "The username may not be greater than 255 characters."))
	}
}

// TestProvisionBeyondAPage: a user in more group policies than a page
// holds is provisioned, the store's page maximum notwithstanding.
func TestProvisionBeyondAPage(t *testing.T) {
	e := newEnv(t)
	u := e.createUser("joiner")
	uid := int64(u["id"].(float64))
	err := e.Store().Write(context.Background(), func(tx directory.Tx) error {
		for i := range directory.MaxPageSize + 1 {
			g := directory.Group{Name: fmt.Sprintf("policy-%04d", i), Source: directory.SourceLocal,
				SecurityProviderID: directory.LocalProviderID, AccessStatus: directory.AccessDefined,
				Access: directory.DefaultAccess(), Active: true}
			if err := tx.CreateGroup(context.Background(), &g); err != nil {
				return err
			}
			m := directory.Member{GroupID: g.ID, SecurityProviderID: directory.LocalProviderID, UserID: uid}
			if err := tx.AddMember(context.Background(), &m); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	expect(t, "provision", e.do("POST", "/user/provision", `{"user_ids":[`+id(u)+`]}`), 204, "")
}
