package server_test

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/gatehouse/gatehouse/internal/testserver"
)

// fuzzServer starts one server for a fuzz target, with a user and a group
// whose ids the targets' paths name.
func fuzzServer(f *testing.F) (s *testserver.Server, tok, userID, groupID string) {
	s = testserver.New(f)
	tok = s.AdminToken(f)
	r := s.Do(f, http.MethodPost, "/api/config/v1/user", tok, `{"username":"fuzz","public_display_name":"F"}`, "Content-Type", "application/json")
	if r.Status != http.StatusCreated {
		f.Fatalf("create user: %d %s", r.Status, r.Body)
	}
	userID = strconv.FormatInt(int64(r.Object(f)["id"].(float64)), 10)
	r = s.Do(f, http.MethodPost, "/api/config/v1/group-policy", tok, `{"name":"fuzz"}`, "Content-Type", "application/json")
	if r.Status != http.StatusCreated {
		f.Fatalf("create group: %d %s", r.Status, r.Body)
	}
	return s, tok, userID, strconv.FormatInt(int64(r.Object(f)["id"].(float64)), 10)
}

// FuzzFaceBodies: no request body makes any face's write operations
// answer 5xx (or panic, which the faces answer 500).
func FuzzFaceBodies(f *testing.F) {
	s, tok, user, group := fuzzServer(f)
	ops := []struct{ method, path, contentType string }{
		{"POST", "/api/config/v1/user", "application/json"},
		{"PATCH", "/api/config/v1/user/" + user, "application/json"},
		{"PATCH", "/api/config/v1/user/" + user + "/group-policy-changes", "application/json"},
		{"POST", "/api/config/v1/user/provision", "application/json"},
		{"POST", "/api/config/v1/group-policy", "application/json"},
		{"PATCH", "/api/config/v1/group-policy/" + group, "application/json"},
		{"POST", "/api/config/v1/group-policy/" + group + "/member", "application/json"},
		{"POST", "/api/config/v1/team", "application/json"},
		{"POST", "/api/public/v3/users", "application/json"},
		{"PUT", "/api/public/v3/users/" + user, "application/json"},
		{"POST", "/api/public/v3/groups/" + group + "/members", "application/json"},
		{"POST", "/scim/v2/Users", "application/scim+json"},
		{"PUT", "/scim/v2/Users/" + user, "application/scim+json"},
		{"PATCH", "/scim/v2/Users/" + user, "application/scim+json"},
		{"POST", "/scim/v2/Groups", "application/scim+json"},
		{"PATCH", "/scim/v2/Groups/" + group, "application/scim+json"},
		{"POST", "/scim/v2/Bulk", "application/scim+json"},
		{"POST", "/scim/v2/.search", "application/scim+json"},
		{"POST", "/BeyondTrust/api/public/v3/Users", "application/json"},
		{"PUT", "/BeyondTrust/api/public/v3/Users/" + user, "application/json"},
		{"POST", "/BeyondTrust/api/public/v3/UserGroups", "application/json"},
		{"POST", "/BeyondTrust/api/public/v3/UserGroups/" + group + "/Users", "application/json"},
		{"POST", "/BeyondTrust/api/public/v3/UserGroups/" + group + "/Permissions", "application/json"},
	}
	for i := range ops {
		for _, b := range []string{`{}`, `{"username":"a","password":"b","name":"n","email_address":"x@y"}`, `[]`, `null`, `{"a":`,
			// NUL, which PostgreSQL's text refuses: the PostgreSQL pass runs these seeds too.
			`{"username":"a\u0000","name":"\u0000","userName":"\u0000","displayName":"\u0000","UserName":"\u0000","groupName":"\u0000","comments":"\u0000"}`} {
			f.Add(uint8(i), b)
		}
	}
	f.Add(uint8(2), `{"add":[{"group_policy_id":`+group+`}],"remove":[]}`)
	f.Add(uint8(13), `{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"replace","path":"name.givenName","value":"x"}]}`)
	f.Add(uint8(16), `{"schemas":["urn:ietf:params:scim:api:messages:2.0:BulkRequest"],"Operations":[{"method":"POST","path":"/Users","bulkId":"a","data":{"userName":"b"}}]}`)
	f.Add(uint8(17), `{"schemas":["urn:ietf:params:scim:api:messages:2.0:SearchRequest"],"filter":"userName sw \"f\"","startIndex":-1,"count":1e99}`)
	f.Add(uint8(18), `{"UserType":"Application","UserName":"app","AccessPolicyID":1}`)
	f.Add(uint8(22), `[{"PermissionID":1,"AccessLevelID":3}]`)
	f.Fuzz(func(t *testing.T, op uint8, body string) {
		o := ops[int(op)%len(ops)]
		r := s.Do(t, o.method, o.path, tok, body, "Content-Type", o.contentType)
		if r.Status >= 500 {
			t.Fatalf("%s %s %q: %d %s", o.method, o.path, body, r.Status, r.Body)
		}
	})
}

// FuzzFaceQueries: no query string makes any face's lists answer 5xx: the
// pagination and filter parameters of each.
func FuzzFaceQueries(f *testing.F) {
	s, tok, _, group := fuzzServer(f)
	paths := []string{
		"/api/config/v1/user", "/api/config/v1/group-policy", "/api/config/v1/team", "/api/config/v1/api-account",
		"/api/config/v1/group-policy/" + group + "/member",
		"/api/public/v3/users", "/api/public/v3/groups",
		"/scim/v2/Users", "/scim/v2/Groups",
		"/BeyondTrust/api/public/v3/Users", "/BeyondTrust/api/public/v3/UserGroups",
	}
	for i := range paths {
		for _, q := range []string{"per_page=5&current_page=2", "offset=1&limit=1", "startIndex=0&count=-1", "username=fuzz",
			"current_page=9223372036854775807", "filter=userName%20eq%20%22fuzz%22&sortBy=userName&sortOrder=descending",
			"name=%00", "%zz", "email_address=a%25_b"} {
			f.Add(uint8(i), q)
		}
	}
	f.Fuzz(func(t *testing.T, p uint8, query string) {
		path := paths[int(p)%len(paths)]
		if strings.ContainsFunc(query, func(r rune) bool { return r <= ' ' || r == 0x7f || r == '#' }) {
			t.Skip("not a request target a client can send; the server refuses it before any face")
		}
		r := s.Do(t, http.MethodGet, path+"?"+query, tok, "")
		if r.Status >= 500 {
			t.Fatalf("GET %s?%s: %d %s", path, query, r.Status, r.Body)
		}
	})
}

// FuzzFaceIDs: no path id makes any face's operations on one resource
// answer 5xx.
func FuzzFaceIDs(f *testing.F) {
	s, tok, user, group := fuzzServer(f)
	paths := []string{
		"/api/config/v1/user/%s", "/api/config/v1/group-policy/%s/member/%s", "/api/config/v1/team/%s/user/%s",
		"/api/config/v1/security-provider/%s", "/api/config/v1/api-account/%s",
		"/api/public/v3/users/%s", "/scim/v2/Users/%s", "/scim/v2/Groups/%s", "/scim/v2/Schemas/%s", "/scim/v2/ResourceTypes/%s",
		"/BeyondTrust/api/public/v3/Users/%s/UserGroups/%s", "/BeyondTrust/api/public/v3/UserGroups/%s/Permissions",
	}
	for i := range paths {
		for _, id := range []string{user, group, "0", "-1", "9223372036854775808", "1e3", "0x1", "%00", " 1", "1.0", "٣"} {
			f.Add(uint8(i), id)
		}
	}
	f.Fuzz(func(t *testing.T, p uint8, id string) {
		path := strings.ReplaceAll(paths[int(p)%len(paths)], "%s", url.PathEscape(id))
		r := s.Do(t, http.MethodGet, path, tok, "")
		if r.Status >= 500 {
			t.Fatalf("GET %s: %d %s", path, r.Status, r.Body)
		}
	})
}

// FuzzAuthorization: no Authorization header makes any face answer 5xx,
// and none but the account's own bearer token is let in (there is no API
// registration, so no PS-Auth header can sign in).
func FuzzAuthorization(f *testing.F) {
	s, tok, _, _ := fuzzServer(f)
	paths := []string{"/api/config/v1/user", "/api/public/v3/users", "/scim/v2/Users", "/BeyondTrust/api/public/v3/Users"}
	for _, h := range []string{"Bearer " + tok, "bearer " + tok + "x", "Bearer " + tok[:len(tok)-1], "Basic dGVzdDp0ZXN0",
		"PS-Auth key=abc; runas=ann;", "PS-Auth key=abc; runas=ann; pwd=[x];", "PS-Auth key=; runas=;", "Bearer", ""} {
		for i := range paths {
			f.Add(uint8(i), h)
		}
	}
	f.Fuzz(func(t *testing.T, p uint8, h string) {
		if strings.ContainsAny(h, "\r\n\x00") || strings.TrimSpace(h) != h || strings.ContainsFunc(h, func(r rune) bool { return r < ' ' && r != '\t' || r == 0x7f }) {
			t.Skip("not a header value a client can send")
		}
		path := paths[int(p)%len(paths)]
		r := s.Do(t, http.MethodGet, path, "", "", "Authorization", h)
		if r.Status >= 500 {
			t.Fatalf("GET %s with Authorization %q: %d %s", path, h, r.Status, r.Body)
		}
		valid := len(h) > len("bearer ") && strings.EqualFold(h[:len("bearer ")], "bearer ") && strings.TrimLeft(h[len("bearer "):], " ") == tok
		if r.Status == http.StatusOK && !valid {
			t.Fatalf("GET %s with Authorization %q: 200", path, h)
		}
	})
}
