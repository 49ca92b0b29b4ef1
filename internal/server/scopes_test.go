package server_test

import (
	"net/http"
	"net/url"
	"testing"

	"github.com/gatehouse/gatehouse/internal/directory"
	"github.com/gatehouse/gatehouse/internal/testserver"
)

// A token asked for with scope=read_only reads through every face and is
// refused every write, whatever its account may do; the same account's
// full_access token writes.
func TestReadOnlyScopeRefusesWritesOnEveryFace(t *testing.T) {
	s := testserver.New(t)
	id, secret := s.NewAccount(t, "everything", directory.FullPermissions())
	token := func(scope string) string {
		form := url.Values{"grant_type": {"client_credentials"}, "client_id": {id}, "client_secret": {secret}, "scope": {scope}}
		resp := s.Do(t, http.MethodPost, "/oauth2/token", "", form.Encode(), "Content-Type", "application/x-www-form-urlencoded")
		if resp.Status != http.StatusOK {
			t.Fatalf("token with scope %s: %d %s", scope, resp.Status, resp.Body)
		}
		return resp.Object(t)["access_token"].(string)
	}
	readOnly, full := token("read_only"), token("full_access")
	for _, c := range []struct {
		face, readPath, writeMethod, writePath, body, contentType string
	}{
		{"PRA", "/api/config/v1/user", "POST", "/api/config/v1/user", `{"username":"p","public_display_name":"P"}`, "application/json"},
		{"public v3", "/api/public/v3/users", "POST", "/api/public/v3/users", `{"username":"q","account_type":"local","password":"correct horse"}`, "application/json"},
		{"SCIM", "/scim/v2/Users", "POST", "/scim/v2/Users", `{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"r"}`, "application/scim+json"},
		{"BeyondInsight", "/BeyondTrust/api/public/v3/Users", "POST", "/BeyondTrust/api/public/v3/Users",
			`{"UserName":"s","FirstName":"S","EmailAddress":"s@example.com","Password":"correct horse"}`, "application/json"},
	} {
		t.Run(c.face, func(t *testing.T) {
			if r := s.Do(t, http.MethodGet, c.readPath, readOnly, ""); r.Status != http.StatusOK {
				t.Errorf("read with a read_only token: %d %s", r.Status, r.Body)
			}
			if r := s.Do(t, c.writeMethod, c.writePath, readOnly, c.body, "Content-Type", c.contentType); r.Status != http.StatusForbidden {
				t.Errorf("write with a read_only token: %d %s, want 403", r.Status, r.Body)
			}
			if r := s.Do(t, c.writeMethod, c.writePath, full, c.body, "Content-Type", c.contentType); r.Status/100 != 2 {
				t.Errorf("write with a full_access token: %d %s", r.Status, r.Body)
			}
		})
	}
}
