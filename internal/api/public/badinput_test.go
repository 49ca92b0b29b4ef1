package public_test

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
)

// f is shorthand for one field's messages in an error bag.
type f = map[string][]string

const (
	msgNotObject = "The request body must be a JSON object."
	msgNotJSON   = "The request body is not valid JSON."
	msgEmptyPut  = "The request body is empty. A PUT replaces the whole user: send the whole user as a JSON object " +
		"(GET it, change what you need, and send it back)."
	msgUserPath = "The user id in the URL must be an integer between 1 and 2147483647: users are addressed by their id, " +
		"not their username (GET /api/public/v3/users?username=... finds the id)."
)

// TestBadInput is the table of refusals, per endpoint, with the exact
// status and body of each.
func TestBadInput(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	gid := e.group("Ops", "")
	uid := idOf(t, e.local("jdoe"), "id")
	e.local("taken")
	ldap := idOf(t, e.create(`{"username":"dir","account_type":"ldap"}`), "id")
	user := "/users/" + itoa(uid)
	members := "/groups/" + itoa(gid) + "/members"

	manyUnknown := map[string]any{}
	for i := range 12 {
		manyUnknown[fmt.Sprintf("x%02d", i)] = 1
	}
	tooManyGroups := make([]int64, 1001)
	for i := range tooManyGroups {
		tooManyGroups[i] = int64(i + 1)
	}

	for _, tc := range []struct {
		name, method, path, body string
		status                   int
		want                     string
	}{
		// GET /users: paging and filter values.
		{"negative offset", "GET", "/users?offset=-1", "", 400, badQuery(f{"offset": {"must be 0 or more"}})},
		{"word offset", "GET", "/users?offset=abc", "", 400, badQuery(f{"offset": {"must be an integer"}})},
		{"fraction offset", "GET", "/users?offset=1.5", "", 400, badQuery(f{"offset": {"must be an integer"}})},
		{"plus offset", "GET", "/users?offset=%2B1", "", 400, badQuery(f{"offset": {"must be an integer"}})},
		{"exponent offset", "GET", "/users?offset=1e3", "", 400, badQuery(f{"offset": {"must be an integer"}})},
		{"empty offset", "GET", "/users?offset=", "", 400, badQuery(f{"offset": {"must be an integer"}})},
		{"spaced offset", "GET", "/users?offset=%201", "", 400, badQuery(f{"offset": {"must be an integer"}})},
		{"zero limit", "GET", "/users?limit=0", "", 400, badQuery(f{"limit": {"must be between 1 and 1000"}})},
		{"limit 1001", "GET", "/users?limit=1001", "", 400, badQuery(f{"limit": {"must be between 1 and 1000"}})},
		{"negative limit", "GET", "/users?limit=-5", "", 400, badQuery(f{"limit": {"must be between 1 and 1000"}})},
		{"huge limit", "GET", "/users?limit=99999999999999999999", "", 400, badQuery(f{"limit": {"must be between 1 and 1000"}})},
		{"word limit", "GET", "/users?limit=ten", "", 400, badQuery(f{"limit": {"must be an integer"}})},
		{"repeated offset", "GET", "/users?offset=1&offset=2", "", 400, badQuery(f{"offset": {"may be given only once"}})},
		{"empty username", "GET", "/users?username=", "", 400, badQuery(f{"username": {"must not be empty"}})},
		{"invalid UTF-8 username", "GET", "/users?username=%ff", "", 400, badQuery(f{"username": {"must be valid UTF-8"}})},
		{"NUL username", "GET", "/users?username=a%00b", "", 200, `{"users":[],"total":0}`},
		{"PRA paging", "GET", "/users?per_page=5&current_page=2", "", 400,
			badQuery(f{"per_page": {"is not a recognized parameter"}, "current_page": {"is not a recognized parameter"}})},
		{"all at once", "GET", "/users?offset=-1&limit=0&usename=jdoe", "", 400,
			badQuery(f{"offset": {"must be 0 or more"}, "limit": {"must be between 1 and 1000"}, "usename": {"is not a recognized parameter"}})},
		{"malformed query", "GET", "/users?offset=%zz", "", 400, message("The query string is malformed.")},
		{"query on GET one", "GET", user + "?fields=all", "", 400, badQuery(f{"fields": {"is not a recognized parameter"}})},

		// Path ids.
		{"username as id", "GET", "/users/jdoe", "", 400, message(msgUserPath)},
		{"zero id", "GET", "/users/0", "", 400, message(msgUserPath)},
		{"negative id", "DELETE", "/users/-1", "", 400, message(msgUserPath)},
		{"id too large", "PUT", "/users/2147483648", `{}`, 400, message(msgUserPath)},
		{"missing user", "GET", "/users/2147483647", "", 404, message("User not found.")},
		{"missing user PUT", "PUT", "/users/999", `{}`, 404, message("User not found.")},
		{"missing user DELETE", "DELETE", "/users/999", "", 404, message("User not found.")},
		{"bad group id", "POST", "/groups/x/members", `{"user_id":1}`, 400, message("The group id in the URL must be an integer between 1 and 2147483647.")},
		{"bad member user id", "DELETE", members + "/jdoe", "", 400, message("The user id in the URL must be an integer between 1 and 2147483647.")},
		{"bad member ids", "DELETE", "/groups/0/members/x", "", 400, message("The group id and the user id in the URL must be integers between 1 and 2147483647.")},

		// POST /users: bodies.
		{"array body", "POST", "/users", `[1]`, 400, message(msgNotObject)},
		{"null body", "POST", "/users", `null`, 400, message(msgNotObject)},
		{"truncated body", "POST", "/users", `{"username":`, 400, message(msgNotJSON)},
		{"duplicate field", "POST", "/users", `{"username":"a","username":"b"}`, 400,
			message(`The request body names the field "username" more than once.`)},
		{"trailing data", "POST", "/users", `{} {}`, 400, message("The request body has data after the JSON object.")},
		{"empty body", "POST", "/users", ``, 422, invalid(f{"username": {"field is required"}, "account_type": {"field is required"}})},
		{"types", "POST", "/users", `{"username":5,"enabled":"yes","group_memberships":"1","locale":3,"email_address":null,"account_type":"local","password":true}`, 422,
			invalid(f{"username": {"must be a string"}, "enabled": {"must be true or false"}, "group_memberships": {"must be an array of integers"},
				"locale": {"must be a string"}, "email_address": {"must be a string"}, "password": {"must be a string"}})},
		{"group ids", "POST", "/users", `{"username":"g","account_type":"ldap","group_memberships":[0]}`, 422,
			invalid(f{"group_memberships": {"must contain only integers between 1 and 2147483647"}})},
		{"fraction group id", "POST", "/users", `{"username":"g","account_type":"ldap","group_memberships":[1.5]}`, 422,
			invalid(f{"group_memberships": {"must be an array of integers"}})},
		{"missing group", "POST", "/users", `{"username":"g","account_type":"ldap","group_memberships":[999]}`, 422,
			invalid(f{"group_memberships": {"must name existing groups; 999 does not exist"}})},
		{"too many groups", "POST", "/users", marshal(map[string]any{"username": "g", "account_type": "ldap", "group_memberships": tooManyGroups}), 422,
			invalid(f{"group_memberships": {"may list at most 1000 groups"}})},
		{"rules", "POST", "/users", `{"username":"` + strings.Repeat("u", 65) + `","display_name":"a\u0007b","email_address":"not an address",` +
			`"locale":"english","public_key":"` + strings.Repeat("k", 8193) + `","password":"short","account_type":"local"}`, 422,
			invalid(f{"username": {"may not be greater than 64 characters"}, "display_name": {"may not contain control characters"},
				"email_address": {"must be a valid email address"}, "locale": {"must be a locale code such as en-us"},
				"public_key": {"may not be greater than 8192 characters"}, "password": {"must be at least 8 characters"}})},
		{"NUL in public_key", "POST", "/users", `{"username":"k","account_type":"ldap","public_key":"a\u0000b"}`, 422,
			invalid(f{"public_key": {"may not contain NUL characters"}})},
		{"types and rules together", "POST", "/users", `{"username":"","enabled":1,"account_type":"local","password":"correct horse"}`, 422,
			invalid(f{"username": {"field is required"}, "enabled": {"must be true or false"}})},
		{"unknown field", "POST", "/users", `{"username":"n","password":"correct horse","account_type":"local","usename":"x"}`, 422,
			invalid(f{"usename": {"is not a recognized field"}})},
		{"many unknown fields", "POST", "/users", marshal(manyUnknown), 422,
			`{"message":"The given data was invalid. 2 more unrecognized fields are not listed.","errors":{` +
				`"x00":["The x00 is not a recognized field."],"x01":["The x01 is not a recognized field."],"x02":["The x02 is not a recognized field."],` +
				`"x03":["The x03 is not a recognized field."],"x04":["The x04 is not a recognized field."],"x05":["The x05 is not a recognized field."],` +
				`"x06":["The x06 is not a recognized field."],"x07":["The x07 is not a recognized field."],"x08":["The x08 is not a recognized field."],` +
				`"x09":["The x09 is not a recognized field."],"username":["The username field is required."],"account_type":["The account_type field is required."]}}`},
		{"read-only on create", "POST", "/users", `{"id":7,"created_at":null,"last_login":null,"username":"n","account_type":"saml"}`, 422,
			invalid(f{"id": {"is read-only: the server sets it"}, "created_at": {"is read-only: the server sets it"}, "last_login": {"is read-only: the server sets it"}})},
		{"taken username", "POST", "/users", `{"username":"Taken","account_type":"saml"}`, 409,
			`{"message":"The username has already been taken.","errors":{"username":["The username has already been taken."]}}`},
		{"too large", "POST", "/users", `{"public_key":"` + strings.Repeat("k", 1<<20) + `"}`, 413, message("The request body is too large.")},

		// PUT /users/{id}.
		{"empty PUT", "PUT", user, ``, 400, message(msgEmptyPut)},
		{"blank PUT", "PUT", user, " \n ", 400, message(msgEmptyPut)},
		{"null PUT", "PUT", user, `null`, 400, message(msgNotObject)},
		{"misspelt field", "PUT", user, `{"display_nmae":"Jane"}`, 422, invalid(f{"display_nmae": {"is not a recognized field"}})},
		{"empty display_name", "PUT", user, `{"display_name":""}`, 422, invalid(f{"display_name": {"field is required"}})},
		{"bad new username", "PUT", user, `{"username":"a\tb"}`, 422, invalid(f{"username": {"may not contain control characters"}})},
		{"short password", "PUT", user, `{"password":"short"}`, 422, invalid(f{"password": {"must be at least 8 characters"}})},
		{"PUT taken username", "PUT", user, `{"username":"TAKEN"}`, 409,
			`{"message":"The username has already been taken.","errors":{"username":["The username has already been taken."]}}`},
		{"PUT missing group", "PUT", user, `{"display_name":"changed","group_memberships":[` + itoa(gid) + `,998,999]}`, 422,
			invalid(f{"group_memberships": {"must name existing groups; 998 does not exist", "must name existing groups; 999 does not exist"}})},
		{"password of an LDAP user", "PUT", "/users/" + itoa(ldap), `{"password":"correct horse"}`, 422,
			invalid(f{"password": {"may only be set for local users"}})},
		{"rename an LDAP user", "PUT", "/users/" + itoa(ldap), `{"username":"other"}`, 422,
			invalid(f{"username": {"is read-only for users of an external security provider"}})},
		{"PUT types", "PUT", user, `{"enabled":"false","public_key":["k"],"id":"x","account_type":1}`, 422,
			invalid(f{"enabled": {"must be true or false"}, "public_key": {"must be a string"}, "account_type": {"must be a string"},
				"id": {"is read-only and must be the id in the URL"}})},
		{"PUT text", "PUT", user, `display_name=x`, 415, message("The request body must be sent as application/json.")},

		// GET /groups.
		{"groups offset", "GET", "/groups?offset=x&limit=2000", "", 400, badQuery(f{"offset": {"must be an integer"}, "limit": {"must be between 1 and 1000"}})},

		// POST /groups/{id}/members.
		{"no user_id", "POST", members, `{}`, 422, invalid(f{"user_id": {"field is required"}})},
		{"no body", "POST", members, ``, 422, invalid(f{"user_id": {"field is required"}})},
		{"string user_id", "POST", members, `{"user_id":"` + itoa(uid) + `"}`, 422, invalid(f{"user_id": {"must be an integer"}})},
		{"fraction user_id", "POST", members, `{"user_id":1.0}`, 422, invalid(f{"user_id": {"must be an integer"}})},
		{"zero user_id", "POST", members, `{"user_id":0}`, 422, invalid(f{"user_id": {"must be between 1 and 2147483647"}})},
		{"null user_id", "POST", members, `{"user_id":null}`, 422, invalid(f{"user_id": {"must be an integer"}})},
		{"member unknown field", "POST", members, `{"user_id":` + itoa(uid) + `,"role":"admin"}`, 422, invalid(f{"role": {"is not a recognized field"}})},
		{"member array", "POST", members, `[` + itoa(uid) + `]`, 400, message(msgNotObject)},
	} {
		header := []string{}
		if tc.name == "PUT text" {
			header = []string{"Content-Type", "text/plain"}
		}
		expect(t, tc.name, e.do(tc.method, tc.path, tc.body, header...), tc.status, tc.want)
	}

	// None of it changed anything.
	got := e.obj(200, "GET", user, "")
	if got["display_name"] != "jdoe" || got["username"] != "jdoe" || marshal(got["group_memberships"]) != "[]" || !e.passwordIs(uid, "correct horse") {
		t.Errorf("after the refusals: %v", got)
	}
	if m := e.obj(200, "GET", "/users", ""); m["total"] != float64(3) {
		t.Errorf("users after the refusals: %v", m)
	}
}

// No input gets a 500: random bodies of every field type at every write.
func TestNoServerErrors(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	gid := e.group("Ops", "")
	uid := idOf(t, e.local("target"), "id")
	values := []string{`null`, `true`, `0`, `-1`, `1`, `2147483648`, `1e400`, `-0`, `""`, `"x"`, `"\u0000"`, `"a\u0000b"`,
		`"\ud800"`, `"` + strings.Repeat("é", 300) + `"`, `[]`, `[1]`, `[null]`, `[[1]]`, `{}`, `{"a":1}`, `"2020-01-01T00:00:00Z"`,
		`"local"`, `"ldap"`, `"saml"`, `"en-us"`, `"x@example.com"`, itoa(uid), `[` + itoa(gid) + `]`}
	fields := []string{"id", "username", "password", "display_name", "email_address", "enabled", "account_type",
		"group_memberships", "public_key", "last_login", "created_at", "locale", "user_id", "group_id"}
	targets := [][2]string{{"POST", "/users"}, {"PUT", "/users/" + itoa(uid)}, {"POST", "/groups/" + itoa(gid) + "/members"}}
	// Every value in every field, alone...
	var n int64
	for _, tg := range []struct{ method, path, rest string }{
		{"POST", "/users", `"account_type":"ldap"`},
		{"POST", "/users", `"account_type":"local","password":"correct horse"`},
		{"PUT", "/users/" + itoa(uid), ``},
	} {
		for _, name := range fields {
			for _, v := range values {
				body := `{"` + name + `":` + v + `}`
				if tg.rest != "" && !strings.Contains(tg.rest, `"`+name+`"`) {
					body = `{` + tg.rest + `,"` + name + `":` + v + `}`
				}
				if tg.method == "POST" && name != "username" {
					n++ // a fresh username, so that the body's other fields decide
					body = `{"username":"fuzz` + itoa(n) + `",` + body[1:]
				}
				if resp := e.do(tg.method, tg.path, body); resp.Status >= 500 {
					t.Errorf("%s %s %s: %d %s", tg.method, tg.path, body, resp.Status, resp.Body)
				}
			}
		}
	}
	// ... and random mixtures.
	rng := rand.New(rand.NewPCG(1, 2))
	for i := range 300 {
		var parts []string
		seen := map[string]bool{}
		for range rng.IntN(6) {
			name := fields[rng.IntN(len(fields))]
			if seen[name] {
				continue
			}
			seen[name] = true
			parts = append(parts, `"`+name+`":`+values[rng.IntN(len(values))])
		}
		body := "{" + strings.Join(parts, ",") + "}"
		tg := targets[i%len(targets)]
		resp := e.do(tg[0], tg[1], body)
		if resp.Status >= 500 {
			t.Errorf("%s %s %s: %d %s", tg[0], tg[1], body, resp.Status, resp.Body)
		}
	}
}
