package public_test

import (
	"testing"
)

func TestListGroups(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	expect(t, "no groups", e.do("GET", "/groups", ""), 200, `{"groups":[],"total":0}`)
	a := e.group("Admins", "Admin group")
	b := e.group("Ops", "")
	c := e.group("Auditors", "Read only")
	all := `{"id":` + itoa(a) + `,"name":"Admins","description":"Admin group"},{"id":` + itoa(b) + `,"name":"Ops","description":""},` +
		`{"id":` + itoa(c) + `,"name":"Auditors","description":"Read only"}`
	expect(t, "all", e.do("GET", "/groups", ""), 200, `{"groups":[`+all+`],"total":3}`)
	expect(t, "page", e.do("GET", "/groups?offset=1&limit=1", ""), 200,
		`{"groups":[{"id":`+itoa(b)+`,"name":"Ops","description":""}],"total":3}`)
	expect(t, "past the end", e.do("GET", "/groups?offset=3", ""), 200, `{"groups":[],"total":3}`)
	expect(t, "limit 1000", e.do("GET", "/groups?limit=1000", ""), 200, `{"groups":[`+all+`],"total":3}`)
	expect(t, "limit 1001", e.do("GET", "/groups?limit=1001", ""), 400, badQuery(map[string][]string{"limit": {"must be between 1 and 1000"}}))
	expect(t, "filters are not taken", e.do("GET", "/groups?name=Ops", ""), 400, badQuery(map[string][]string{"name": {"is not a recognized parameter"}}))
}

func TestGroupMembers(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	g := e.group("Admins", "")
	other := e.group("Other", "")
	uid := idOf(t, e.local("jdoe"), "id")
	members := "/groups/" + itoa(g) + "/members"
	joined := `{"group_id":` + itoa(g) + `,"user_id":` + itoa(uid) + `}`

	expect(t, "add", e.do("POST", members, `{"user_id":`+itoa(uid)+`}`), 200, joined)
	expect(t, "add again", e.do("POST", members, `{"user_id":`+itoa(uid)+`}`), 200, joined)
	expect(t, "add sending back group_id", e.do("POST", members, joined), 200, joined)
	groups := func() string { return marshal(e.obj(200, "GET", "/users/"+itoa(uid), "")["group_memberships"]) }
	if got := groups(); got != "["+itoa(g)+"]" {
		t.Errorf("group_memberships %s", got)
	}
	e.obj(200, "POST", "/groups/"+itoa(other)+"/members", `{"user_id":`+itoa(uid)+`}`)
	if got := groups(); got != "["+itoa(g)+","+itoa(other)+"]" {
		t.Errorf("group_memberships %s", got)
	}

	expect(t, "add to a missing group", e.do("POST", "/groups/999/members", `{"user_id":`+itoa(uid)+`}`), 404, message("Group not found."))
	expect(t, "add a missing user", e.do("POST", members, `{"user_id":999}`), 422,
		invalid(map[string][]string{"user_id": {"must name existing users; 999 does not exist"}}))
	expect(t, "group_id not the URL's", e.do("POST", members, `{"user_id":`+itoa(uid)+`,"group_id":`+itoa(other)+`}`), 422,
		invalid(map[string][]string{"group_id": {"must be the group id in the URL"}}))

	expect(t, "remove", e.do("DELETE", members+"/"+itoa(uid), ""), 204, "")
	if got := groups(); got != "["+itoa(other)+"]" {
		t.Errorf("group_memberships after remove %s", got)
	}
	expect(t, "remove again", e.do("DELETE", members+"/"+itoa(uid), ""), 404, message("The user is not a member of the group."))
	expect(t, "remove a missing user", e.do("DELETE", members+"/999", ""), 404, message("User not found."))
	expect(t, "remove from a missing group", e.do("DELETE", "/groups/999/members/"+itoa(uid), ""), 404, message("Group not found."))

	// A deleted user's memberships go with it.
	e.obj(200, "POST", members, `{"user_id":`+itoa(uid)+`}`)
	expect(t, "delete user", e.do("DELETE", "/users/"+itoa(uid), ""), 204, "")
	expect(t, "remove a deleted user", e.do("DELETE", members+"/"+itoa(uid), ""), 404, message("User not found."))
}

// The provisioning scenario of the seed: create, find the group, join it.
func TestProvisionScenario(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.group("Admins", "Admin group")
	u := e.create(`{"username":"jdoe","display_name":"Jane Doe","password":"S3cur3!pass","account_type":"local"}`)
	groups := e.obj(200, "GET", "/groups", "")["groups"].([]any)
	gid := idOf(t, groups[0].(map[string]any), "id")
	e.obj(200, "POST", "/groups/"+itoa(gid)+"/members", `{"user_id":`+itoa(idOf(t, u, "id"))+`}`)

	// ... and the disabling one: find by username, PUT the whole user back.
	found := e.obj(200, "GET", "/users?username=jdoe", "")["users"].([]any)[0].(map[string]any)
	found["enabled"] = false
	after := e.obj(200, "PUT", "/users/"+itoa(idOf(t, found, "id")), marshal(found))
	if after["enabled"] != false || after["display_name"] != "Jane Doe" || marshal(after["group_memberships"]) != "["+itoa(gid)+"]" {
		t.Errorf("after disabling: %v", after)
	}
}
