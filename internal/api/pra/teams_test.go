package pra_test

import "testing"

func TestTeams(t *testing.T) {
	e := newEnv(t)
	resp := e.do("POST", "/team", `{"name":"Blue","code_name":"blue_team","comments":null,"id":77}`)
	blue := resp.Object(t)
	expect(t, "create", resp, 201, `{"id":`+id(blue)+`,"name":"Blue","code_name":"blue_team","comments":null}`)
	if resp.Header.Get("Location") != e.URL+base+"/team/"+id(blue) {
		t.Errorf("Location %q", resp.Header.Get("Location"))
	}
	red := e.obj(201, "POST", "/team", `{"name":"Red","code_name":"red","comments":"the red one"}`)
	expect(t, "patch", e.do("PATCH", "/team/"+id(blue), `{"comments":"now with comments"}`), 200,
		`{"id":`+id(blue)+`,"name":"Blue","code_name":"blue_team","comments":"now with comments"}`)
	expect(t, "patch to null", e.do("PATCH", "/team/"+id(blue), `{"comments":null}`), 200,
		`{"id":`+id(blue)+`,"name":"Blue","code_name":"blue_team","comments":null}`)

	for _, tc := range []struct{ name, method, path, body, want string }{
		{"missing name", "POST", "/team", `{"code_name":"x"}`, invalid("name", "The name field is required.")},
		{"bad code name", "POST", "/team", `{"name":"x","code_name":"not ok!"}`,
			invalid("code_name", "The code_name may only contain letters, numbers, dashes and underscores.")},
		{"long code name", "PATCH", "/team/" + id(red), `{"code_name":"` + repeat("c", 65) + `"}`,
			invalid("code_name", "The code_name may not be greater than 64 characters.")},
		{"taken code name", "POST", "/team", `{"name":"y","code_name":"red"}`, invalid("code_name", "The code_name has already been taken.")},
		{"comments not a string", "PATCH", "/team/" + id(red), `{"comments":5}`, invalid("comments", "The comments must be a string.")},
	} {
		expect(t, tc.name, e.do(tc.method, tc.path, tc.body), 422, tc.want)
	}
	for q, want := range map[string]string{"name=BLUE": "Blue", "code_name=RED": "Red", "name=blue&code_name=red": "", "code_name=blue": ""} {
		got := e.do("GET", "/team?"+q, "").Array(t)
		if want == "" && len(got) != 0 || want != "" && (len(got) != 1 || got[0]["name"] != want) {
			t.Errorf("%s: %v, want %q", q, got, want)
		}
	}
	expect(t, "long code_name filter", e.do("GET", "/team?code_name="+repeat("c", 65), ""), 422,
		invalid("code_name", "The code_name may not be greater than 64 characters."))
	expect(t, "delete", e.do("DELETE", "/team/"+id(red), ""), 204, "")
	expect(t, "read deleted", e.do("GET", "/team/"+id(red), ""), 404, message("Team not found."))
}

func TestTeamUsers(t *testing.T) {
	e := newEnv(t)
	a, b, c := e.createUser("ann"), e.createUser("ben"), e.createUser("cat")
	blue := e.obj(201, "POST", "/team", `{"name":"Blue"}`)
	red := e.obj(201, "POST", "/team", `{"name":"Red"}`)
	users := "/team/" + id(blue) + "/user"

	resp := e.do("POST", users, `{"user_id":`+id(a)+`}`)
	expect(t, "add", resp, 201, `{"team_id":`+id(blue)+`,"user_id":`+id(a)+`,"role":"member"}`)
	if resp.Header.Get("Location") != e.URL+base+users+"/"+id(a) {
		t.Errorf("Location %q", resp.Header.Get("Location"))
	}
	expect(t, "add with role", e.do("POST", users, `{"user_id":`+id(b)+`,"role":"lead","team_id":`+id(blue)+`}`), 201,
		`{"team_id":`+id(blue)+`,"user_id":`+id(b)+`,"role":"lead"}`)
	for _, tc := range []struct{ name, body, want string }{
		{"again", `{"user_id":` + id(a) + `}`, invalid("user_id", "The user_id is already on this team.")},
		{"no user", `{"role":"lead"}`, invalid("user_id", "The user_id field is required.")},
		{"unknown user", `{"user_id":999}`, invalid("user_id", "The user_id does not exist.")},
		{"bad role", `{"user_id":` + id(c) + `,"role":"boss"}`, invalid("role", "The role must be one of member, lead or manager.")},
		{"other team", `{"user_id":` + id(c) + `,"team_id":` + id(red) + `}`, invalid("team_id", "The team_id must be the id of the team in the URL.")},
		{"user id as string", `{"user_id":"` + id(a) + `"}`, invalid("user_id", "The user_id must be an integer.")},
	} {
		expect(t, tc.name, e.do("POST", users, tc.body), 422, tc.want)
	}
	list := e.do("GET", users+"?per_page=5", "")
	expect(t, "list", list, 200, `[{"team_id":`+id(blue)+`,"user_id":`+id(a)+`,"role":"member"},{"team_id":`+id(blue)+`,"user_id":`+id(b)+`,"role":"lead"}]`)
	if list.Header.Get("X-BT-Pagination-Total") != "2" {
		t.Errorf("list headers: %v", list.Header)
	}
	expect(t, "read", e.do("GET", users+"/"+id(b), ""), 200, `{"team_id":`+id(blue)+`,"user_id":`+id(b)+`,"role":"lead"}`)
	expect(t, "change role", e.do("PATCH", users+"/"+id(b), `{"role":"manager","user_id":12345}`), 200,
		`{"team_id":`+id(blue)+`,"user_id":`+id(b)+`,"role":"manager"}`)
	expect(t, "bad role", e.do("PATCH", users+"/"+id(b), `{"role":""}`), 422, invalid("role", "The role must be one of member, lead or manager."))
	expect(t, "move to a missing team", e.do("PATCH", users+"/"+id(b), `{"team_id":999}`), 422, invalid("team_id", "The team_id does not exist."))
	expect(t, "move", e.do("PATCH", users+"/"+id(b), `{"team_id":`+id(red)+`}`), 200, `{"team_id":`+id(red)+`,"user_id":`+id(b)+`,"role":"manager"}`)
	expect(t, "moved away", e.do("GET", users+"/"+id(b), ""), 404, message("Team user not found."))
	expect(t, "moved here", e.do("GET", "/team/"+id(red)+"/user/"+id(b), ""), 200, `{"team_id":`+id(red)+`,"user_id":`+id(b)+`,"role":"manager"}`)
	expect(t, "remove", e.do("DELETE", users+"/"+id(a), ""), 204, "")
	expect(t, "removed", e.do("GET", users, ""), 200, `[]`)
	expect(t, "users of a missing team", e.do("GET", "/team/999/user", ""), 404, message("Team not found."))
	expect(t, "add to a missing team", e.do("POST", "/team/999/user", `{"user_id":`+id(a)+`}`), 404, message("Team not found."))
}
