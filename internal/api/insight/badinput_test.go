package insight_test

import (
	"net/http"
	"strings"
	"testing"
)

// bad is one request that must be refused with exactly this status and
// message (and, for a 405, this Allow header).
type bad struct {
	name         string
	method, path string
	body         string
	header       []string
	status       int
	msg          string
	allow        string
}

const (
	msgBadID       = "The id in the path must be an integer between 1 and 2147483647."
	msgNotJSON     = "The request body is not valid JSON."
	msgNotObject   = "The request body must be a JSON object."
	msgNotArray    = "The request body must be a JSON array."
	msgTooLarge    = "The request body is too large."
	msgContentType = "The request body must be sent as application/json."
	msgNoResource  = "The requested resource was not found."
)

func long(n int) string { return strings.Repeat("a", n) }

// badIDs are the path ids every {id} refuses, and one that is fine but
// names nothing.
func badIDs(name, method, pathFmt, body, notFound string) []bad {
	var out []bad
	for _, id := range []string{"abc", "0", "-1", "1.5", "+1", "0x10", "2147483648", "99999999999999999999", "%20"} {
		out = append(out, bad{name: name + " id " + id, method: method, path: strings.ReplaceAll(pathFmt, "{}", id), body: body,
			status: http.StatusBadRequest, msg: msgBadID})
	}
	if notFound != "" {
		out = append(out, bad{name: name + " id not found", method: method, path: strings.ReplaceAll(pathFmt, "{}", "2147483647"), body: body,
			status: http.StatusNotFound, msg: notFound})
	}
	return out
}

// bodyErrors are the refusals every JSON-object body gets.
func bodyErrors(name, method, path string) []bad {
	return []bad{
		{name: name + " malformed", method: method, path: path, body: `{"UserName":`, status: 400, msg: msgNotJSON},
		{name: name + " trailing comma", method: method, path: path, body: `{"a":1,}`, status: 400, msg: msgNotJSON},
		{name: name + " array", method: method, path: path, body: `[]`, status: 400, msg: msgNotObject},
		{name: name + " string", method: method, path: path, body: `"ann"`, status: 400, msg: msgNotObject},
		{name: name + " number", method: method, path: path, body: `42`, status: 400, msg: msgNotObject},
		{name: name + " null", method: method, path: path, body: `null`, status: 400, msg: msgNotObject},
		{name: name + " two objects", method: method, path: path, body: `{} {}`, status: 400, msg: "The request body has data after the JSON object."},
		{name: name + " invalid UTF-8", method: method, path: path, body: "{\"UserName\":\"\xff\"}", status: 400, msg: "The request body is not valid UTF-8."},
		{name: name + " too deep", method: method, path: path, body: `{"a":` + strings.Repeat("[", 12) + strings.Repeat("]", 12) + `}`, status: 400, msg: "The request body is nested too deeply."},
		{name: name + " same name twice", method: method, path: path, body: `{"UserName":"a","UserName":"b"}`, status: 400,
			msg: `The request body names the field "UserName" more than once.`},
		{name: name + " name twice in two cases", method: method, path: path, body: `{"UserName":"a","username":"b"}`, status: 400,
			msg: `The request body names the field "username" more than once.`},
		{name: name + " name twice, once null", method: method, path: path, body: `{"USERNAME":null,"username":"b"}`, status: 400,
			msg: `The request body names the field "username" more than once.`},
		{name: name + " too large", method: method, path: path, body: `{"a":"` + long(1<<20) + `"}`, status: 413, msg: msgTooLarge},
		{name: name + " text/plain", method: method, path: path, body: `{}`, header: []string{"Content-Type", "text/plain"}, status: 415, msg: msgContentType},
		{name: name + " form", method: method, path: path, body: `UserName=ann`, header: []string{"Content-Type", "application/x-www-form-urlencoded"},
			status: 415, msg: msgContentType},
		{name: name + " bad media type", method: method, path: path, body: `{}`, header: []string{"Content-Type", "application/json; ;"}, status: 415, msg: msgContentType},
	}
}

// TestBadInput sends each endpoint the inputs it must refuse, and checks
// the exact status and message: never a 500.
func TestBadInput(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	localID := idOf(t, e.createLocal(`{"UserName":"ann","FirstName":"Ann","EmailAddress":"ann@example.com","Password":"correct horse"}`), "UserID")
	local := itoa(localID)
	e.createLocal(`{"UserName":"bob","FirstName":"Bob","EmailAddress":"bob@example.com","Password":"correct horse"}`)
	app := itoa(idOf(t, e.application("robot"), "UserID"))
	e.application("other robot")
	groupID := e.group("ops", 1, 0)
	group := itoa(groupID)
	e.join(localID, groupID)

	// A valid BeyondInsight body with one property changed (nil removes it).
	user := func(change map[string]any) string {
		m := map[string]any{"UserName": "zed", "FirstName": "Zed", "EmailAddress": "zed@example.com", "Password": "correct horse"}
		for k, v := range change {
			if v == nil {
				delete(m, k)
			} else {
				m[k] = v
			}
		}
		return jsonBody(t, m)
	}
	groupBody := func(extra string) string { return `{"groupType":"BeyondInsight","groupName":"g"` + extra + `}` }

	var cases []bad
	add := func(bs ...bad) { cases = append(cases, bs...) }

	// POST Users, all four types.
	add(bodyErrors("POST Users", "POST", "/Users")...)
	for _, c := range []struct{ name, body, msg string }{
		{"empty object", `{}`, "EmailAddress field is required; FirstName field is required; Password field is required; UserName field is required"},
		{"only nulls", `{"UserName":null,"FirstName":null,"EmailAddress":null,"Password":null}`,
			"EmailAddress field is required; FirstName field is required; Password field is required; UserName field is required"},
		{"UserName a number", user(map[string]any{"UserName": 5}), "UserName must be a string"},
		{"several wrong", `{"UserName":5,"FirstName":true,"EmailAddress":["a"]}`,
			"EmailAddress must be a string; FirstName must be a string; Password field is required; UserName must be a string"},
		{"missing and invalid together", `{"UserName":"bob","EmailAddress":"not an address","Password":"x"}`,
			"EmailAddress must be a valid email address; FirstName field is required; Password must be at least 8 characters"},
		{"UserType a number", `{"UserType":5}`, "UserType must be a string"},
		{"UserType unknown", user(map[string]any{"UserType": "Robot"}), "UserType must be one of BeyondInsight, ActiveDirectory, LdapDirectory or Application"},
		{"UserType empty", user(map[string]any{"UserType": ""}), "UserType must be one of BeyondInsight, ActiveDirectory, LdapDirectory or Application"},
		{"UserName empty", user(map[string]any{"UserName": ""}), "UserName field is required"},
		{"UserName 65", user(map[string]any{"UserName": long(65)}), "UserName may not be greater than 64 characters"},
		{"UserName control character", user(map[string]any{"UserName": "a\x01b"}), "UserName may not contain control characters"},
		{"FirstName 65", user(map[string]any{"FirstName": long(65)}), "FirstName may not be greater than 64 characters"},
		{"LastName 65", user(map[string]any{"LastName": long(65)}), "LastName may not be greater than 64 characters"},
		{"names 65", user(map[string]any{"FirstName": long(65), "LastName": long(65), "UserName": long(65)}),
			"FirstName may not be greater than 64 characters; LastName may not be greater than 64 characters; UserName may not be greater than 64 characters"},
		{"EmailAddress 256", user(map[string]any{"EmailAddress": long(244) + "@example.com"}), "EmailAddress may not be greater than 255 characters"},
		{"EmailAddress invalid", user(map[string]any{"EmailAddress": "not an address"}), "EmailAddress must be a valid email address"},
		{"EmailAddress with a name", user(map[string]any{"EmailAddress": "Zed <zed@example.com>"}), "EmailAddress must be a valid email address"},
		{"EmailAddress without domain", user(map[string]any{"EmailAddress": "zed@"}), "EmailAddress must be a valid email address"},
		{"EmailAddress empty", user(map[string]any{"EmailAddress": ""}), "EmailAddress field is required"},
		{"FirstName and Password empty", user(map[string]any{"FirstName": "", "Password": ""}), "FirstName field is required; Password field is required"},
		{"Password short", user(map[string]any{"Password": "short"}), "Password must be at least 8 characters"},
		{"Password 257", user(map[string]any{"Password": long(257)}), "Password may not be greater than 256 characters"},
		{"Password a number", user(map[string]any{"Password": 12345678}), "Password must be a string"},

		{"Application without UserName", `{"UserType":"Application"}`, "UserName field is required"},
		{"Application AccessPolicyID 1.5", `{"UserType":"Application","UserName":"r","AccessPolicyID":1.5}`, "AccessPolicyID must be an integer"},
		{"Application AccessPolicyID string", `{"UserType":"Application","UserName":"r","AccessPolicyID":"1"}`, "AccessPolicyID must be an integer"},
		{"Application AccessPolicyID 1e0", `{"UserType":"Application","UserName":"r","AccessPolicyID":1e0}`, "AccessPolicyID must be an integer"},
		{"Application AccessPolicyID 0", `{"UserType":"Application","UserName":"r","AccessPolicyID":0}`, "AccessPolicyID must be between 1 and 2147483647"},
		{"Application AccessPolicyID huge", `{"UserType":"Application","UserName":"r","AccessPolicyID":2147483648}`, "AccessPolicyID must be between 1 and 2147483647"},
		{"Application AccessPolicyID enormous", `{"UserType":"Application","UserName":"r","AccessPolicyID":99999999999999999999}`, "AccessPolicyID must be between 1 and 2147483647"},
		{"Application UserName 65", `{"UserType":"Application","UserName":"` + long(65) + `"}`, "UserName may not be greater than 64 characters"},

		{"ActiveDirectory empty", `{"UserType":"ActiveDirectory"}`, "DomainName field is required; UserName field is required"},
		{"ActiveDirectory UserName a number", `{"UserType":"ActiveDirectory","UserName":5,"DomainName":"corp.example"}`, "UserName must be a string"},
		{"ActiveDirectory UseSSL yes", `{"UserType":"ActiveDirectory","UserName":"j","DomainName":"corp.example","UseSSL":"yes"}`, "UseSSL must be true or false"},
		{"ActiveDirectory UserName 65", `{"UserType":"ActiveDirectory","UserName":"` + long(65) + `","DomainName":"corp.example"}`,
			"UserName may not be greater than 64 characters"},
		{"ActiveDirectory DomainName 251", `{"UserType":"ActiveDirectory","UserName":"j","DomainName":"` + long(251) + `"}`,
			"DomainName may not be greater than 250 characters"},
		{"ActiveDirectory ForestName 301", `{"UserType":"ActiveDirectory","UserName":"j","DomainName":"corp.example","ForestName":"` + long(301) + `"}`,
			"ForestName may not be greater than 300 characters"},
		{"ActiveDirectory BindUser without password or forest", `{"UserType":"ActiveDirectory","UserName":"j","DomainName":"corp.example","BindUser":"cn=x"}`,
			"BindPassword is required when a bind user is given; ForestName is required when a bind user is given"},

		{"LdapDirectory empty", `{"UserType":"LdapDirectory"}`,
			"AccountNameAttribute field is required; DistinguishedName field is required; HostName field is required"},
		{"LdapDirectory Port x", `{"UserType":"LdapDirectory","HostName":"h","DistinguishedName":"uid=a","AccountNameAttribute":"uid","Port":"x"}`,
			"Port must be an integer"},
		{"LdapDirectory Port 0", `{"UserType":"LdapDirectory","HostName":"h","DistinguishedName":"uid=a","AccountNameAttribute":"uid","Port":0}`,
			"Port must be between 1 and 65535"},
		{"LdapDirectory Port 65536", `{"UserType":"LdapDirectory","HostName":"h","DistinguishedName":"uid=a","AccountNameAttribute":"uid","Port":65536}`,
			"Port must be between 1 and 65535"},
		{"LdapDirectory Port and UseSSL wrong, HostName missing", `{"UserType":"LdapDirectory","DistinguishedName":"uid=a","AccountNameAttribute":"uid","Port":1.5,"UseSSL":1}`,
			"HostName field is required; Port must be an integer; UseSSL must be true or false"},
		{"LdapDirectory DistinguishedName 256", `{"UserType":"LdapDirectory","HostName":"h","DistinguishedName":"uid=` + long(252) + `","AccountNameAttribute":"uid"}`,
			"DistinguishedName may not be greater than 255 characters"},
		{"LdapDirectory HostName 251", `{"UserType":"LdapDirectory","HostName":"` + long(251) + `","DistinguishedName":"uid=a","AccountNameAttribute":"uid"}`,
			"HostName may not be greater than 250 characters"},
		{"LdapDirectory AccountNameAttribute not a name", `{"UserType":"LdapDirectory","HostName":"h","DistinguishedName":"uid=a","AccountNameAttribute":"uid)(x=*"}`,
			"AccountNameAttribute must be an LDAP attribute name"},
	} {
		add(bad{name: "POST Users " + c.name, method: "POST", path: "/Users", body: c.body, status: 400, msg: c.msg})
	}
	add(
		bad{name: "POST Users UserName taken", method: "POST", path: "/Users", body: user(map[string]any{"UserName": "ANN"}), status: 409,
			msg: "UserName has already been taken"},
		bad{name: "POST Users application UserName taken", method: "POST", path: "/Users", body: `{"UserType":"Application","UserName":"Robot"}`,
			status: 409, msg: "UserName has already been taken"},
		bad{name: "POST Users application takes a local name", method: "POST", path: "/Users", body: `{"UserType":"application","UserName":"ann"}`,
			status: 409, msg: "UserName has already been taken"},
	)

	// PUT Users/{id}.
	add(bodyErrors("PUT Users/{id}", "PUT", "/Users/"+local)...)
	add(badIDs("PUT Users/{id}", "PUT", "/Users/{}", user(nil), msgUserNotFound)...)
	for _, c := range []struct{ name, path, body, msg string }{
		{"local empty", local, `{}`, "EmailAddress field is required; FirstName field is required; UserName field is required"},
		{"local UserName a number", local, user(map[string]any{"UserName": 5}), "UserName must be a string"},
		{"local FirstName 65", local, user(map[string]any{"FirstName": long(65)}), "FirstName may not be greater than 64 characters"},
		{"local LastName 65", local, user(map[string]any{"LastName": long(65)}), "LastName may not be greater than 64 characters"},
		{"local EmailAddress invalid", local, user(map[string]any{"EmailAddress": "x"}), "EmailAddress must be at least 3 characters, must be a valid email address"},
		{"local EmailAddress empty", local, user(map[string]any{"EmailAddress": ""}), "EmailAddress field is required"},
		{"local FirstName empty", local, user(map[string]any{"FirstName": ""}), "FirstName field is required"},
		{"local EmailAddress 256", local, user(map[string]any{"EmailAddress": long(244) + "@example.com"}), "EmailAddress may not be greater than 255 characters"},
		{"local Password short", local, user(map[string]any{"Password": "short"}), "Password must be at least 8 characters"},
		{"application empty", app, `{}`, "UserName field is required"},
		{"application AccessPolicyID 1.5", app, `{"UserName":"robot","AccessPolicyID":1.5}`, "AccessPolicyID must be an integer"},
		{"application AccessPolicyID 0", app, `{"UserName":"robot","AccessPolicyID":0}`, "AccessPolicyID must be between 1 and 2147483647"},
		{"application UserName 65", app, `{"UserName":"` + long(65) + `"}`, "UserName may not be greater than 64 characters"},
	} {
		add(bad{name: "PUT Users/{id} " + c.name, method: "PUT", path: "/Users/" + c.path, body: c.body, status: 400, msg: c.msg})
	}
	add(
		bad{name: "PUT Users/{id} UserName taken", method: "PUT", path: "/Users/" + local, body: user(map[string]any{"UserName": "Bob"}),
			status: 409, msg: "UserName has already been taken"},
		bad{name: "PUT Users/{id} application UserName taken", method: "PUT", path: "/Users/" + app, body: `{"UserName":"OTHER ROBOT"}`,
			status: 409, msg: "UserName has already been taken"},
	)

	// The other operations on users.
	add(badIDs("GET Users/{id}", "GET", "/Users/{}", "", msgUserNotFound)...)
	add(badIDs("DELETE Users/{id}", "DELETE", "/Users/{}", "", msgUserNotFound)...)
	add(badIDs("POST Users/{id}/Quarantine", "POST", "/Users/{}/Quarantine", "", msgUserNotFound)...)
	add(badIDs("POST Users/{id}/RecycleClientSecret", "POST", "/Users/{}/RecycleClientSecret", "", msgUserNotFound)...)
	add(badIDs("GET Users/{id}/UserGroups", "GET", "/Users/{}/UserGroups", "", msgUserNotFound)...)
	add(badIDs("POST Users/{id}/UserGroups/{groupId} user", "POST", "/Users/{}/UserGroups/"+group, "", msgUserNotFound)...)
	add(badIDs("POST Users/{id}/UserGroups/{groupId} group", "POST", "/Users/"+local+"/UserGroups/{}", "", msgGroupNotFound)...)
	add(badIDs("DELETE Users/{id}/UserGroups/{groupId} user", "DELETE", "/Users/{}/UserGroups/"+group, "", msgUserNotFound)...)
	add(badIDs("DELETE Users/{id}/UserGroups/{groupId} group", "DELETE", "/Users/"+local+"/UserGroups/{}", "", msgGroupNotFound)...)
	add(
		bad{name: "POST membership twice", method: "POST", path: "/Users/" + local + "/UserGroups/" + group, status: 409, msg: "UserID has already been taken"},
		bad{name: "DELETE membership of a non-member", method: "DELETE", path: "/Users/" + app + "/UserGroups/" + group, status: 404, msg: "Membership not found"},
		bad{name: "RecycleClientSecret of a local user", method: "POST", path: "/Users/" + local + "/RecycleClientSecret", status: 403,
			msg: "Only application users have a client secret."},
	)

	// POST UserGroups.
	add(bodyErrors("POST UserGroups", "POST", "/UserGroups")...)
	for _, c := range []struct{ name, body, msg string }{
		{"empty object", `{}`, "groupName field is required; groupType field is required"},
		{"groupName a number", `{"groupType":"BeyondInsight","groupName":5}`, "groupName must be a string"},
		{"groupName empty", `{"groupType":"BeyondInsight","groupName":""}`, "groupName field is required"},
		{"groupName 256", `{"groupType":"BeyondInsight","groupName":"` + long(256) + `"}`, "groupName may not be greater than 255 characters"},
		{"groupType a number", `{"groupType":1,"groupName":"g"}`, "groupType must be a string"},
		{"groupType unknown", `{"groupType":"Robots","groupName":"g"}`, "groupType must be BeyondInsight: directory groups cannot be created here."},
		{"description 4097", groupBody(`,"description":"` + long(4097) + `"`), "description may not be greater than 4096 characters"},
		{"description a number", groupBody(`,"description":1`), "description must be a string"},
		{"description with NUL", groupBody(`,"description":"a\u0000b"`), "description may not contain NUL characters"},
		{"groupName with NUL", `{"groupType":"BeyondInsight","groupName":"a\u0000b"}`, "groupName may not contain control characters"},
		{"isActive yes", groupBody(`,"isActive":"yes"`), "isActive must be true or false"},
		{"isActive 1", groupBody(`,"isActive":1`), "isActive must be true or false"},
		{"ApplicationRegistrationIDs a string", groupBody(`,"ApplicationRegistrationIDs":"1"`), "ApplicationRegistrationIDs must be an array of integers"},
		{"ApplicationRegistrationIDs of strings", groupBody(`,"ApplicationRegistrationIDs":["1"]`), "ApplicationRegistrationIDs must be an array of integers"},
		{"ApplicationRegistrationIDs 0", groupBody(`,"ApplicationRegistrationIDs":[0]`),
			"ApplicationRegistrationIDs must contain only integers between 1 and 2147483647"},
		{"ApplicationRegistrationIDs unknown", groupBody(`,"ApplicationRegistrationIDs":[42]`),
			"ApplicationRegistrationIDs must name API registrations that exist; 42 does not"},
		{"Permissions an object", groupBody(`,"Permissions":{}`), "Permissions must be an array of objects with integer PermissionID and AccessLevelID"},
		{"Permissions unknown", groupBody(`,"Permissions":[{"PermissionID":3,"AccessLevelID":1}]`), "Permissions must name permissions that exist; 3 does not"},
		{"Permissions level 2", groupBody(`,"Permissions":[{"PermissionID":1,"AccessLevelID":2}]`),
			"Permissions access levels must be 0 (none), 1 (read) or 3 (read/write)"},
		{"Permissions level -1", groupBody(`,"Permissions":[{"PermissionID":1,"AccessLevelID":-1}]`),
			"Permissions access levels must be 0 (none), 1 (read) or 3 (read/write)"},
		{"Permissions without level", groupBody(`,"Permissions":[{"PermissionID":1}]`), "Permissions entries need both PermissionID and AccessLevelID"},
		{"SmartRuleAccess", groupBody(`,"SmartRuleAccess":[{"SmartRuleID":1,"AccessLevelID":1}]`), "SmartRuleAccess must be empty: this server has no smart rules"},
		{"several wrong", `{"groupType":"BeyondInsight","isActive":"no","description":5}`,
			"description must be a string; groupName field is required; isActive must be true or false"},
	} {
		add(bad{name: "POST UserGroups " + c.name, method: "POST", path: "/UserGroups", body: c.body, status: 400, msg: c.msg})
	}
	add(bad{name: "POST UserGroups name taken", method: "POST", path: "/UserGroups", body: `{"groupType":"BeyondInsight","groupName":"OPS"}`,
		status: 409, msg: "groupName has already been taken"})

	add(badIDs("GET UserGroups/{id}", "GET", "/UserGroups/{}", "", msgGroupNotFound)...)
	add(badIDs("DELETE UserGroups/{id}", "DELETE", "/UserGroups/{}", "", msgGroupNotFound)...)
	add(badIDs("GET UserGroups/{id}/Users", "GET", "/UserGroups/{}/Users", "", msgGroupNotFound)...)
	add(badIDs("POST UserGroups/{id}/Users", "POST", "/UserGroups/{}/Users", user(nil), msgGroupNotFound)...)
	add(bodyErrors("POST UserGroups/{id}/Users", "POST", "/UserGroups/"+group+"/Users")...)
	for _, c := range []struct{ name, body, msg string }{
		{"empty object", `{}`, "EmailAddress field is required; FirstName field is required; Password field is required; UserName field is required"},
		{"UserName a number", user(map[string]any{"UserName": 5}), "UserName must be a string"},
		{"UserName 65", user(map[string]any{"UserName": long(65)}), "UserName may not be greater than 64 characters"},
		{"EmailAddress invalid", user(map[string]any{"EmailAddress": "@"}), "EmailAddress must be at least 3 characters, must be a valid email address"},
		{"FirstName empty", user(map[string]any{"FirstName": ""}), "FirstName field is required"},
	} {
		add(bad{name: "POST UserGroups/{id}/Users " + c.name, method: "POST", path: "/UserGroups/" + group + "/Users", body: c.body, status: 400, msg: c.msg})
	}
	add(bad{name: "POST UserGroups/{id}/Users UserName taken", method: "POST", path: "/UserGroups/" + group + "/Users",
		body: user(map[string]any{"UserName": "ann"}), status: 409, msg: "UserName has already been taken"})

	// UserGroups/{id}/Permissions.
	perms := "/UserGroups/" + group + "/Permissions"
	add(badIDs("GET UserGroups/{id}/Permissions", "GET", "/UserGroups/{}/Permissions", "", msgGroupNotFound)...)
	add(badIDs("POST UserGroups/{id}/Permissions", "POST", "/UserGroups/{}/Permissions", `[]`, msgGroupNotFound)...)
	add(badIDs("DELETE UserGroups/{id}/Permissions", "DELETE", "/UserGroups/{}/Permissions", "", msgGroupNotFound)...)
	for _, c := range []struct {
		name, body string
		header     []string
		status     int
		msg        string
	}{
		{"malformed", `[{"PermissionID":1`, nil, 400, msgNotArray},
		{"an object", `{"PermissionID":1,"AccessLevelID":1}`, nil, 400, msgNotArray},
		{"a string", `"1"`, nil, 400, msgNotArray},
		{"trailing data", `[] []`, nil, 400, msgNotArray},
		{"invalid UTF-8", "[\"\xff\"]", nil, 400, "The request body is not valid UTF-8."},
		{"too deep", strings.Repeat("[", 13) + strings.Repeat("]", 13), nil, 400, "The request body is nested too deeply."},
		{"of numbers", `[1,3]`, nil, 400, "Permissions must be an array of objects with integer PermissionID and AccessLevelID"},
		{"PermissionID a string", `[{"PermissionID":"1","AccessLevelID":1}]`, nil, 400,
			"Permissions must be an array of objects with integer PermissionID and AccessLevelID"},
		{"AccessLevelID 1.5", `[{"PermissionID":1,"AccessLevelID":1.5}]`, nil, 400,
			"Permissions must be an array of objects with integer PermissionID and AccessLevelID"},
		{"AccessLevelID enormous", `[{"PermissionID":1,"AccessLevelID":99999999999999999999}]`, nil, 400,
			"Permissions must be an array of objects with integer PermissionID and AccessLevelID"},
		{"null entry", `[null]`, nil, 400, "Permissions entries need both PermissionID and AccessLevelID"},
		{"without PermissionID", `[{"AccessLevelID":1}]`, nil, 400, "Permissions entries need both PermissionID and AccessLevelID"},
		{"unknown permission", `[{"PermissionID":0,"AccessLevelID":1}]`, nil, 400, "Permissions must name permissions that exist; 0 does not"},
		{"huge permission", `[{"PermissionID":9223372036854775807,"AccessLevelID":1}]`, nil, 400,
			"Permissions must name permissions that exist; 9223372036854775807 does not"},
		{"access level 2", `[{"PermissionID":1,"AccessLevelID":2}]`, nil, 400, "Permissions access levels must be 0 (none), 1 (read) or 3 (read/write)"},
		{"access level 4", `[{"PermissionID":2,"AccessLevelID":4}]`, nil, 400, "Permissions access levels must be 0 (none), 1 (read) or 3 (read/write)"},
		{"repeated", `[{"PermissionID":1,"AccessLevelID":1},{"permissionId":1,"accessLevelId":1}]`, nil, 400,
			"Permissions must name each permission once; 1 is repeated"},
		{"too large", `[` + strings.Repeat(`{"PermissionID":1,"AccessLevelID":1},`, 40000) + `{}]`, nil, 413, msgTooLarge},
		{"text/plain", `[]`, []string{"Content-Type", "text/plain"}, 415, msgContentType},
	} {
		add(bad{name: "POST UserGroups/{id}/Permissions " + c.name, method: "POST", path: perms, body: c.body, header: c.header, status: c.status, msg: c.msg})
	}

	// Methods a path does not have, and paths that do not exist.
	for _, c := range []struct{ method, path, allow string }{
		{"PATCH", "/Users", "GET,HEAD,POST"},
		{"DELETE", "/Users", "GET,HEAD,POST"},
		{"PUT", "/Users", "GET,HEAD,POST"},
		{"POST", "/Users/" + local, "GET,HEAD,PUT,DELETE"},
		{"PATCH", "/Users/" + local, "GET,HEAD,PUT,DELETE"},
		{"PATCH", "/Users/abc", "GET,HEAD,PUT,DELETE"},
		{"GET", "/Users/" + local + "/Quarantine", "POST"},
		{"DELETE", "/Users/" + local + "/RecycleClientSecret", "POST"},
		{"POST", "/Users/" + local + "/UserGroups", "GET,HEAD"},
		{"GET", "/Users/" + local + "/UserGroups/" + group, "POST,DELETE"},
		{"PUT", "/UserGroups", "GET,HEAD,POST"},
		{"PUT", "/UserGroups/" + group, "GET,HEAD,DELETE"},
		{"POST", "/UserGroups/" + group, "GET,HEAD,DELETE"},
		{"DELETE", "/UserGroups/" + group + "/Users", "GET,HEAD,POST"},
		{"PUT", "/UserGroups/" + group + "/Permissions", "GET,HEAD,POST,DELETE"},
		{"POST", "/Permissions", "GET,HEAD"},
		{"GET", "/Auth/SignAppIn", "POST"},
		{"GET", "/Auth/Signout", "POST"},
	} {
		add(bad{name: c.method + " " + c.path, method: c.method, path: c.path, status: 405,
			msg: "The " + c.method + " method is not allowed for this resource.", allow: c.allow})
	}
	for _, p := range []string{"", "/", "/Nope", "/User", "/Users/" + local + "/Nope", "/Users/" + local + "/UserGroups/" + group + "/x",
		"/UserGroups/" + group + "/Users/" + local, "/Permissions/1", "/Auth", "x"} {
		add(bad{name: "GET " + p, method: "GET", path: p, status: 404, msg: msgNoResource})
	}

	// Look-ups by name that find nothing, whatever the name holds.
	for _, q := range []string{"%FF", "%00", "a%00b", "%C0%80", url64k()} {
		add(bad{name: "GET Users?username=" + q[:min(len(q), 12)], method: "GET", path: "/Users?username=" + q, status: 404, msg: msgUserNotFound})
		add(bad{name: "GET UserGroups?name=" + q[:min(len(q), 12)], method: "GET", path: "/UserGroups?name=" + q, status: 404, msg: "User group not found"})
	}

	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			path := base + c.path
			if c.path == "x" {
				path = base + "x" // not below the prefix at all
			}
			header := append([]string{"Authorization", "Bearer " + e.tok}, c.header...)
			if c.body != "" && len(c.header) == 0 {
				header = append(header, "Content-Type", "application/json")
			}
			resp := e.Do(t, c.method, path, "", c.body, header...)
			if c.path == "x" {
				// Outside the face: another handler's 404.
				if resp.Status != http.StatusNotFound {
					t.Errorf("status %d %s, want 404", resp.Status, resp.Body)
				}
				return
			}
			wantError(t, resp, c.status, c.msg)
			if c.allow != "" && resp.Header.Get("Allow") != c.allow {
				t.Errorf("Allow %q, want %q", resp.Header.Get("Allow"), c.allow)
			}
			if ct := resp.Header.Get("Content-Type"); ct != "application/json; charset=utf-8" {
				t.Errorf("Content-Type %q", ct)
			}
		})
	}

	// Nothing refused changed anything.
	if list := want(t, e.do(http.MethodGet, "/Users", ""), http.StatusOK).Array(t); len(list) != 4 {
		t.Errorf("users after bad input: %v", list)
	}
	if list := want(t, e.do(http.MethodGet, "/UserGroups", ""), http.StatusOK).Array(t); len(list) != 1 {
		t.Errorf("groups after bad input: %v", list)
	}
	if got := want(t, e.do(http.MethodGet, perms, ""), http.StatusOK).Array(t); len(got) != 2 {
		t.Errorf("permissions after bad input: %v", got)
	}
}

func url64k() string { return strings.Repeat("%41", 20000) }

// Property names and paths match in any case; unknown properties are
// ignored, as BeyondInsight ignores them.
func TestAnyCase(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	for _, c := range []struct{ name, body string }{
		{"lower", `{"username":"a1","firstname":"A","emailaddress":"a1@example.com","password":"correct horse"}`},
		{"upper", `{"USERNAME":"a2","FIRSTNAME":"A","EMAILADDRESS":"a2@example.com","PASSWORD":"correct horse","LASTNAME":"B"}`},
		{"mixed", `{"uSeRnAmE":"a3","FirstName":"A","eMailAddress":"a3@example.com","passWord":"correct horse","usertype":"beyondinsight"}`},
		{"unknown properties", `{"UserName":"a4","FirstName":"A","EmailAddress":"a4@example.com","Password":"correct horse","UserID":99,"Extra":{"x":[1]}}`},
	} {
		t.Run(c.name, func(t *testing.T) {
			got := want(t, e.do(http.MethodPost, "/Users", c.body), http.StatusOK).Object(t)
			if got["UserType"] != "BeyondInsight" || !strings.HasPrefix(got["UserName"].(string), "a") || got["FirstName"] != "A" {
				t.Errorf("created %v", got)
			}
		})
	}
	got := want(t, e.do(http.MethodPost, "/USERS", `{"USERTYPE":"APPLICATION","username":"r1","accesspolicyid":2}`), http.StatusOK).Object(t)
	wantFields(t, got, map[string]any{"UserType": "Application", "UserName": "r1", "AccessPolicyID": float64(2)})
	id := itoa(idOf(t, got, "UserID"))
	got = want(t, e.do(http.MethodPut, "/users/"+id, `{"USERNAME":"r2","ACCESSPOLICYID":3}`), http.StatusOK).Object(t)
	wantFields(t, got, map[string]any{"UserName": "r2", "AccessPolicyID": float64(3)})
	want(t, e.do(http.MethodPost, "/uSeRs/"+id+"/rEcYcLeClIeNtSeCrEt", ""), http.StatusOK)
	g := want(t, e.do(http.MethodPost, "/usergroups", `{"GROUPTYPE":"BeyondInsight","GROUPNAME":"g","ISACTIVE":false,`+
		`"permissions":[{"permissionid":1,"accesslevelid":1}],"applicationregistrationids":[]}`), http.StatusCreated).Object(t)
	wantFields(t, g, map[string]any{"Name": "g", "IsActive": false})
	want(t, e.do(http.MethodGet, "/USERGROUPS/"+itoa(idOf(t, g, "GroupID"))+"/PERMISSIONS/", ""), http.StatusOK)
	// The charset parameter and +json types are JSON.
	want(t, e.do(http.MethodPost, "/Users", `{"UserName":"a5","FirstName":"A","EmailAddress":"a5@example.com","Password":"correct horse"}`,
		"Content-Type", "application/json; charset=utf-8"), http.StatusOK)
	want(t, e.do(http.MethodPost, "/Users", `{"UserName":"a6","FirstName":"A","EmailAddress":"a6@example.com","Password":"correct horse"}`,
		"Content-Type", "application/vnd.api+json"), http.StatusOK)
	// A POST without a body has no type to get wrong.
	want(t, e.do(http.MethodPost, "/Users/"+id+"/Quarantine", "", "Content-Type", "text/plain"), http.StatusOK)
}
