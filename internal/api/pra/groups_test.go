package pra_test

import (
	"strings"
	"testing"
)

// defaultPolicyPerms are a new group policy's settings when it sets none.
const defaultPolicyPerms = `"perm_access_allowed":false,"perm_share_other_team":false,"perm_invite_external_user":false,
	"perm_session_idle_timeout":-1,"perm_extended_availability_mode_allowed":false,"perm_edit_external_key":false,
	"perm_collaborate":false,"perm_collaborate_control":false,"perm_jump_client":false,"perm_local_jump":false,
	"perm_remote_jump":false,"perm_remote_vnc":false,"perm_remote_rdp":false,"perm_shell_jump":false,"perm_web_jump":false,
	"perm_protocol_tunnel":false,"perm_sd_static_port_for_external_tools":false,"default_jump_item_role_id":1,
	"private_jump_item_role_id":1,"inferior_jump_item_role_id":1,"unassigned_jump_item_role_id":1`

func TestGroupPolicyLifecycle(t *testing.T) {
	e := newEnv(t)
	resp := e.do("POST", "/group-policy", `{"name":"Ops"}`)
	g := resp.Object(t)
	expect(t, "create", resp, 201, `{"id":`+id(g)+`,"name":"Ops","access_perm_status":"not_defined",`+defaultPolicyPerms+`}`)
	if resp.Header.Get("Location") != e.URL+base+"/group-policy/"+id(g) {
		t.Errorf("Location %q", resp.Header.Get("Location"))
	}
	expect(t, "read", e.do("GET", "/group-policy/"+id(g), ""), 200, string(resp.Body))

	// Setting any permission makes the policy define them, unless told otherwise.
	defined := e.obj(201, "POST", "/group-policy", `{"name":"RDP","perm_remote_rdp":true,"perm_session_idle_timeout":900,"default_jump_item_role_id":7}`)
	if defined["access_perm_status"] != "defined" || defined["perm_remote_rdp"] != true || defined["perm_session_idle_timeout"] != 900.0 ||
		defined["default_jump_item_role_id"] != 7.0 || defined["private_jump_item_role_id"] != 1.0 {
		t.Errorf("defined policy: %v", defined)
	}
	final := e.obj(201, "POST", "/group-policy", `{"name":"Final","perm_access_allowed":true,"access_perm_status":"final"}`)
	if final["access_perm_status"] != "final" || final["perm_access_allowed"] != true {
		t.Errorf("final policy: %v", final)
	}
	if nd := e.obj(201, "POST", "/group-policy", `{"name":"ND","perm_shell_jump":true,"access_perm_status":"not_defined"}`); nd["access_perm_status"] != "not_defined" {
		t.Errorf("explicit not_defined: %v", nd)
	}

	// PATCH merges the given settings onto the stored ones.
	p := e.obj(200, "PATCH", "/group-policy/"+id(defined), `{"perm_shell_jump":true,"id":12345}`)
	if p["perm_shell_jump"] != true || p["perm_remote_rdp"] != true || p["perm_session_idle_timeout"] != 900.0 ||
		p["default_jump_item_role_id"] != 7.0 || p["name"] != "RDP" || id(p) != id(defined) {
		t.Errorf("merged PATCH: %v", p)
	}
	p = e.obj(200, "PATCH", "/group-policy/"+id(defined), `{"name":"RDP users","access_perm_status":"final"}`)
	if p["name"] != "RDP users" || p["access_perm_status"] != "final" || p["perm_shell_jump"] != true {
		t.Errorf("PATCH of name and status: %v", p)
	}

	for _, tc := range []struct{ name, method, path, body, want string }{
		{"missing name", "POST", "/group-policy", `{"perm_remote_rdp":true}`, invalid("name", "The name field is required.")},
		{"empty name", "POST", "/group-policy", `{"name":""}`, invalid("name", "The name field is required.")},
		{"long name", "POST", "/group-policy", `{"name":"` + repeat("n", 256) + `"}`, invalid("name", "The name may not be greater than 255 characters.")},
		{"duplicate name", "POST", "/group-policy", `{"name":"ops"}`, invalid("name", "The name has already been taken.")},
		{"rename onto another", "PATCH", "/group-policy/" + id(final), `{"name":"OPS"}`, invalid("name", "The name has already been taken.")},
		{"bad status", "PATCH", "/group-policy/" + id(g), `{"access_perm_status":"sometimes"}`,
			invalid("access_perm_status", "The access_perm_status must be one of not_defined, defined or final.")},
		{"idle timeout not allowed", "PATCH", "/group-policy/" + id(g), `{"perm_session_idle_timeout":42}`,
			invalid("perm_session_idle_timeout", "The perm_session_idle_timeout must be one of -1, 0, 300, 600, 900, 1800, 3600, 7200, 14400, 28800, 43200 or 86400.")},
		{"idle timeout out of bounds", "PATCH", "/group-policy/" + id(g), `{"perm_session_idle_timeout":90000}`,
			invalid("perm_session_idle_timeout", "The perm_session_idle_timeout must be between -1 and 86400.")},
		{"role out of bounds", "POST", "/group-policy", `{"name":"x","private_jump_item_role_id":0}`,
			invalid("private_jump_item_role_id", "The private_jump_item_role_id must be between 1 and 2147483647.")},
		{"boolean as string", "POST", "/group-policy", `{"name":"x","perm_remote_rdp":"true"}`,
			invalid("perm_remote_rdp", "The perm_remote_rdp must be true or false.")},
		{"unknown field", "POST", "/group-policy", `{"name":"x","perm_teleport":true}`, message(`Unrecognized fields in the request body: "perm_teleport".`)},
		{"missing", "PATCH", "/group-policy/999", `{"name":"x"}`, message("Group not found.")},
	} {
		resp := e.do(tc.method, tc.path, tc.body)
		status := 422
		if strings.HasPrefix(tc.name, "unknown") {
			status = 401
		} else if tc.name == "missing" {
			status = 404
		}
		expect(t, tc.name, resp, status, tc.want)
	}

	names := func(q string) (out []string) {
		for _, g := range e.do("GET", "/group-policy?"+q, "").Array(t) {
			out = append(out, g["name"].(string))
		}
		return out
	}
	if got := names("name=OPS"); len(got) != 1 || got[0] != "Ops" {
		t.Errorf("filter name=OPS: %v", got)
	}
	if got := names("per_page=5"); len(got) != 4 || got[0] != "Ops" {
		t.Errorf("list in priority order: %v", got)
	}
	expect(t, "filter too long", e.do("GET", "/group-policy?name="+repeat("n", 256), ""), 422,
		invalid("name", "The name may not be greater than 255 characters."))

	expect(t, "delete", e.do("DELETE", "/group-policy/"+id(g), ""), 204, "")
	expect(t, "read deleted", e.do("GET", "/group-policy/"+id(g), ""), 404, message("Group not found."))
}

func TestGroupPolicyMembers(t *testing.T) {
	e := newEnv(t)
	u := e.createUser("member")
	g := e.obj(201, "POST", "/group-policy", `{"name":"g"}`)
	members := "/group-policy/" + id(g) + "/member"

	resp := e.do("POST", members, `{"security_provider_id":1,"user_id":`+id(u)+`,"group_policy_id":`+id(g)+`}`)
	m := resp.Object(t)
	expect(t, "add", resp, 201, `{"id":`+id(m)+`,"security_provider_id":1,"user_id":`+id(u)+`}`)
	if resp.Header.Get("Location") != e.URL+base+members+"/"+id(m) {
		t.Errorf("Location %q", resp.Header.Get("Location"))
	}
	expect(t, "read", e.do("GET", members+"/"+id(m), ""), 200, string(resp.Body))
	list := e.do("GET", members, "")
	expect(t, "list", list, 200, "["+string(resp.Body)+"]")
	if list.Header.Get("X-BT-Pagination-Total") != "1" {
		t.Errorf("list headers %v", list.Header)
	}

	for _, tc := range []struct{ name, body, want string }{
		{"no user", `{"security_provider_id":1}`, invalid("user_id", "The user_id field is required.")},
		{"no provider", `{"user_id":` + id(u) + `}`, invalid("security_provider_id", "The security_provider_id field is required.")},
		{"unknown provider", `{"security_provider_id":99,"user_id":` + id(u) + `}`,
			invalid("security_provider_id", "The security_provider_id does not exist.")},
		{"unknown user", `{"security_provider_id":1,"user_id":999}`, invalid("user_id", "The user_id does not exist.")},
		{"dn for a local provider", `{"security_provider_id":1,"user_id":` + id(u) + `,"distinguished_name":"cn=x"}`,
			invalid("distinguished_name", "The distinguished_name must not be present for a local security provider.")},
		{"other policy", `{"security_provider_id":1,"user_id":` + id(u) + `,"group_policy_id":999}`,
			invalid("group_policy_id", "The group_policy_id must be the id of the group policy in the URL.")},
		{"string id", `{"security_provider_id":"1","user_id":` + id(u) + `}`,
			invalid("security_provider_id", "The security_provider_id must be an integer.")},
	} {
		expect(t, tc.name, e.do("POST", members, tc.body), 422, tc.want)
	}
	if resp := e.do("POST", members, `{"security_provider_id":1,"user_id":`+id(u)+`}`); resp.Status != 422 {
		t.Errorf("duplicate member: %d %s", resp.Status, resp.Body)
	}
	expect(t, "members of a missing policy", e.do("GET", "/group-policy/999/member", ""), 404, message("Group not found."))
	expect(t, "missing member", e.do("GET", members+"/999", ""), 404, message("Group member not found."))

	cp := e.do("POST", "/group-policy/"+id(g)+"/copy", `{"name":"g copy"}`)
	c := cp.Object(t)
	if cp.Status != 201 || c["name"] != "g copy" || id(c) == id(g) || cp.Header.Get("Location") != e.URL+base+"/group-policy/"+id(c) {
		t.Fatalf("copy: %d %s", cp.Status, cp.Body)
	}
	if copied := e.do("GET", "/group-policy/"+id(c)+"/member", "").Array(t); len(copied) != 1 || copied[0]["user_id"] != u["id"] {
		t.Errorf("copied members: %v", copied)
	}
	expect(t, "copy without name", e.do("POST", "/group-policy/"+id(g)+"/copy", `{}`), 422, invalid("name", "The name field is required."))
	expect(t, "copy onto a taken name", e.do("POST", "/group-policy/"+id(g)+"/copy", `{"name":"G"}`), 422,
		invalid("name", "The name has already been taken."))
	expect(t, "copy of a missing policy", e.do("POST", "/group-policy/999/copy", `{"name":"z"}`), 404, message("Group not found."))

	expect(t, "remove", e.do("DELETE", members+"/"+id(m), ""), 204, "")
	expect(t, "read removed", e.do("GET", members+"/"+id(m), ""), 404, message("Group member not found."))
	expect(t, "list after remove", e.do("GET", members, ""), 200, `[]`)
}

// Membership changes reach a user's effective settings only when the user
// is provisioned, as in PRA.
func TestProvisioning(t *testing.T) {
	e := newEnv(t)
	u := e.createUser("provisioned")
	other := e.createUser("other")
	g := e.obj(201, "POST", "/group-policy", `{"name":"rdp","perm_remote_rdp":true,"perm_access_allowed":true,"perm_session_idle_timeout":3600}`)
	user := "/user/" + id(u)
	perms := func(path string) (any, any, any) {
		t.Helper()
		got := e.obj(200, "GET", path, "")
		return got["perm_remote_rdp"], got["perm_access_allowed"], got["perm_session_idle_timeout"]
	}
	check := func(what, path string, rdp, access, idle any) {
		t.Helper()
		if r, a, i := perms(path); r != rdp || a != access || i != idle {
			t.Errorf("%s: perm_remote_rdp %v perm_access_allowed %v perm_session_idle_timeout %v, want %v %v %v", what, r, a, i, rdp, access, idle)
		}
	}

	resp := e.do("PATCH", user+"/group-policy-changes", `{"added":[`+id(g)+`,`+id(g)+`]}`)
	if resp.Status != 200 || resp.Header.Get("X-BT-Pagination-Total") != "1" ||
		!strings.Contains(resp.Header.Get("Link"), e.URL+base+user+"/group-policies?per_page=100&current_page=1") {
		t.Fatalf("group-policy-changes: %d %v %s", resp.Status, resp.Header, resp.Body)
	}
	if got := resp.Array(t); len(got) != 1 || got[0]["name"] != "rdp" {
		t.Errorf("group-policy-changes answer: %s", resp.Body)
	}
	if got := e.do("GET", user+"/group-policies", "").Array(t); len(got) != 1 || id(got[0]) != id(g) {
		t.Errorf("group-policies: %v", got)
	}
	check("before provisioning", user, false, "not_allowed", -1.0)
	expect(t, "provision", e.do("POST", "/user/provision", `{"user_ids":[`+id(u)+`,`+id(u)+`,999999]}`), 204, "")
	check("after provisioning", user, true, "full_support", 3600.0)
	check("a user not provisioned", "/user/"+id(other), false, "not_allowed", -1.0)

	// A policy's provisioning reaches its members only.
	e.ok(201, "POST", "/group-policy/"+id(g)+"/member", `{"security_provider_id":1,"user_id":`+id(other)+`}`)
	check("member before provisioning", "/user/"+id(other), false, "not_allowed", -1.0)
	expect(t, "provision policy", e.do("POST", "/group-policy/"+id(g)+"/provision", ""), 204, "")
	check("member after provisioning", "/user/"+id(other), true, "full_support", 3600.0)
	expect(t, "provision with a body", e.do("POST", "/group-policy/"+id(g)+"/provision", `{"x":1}`), 401,
		message(`Unrecognized fields in the request body: "x".`))
	expect(t, "provision missing policy", e.do("POST", "/group-policy/999/provision", ""), 404, message("Group not found."))

	// Removing the user from the policy takes effect on the next provisioning
	// of everyone (an empty user_ids).
	expect(t, "remove", e.do("PATCH", user+"/group-policy-changes", `{"removed":[`+id(g)+`]}`), 200, `[]`)
	check("removed, not provisioned", user, true, "full_support", 3600.0)
	expect(t, "provision all", e.do("POST", "/user/provision", `{}`), 204, "")
	check("removed and provisioned", user, false, "not_allowed", -1.0)
	check("still a member", "/user/"+id(other), true, "full_support", 3600.0)

	for _, tc := range []struct{ name, body, want string }{
		{"unknown policy", `{"added":[999]}`, invalid("added", "The added must name existing group policies; 999 does not exist.")},
		{"zero id", `{"removed":[0]}`, invalid("removed", "The removed must contain only integers between 1 and 2147483647.")},
		{"string ids", `{"added":"1"}`, invalid("added", "The added must be an array of integers.")},
		{"unknown field", `{"add":[1]}`, message(`Unrecognized fields in the request body: "add".`)},
	} {
		status := 422
		if tc.name == "unknown field" {
			status = 401
		}
		expect(t, tc.name, e.do("PATCH", user+"/group-policy-changes", tc.body), status, tc.want)
	}
	expect(t, "changes of a missing user", e.do("PATCH", "/user/999/group-policy-changes", `{"added":[]}`), 404, message("User not found."))
	expect(t, "policies of a missing user", e.do("GET", "/user/999/group-policies", ""), 404, message("User not found."))
}
