package public_test

import (
	"net/url"
	"testing"

	"github.com/gatehouse/gatehouse/internal/testserver"
)

const (
	praBase     = "/api/config/v1"
	insightBase = "/BeyondTrust/api/public/v3"
)

// pra sends a request to the PRA face as the bootstrap account.
func (e *env) pra(method, path, body string) *testserver.Response {
	e.t.Helper()
	var header []string
	if body != "" {
		header = []string{"Content-Type", "application/json"}
	}
	return e.Do(e.t, method, praBase+path, e.tok, body, header...)
}

// insightToken signs the bootstrap account in to BeyondInsight.
func (e *env) insightToken() string {
	e.t.Helper()
	form := url.Values{"grant_type": {"client_credentials"}, "client_id": {testserver.AdminClientID}, "client_secret": {testserver.AdminSecret}}
	resp := e.Do(e.t, "POST", insightBase+"/Auth/connect/token", "", form.Encode(), "Content-Type", "application/x-www-form-urlencoded")
	if resp.Status != 200 {
		e.t.Fatalf("BeyondInsight token: %d %s", resp.Status, resp.Body)
	}
	return resp.Object(e.t)["access_token"].(string)
}

// wantFields fails unless m has each of the given values.
func wantFields(t *testing.T, what string, m map[string]any, want map[string]any) {
	t.Helper()
	for k, v := range want {
		if m[k] != v {
			t.Errorf("%s: %s = %v, want %v (in %v)", what, k, m[k], v, m)
		}
	}
}

// A user is one record, whichever face made or changed it.
func TestSameRecordsAsOtherFaces(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	u := e.create(`{"username":"jdoe","display_name":"Jane Doe","password":"S3cur3!pass","account_type":"local","email_address":"jdoe@example.com"}`)
	id := idOf(t, u, "id")

	// The same id in PRA ...
	resp := e.pra("GET", "/user/"+itoa(id), "")
	expectStatus(t, "PRA GET", resp, 200)
	wantFields(t, "PRA user", resp.Object(t), map[string]any{"id": float64(id), "username": "jdoe", "public_display_name": "Jane Doe",
		"email_address": "jdoe@example.com", "enabled": true, "security_provider_id": float64(1)})
	// ... and in BeyondInsight.
	bi := e.insightToken()
	resp = e.Do(t, "GET", insightBase+"/Users/"+itoa(id), bi, "")
	expectStatus(t, "BeyondInsight GET", resp, 200)
	wantFields(t, "BeyondInsight user", resp.Object(t), map[string]any{"UserID": float64(id), "UserName": "jdoe",
		"EmailAddress": "jdoe@example.com", "UserType": "BeyondInsight"})

	// A change in PRA shows here, with a new ETag.
	before := e.do("GET", "/users/"+itoa(id), "")
	expectStatus(t, "PRA PATCH", e.pra("PATCH", "/user/"+itoa(id), `{"public_display_name":"Jane P. Doe","enabled":false,"preferred_email_language":"de-de"}`), 200)
	after := e.do("GET", "/users/"+itoa(id), "")
	wantFields(t, "after PRA PATCH", after.Object(t), map[string]any{"display_name": "Jane P. Doe", "enabled": false, "locale": "de-de",
		"email_address": "jdoe@example.com"})
	if after.Header.Get("ETag") == before.Header.Get("ETag") {
		t.Errorf("ETag %s did not change with the PRA PATCH", after.Header.Get("ETag"))
	}
	// The ETag read before PRA's change is stale here.
	expectStatus(t, "PUT with the pre-PATCH ETag", e.do("PUT", "/users/"+itoa(id), `{}`, "If-Match", before.Header.Get("ETag")), 412)

	// A change here shows in BeyondInsight and PRA.
	e.obj(200, "PUT", "/users/"+itoa(id), `{"username":"jane","display_name":"Jane","email_address":"jane@example.com"}`)
	wantFields(t, "BeyondInsight after PUT", e.Do(t, "GET", insightBase+"/Users/"+itoa(id), bi, "").Object(t),
		map[string]any{"UserName": "jane", "EmailAddress": "jane@example.com"})
	wantFields(t, "PRA after PUT", e.pra("GET", "/user/"+itoa(id), "").Object(t),
		map[string]any{"username": "jane", "public_display_name": "Jane", "enabled": true, "preferred_email_language": "en-us"})
	if !e.passwordIs(id, "S3cur3!pass") {
		t.Error("the password changed")
	}

	// Groups and memberships are PRA's group policies and their members.
	pol := e.pra("POST", "/group-policy", `{"name":"From PRA"}`)
	expectStatus(t, "PRA group", pol, 201)
	gid := idOf(t, pol.Object(t), "id")
	expect(t, "groups here", e.do("GET", "/groups", ""), 200, `{"groups":[{"id":`+itoa(gid)+`,"name":"From PRA","description":""}],"total":1}`)
	e.obj(200, "POST", "/groups/"+itoa(gid)+"/members", `{"user_id":`+itoa(id)+`}`)
	policies := e.pra("GET", "/user/"+itoa(id)+"/group-policies", "").Array(t)
	if len(policies) != 1 || policies[0]["id"] != float64(gid) {
		t.Errorf("PRA policies of the user: %v", policies)
	}
	bob := idOf(t, e.pra("POST", "/user", `{"username":"bob","public_display_name":"Bob"}`).Object(t), "id")
	expectStatus(t, "PRA adds bob", e.pra("PATCH", "/user/"+itoa(bob)+"/group-policy-changes", `{"added":[`+itoa(gid)+`]}`), 200)
	wantFields(t, "bob here", e.obj(200, "GET", "/users/"+itoa(bob), ""), map[string]any{"account_type": "local", "display_name": "Bob"})
	if got := marshal(e.obj(200, "GET", "/users/"+itoa(bob), "")["group_memberships"]); got != "["+itoa(gid)+"]" {
		t.Errorf("bob's group_memberships %s", got)
	}

	// Deleting here deletes everywhere.
	expect(t, "DELETE", e.do("DELETE", "/users/"+itoa(id), ""), 204, "")
	expectStatus(t, "PRA after DELETE", e.pra("GET", "/user/"+itoa(id), ""), 404)
	expectStatus(t, "BeyondInsight after DELETE", e.Do(t, "GET", insightBase+"/Users/"+itoa(id), bi, ""), 404)
}
