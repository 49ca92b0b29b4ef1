package scim_test

import (
	"fmt"
	"net/http"
	"reflect"
	"slices"
	"testing"
)

// names returns the userName (or displayName) of each resource.
func names(items []map[string]any) []string {
	out := make([]string, len(items))
	for i, it := range items {
		if n, ok := it["userName"].(string); ok {
			out[i] = n
		} else {
			out[i], _ = it["displayName"].(string)
		}
	}
	return out
}

// TestListPaging: startIndex is 1-based, count pages, totals are integers,
// and sorted pages never overlap (ties broken by id).
func TestListPaging(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	var all []string
	for i := range 7 {
		name := fmt.Sprintf("user%d", i)
		all = append(all, name)
		// Every second user has the same family name, to make ties.
		family := "Same"
		if i%2 == 1 {
			family = fmt.Sprintf("F%d", 9-i)
		}
		e.obj(http.StatusCreated, "POST", "/Users", `{"schemas":["`+userURN+`"],"userName":"`+name+`","name":{"familyName":"`+family+`"}}`)
	}
	got := list(t, e.do("GET", "/Users", ""), 7, 1, 7)
	if !reflect.DeepEqual(names(got), all) {
		t.Errorf("default order %v", names(got))
	}
	got = list(t, e.do("GET", "/Users?startIndex=3&count=2", ""), 7, 3, 2)
	if !reflect.DeepEqual(names(got), all[2:4]) {
		t.Errorf("page %v", names(got))
	}
	list(t, e.do("GET", "/Users?startIndex=0&count=2", ""), 7, 1, 2)
	list(t, e.do("GET", "/Users?startIndex=-4&count=2", ""), 7, 1, 2)
	list(t, e.do("GET", "/Users?startIndex=7&count=5", ""), 7, 7, 1)
	list(t, e.do("GET", "/Users?startIndex=8", ""), 7, 8, 0)
	list(t, e.do("GET", "/Users?startIndex=99999999999999999999", ""), 7, 9223372036854775807, 0)
	list(t, e.do("GET", "/Users?count=0", ""), 7, 1, 0)
	list(t, e.do("GET", "/Users?count=-3", ""), 7, 1, 0)
	list(t, e.do("GET", "/Users?count=100000", ""), 7, 1, 7)
	// Parameter names in another case (some clients send startindex).
	list(t, e.do("GET", "/Users?startindex=2&COUNT=1", ""), 7, 2, 1)

	// Sorted, descending, walked a page of one at a time: every user once.
	var walked []string
	for i := 1; i <= 7; i++ {
		page := list(t, e.do("GET", "/Users"+q("sortBy", "name.familyName", "sortOrder", "descending", "startIndex", fmt.Sprint(i), "count", "1"), ""), 7, i, 1)
		walked = append(walked, names(page)...)
	}
	sorted := slices.Clone(walked)
	slices.Sort(sorted)
	if !reflect.DeepEqual(sorted, all) {
		t.Errorf("a sorted walk saw %v", walked)
	}
	if walked[0] != "user0" && walked[0] != "user2" && walked[0] != "user4" && walked[0] != "user6" {
		t.Errorf("descending by family name starts with %s", walked[0])
	}
	got = list(t, e.do("GET", "/Users"+q("sortBy", "userName", "sortOrder", "descending"), ""), 7, 1, 7)
	if names(got)[0] != "user6" {
		t.Errorf("descending by userName %v", names(got))
	}
	got = list(t, e.do("GET", "/Users"+q("sortBy", "USERNAME"), ""), 7, 1, 7)
	if names(got)[0] != "user0" {
		t.Errorf("ascending by USERNAME %v", names(got))
	}
}

// TestFilters: filters compile to the store's query, in any case, with
// and, or, not, pr, value filters and the comparison operators.
func TestFilters(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	a := id(t, e.obj(http.StatusCreated, "POST", "/Users", `{"schemas":["`+userURN+`"],"userName":"alice","externalId":"ext-a",
		"name":{"givenName":"Alice","familyName":"Smith"},"emails":[{"value":"alice@corp.example","type":"work"}],"active":true}`))
	b := id(t, e.obj(http.StatusCreated, "POST", "/Users", `{"schemas":["`+userURN+`"],"userName":"bob",
		"name":{"givenName":"Bob","familyName":"Smith"},"emails":[{"value":"bob@home.example"}],"active":false}`))
	c := id(t, e.obj(http.StatusCreated, "POST", "/Users", `{"schemas":["`+userURN+`"],"userName":"carol","displayName":"Carol C"}`))
	g := id(t, e.createGroup("Ops", a, c))

	for _, tc := range []struct {
		filter string
		want   []string
	}{
		{`userName eq "ALICE"`, []string{a}},
		{`USERNAME Eq "alice"`, []string{a}},
		{`urn:ietf:params:scim:schemas:core:2.0:User:userName eq "bob"`, []string{b}},
		{`userName ne "alice"`, []string{b, c}},
		{`userName sw "a" or userName ew "ol"`, []string{a, c}},
		{`userName co "o"`, []string{b, c}},
		{`name.familyName eq "smith" and active eq true`, []string{a}},
		{`not (name.familyName eq "Smith")`, []string{c}},
		{`active eq false`, []string{b}},
		{`externalId pr`, []string{a}},
		{`not (externalId pr)`, []string{b, c}},
		{`emails pr`, []string{a, b}},
		{`emails co "corp"`, []string{a}},
		{`emails.value ew "@home.example"`, []string{b}},
		{`emails[type eq "work" and value co "alice"]`, []string{a}},
		{`emails[type eq "home"]`, nil},
		{`displayName eq "Carol C"`, []string{c}},
		{`id eq "` + b + `"`, []string{b}},
		{`id eq "not-an-id"`, nil},
		{`groups.value eq "` + g + `"`, []string{a, c}},
		{`groups eq "` + g + `"`, []string{a, c}},
		{`meta.created gt "2000-01-01T00:00:00Z"`, []string{a, b, c}},
		{`meta.lastModified lt "2000-01-01T00:00:00Z"`, nil},
		{`meta.resourceType eq "User"`, []string{a, b, c}},
		{`meta.resourceType eq "Group"`, nil},
		{`(userName eq "alice" or userName eq "bob") and not (active eq false)`, []string{a}},
	} {
		resp := e.do("GET", "/Users"+q("filter", tc.filter), "")
		got := list(t, resp, len(tc.want), 1, len(tc.want))
		var ids []string
		for _, r := range got {
			ids = append(ids, r["id"].(string))
		}
		if !reflect.DeepEqual(ids, tc.want) {
			t.Errorf("%s: %v, want %v", tc.filter, ids, tc.want)
		}
	}
	for _, tc := range []struct {
		filter string
		n      int
	}{
		{`displayName eq "ops"`, 1},
		{`members[value eq "` + a + `"]`, 1},
		{`members eq "` + b + `"`, 0},
		{`members pr`, 1},
		{`externalId pr`, 0},
		{`id eq "` + g + `" and members[value eq "` + c + `"]`, 1},
		{`members[value eq "` + a + `" or value eq "` + b + `"]`, 1},
	} {
		list(t, e.do("GET", "/Groups"+q("filter", tc.filter), ""), tc.n, 1, tc.n)
	}
}

// TestProjection: attributes and excludedAttributes shape lists and single
// resources; id and schemas always show; members and groups are not read
// when not shown.
func TestProjection(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	u := e.obj(http.StatusCreated, "POST", "/Users", `{"schemas":["`+userURN+`","`+enterpriseURN+`"],"userName":"proj",
		"name":{"givenName":"P","familyName":"Q"},"emails":[{"value":"p@example.com","primary":true},{"value":"p2@example.com","type":"home"}],
		"`+enterpriseURN+`":{"department":"R&D","employeeNumber":"7"}}`)
	uid := id(t, u)
	gid := id(t, e.createGroup("Projected", uid))

	got := e.obj(http.StatusOK, "GET", "/Users/"+uid+q("attributes", "userName,name.givenName,emails.value"), "")
	wantExactly(t, "attributes", got, map[string]any{"schemas": []any{userURN}, "id": uid, "userName": "proj",
		"name":   map[string]any{"givenName": "P"},
		"emails": []any{map[string]any{"value": "p@example.com"}, map[string]any{"value": "p2@example.com"}}})

	got = e.obj(http.StatusOK, "GET", "/Users/"+uid+q("attributes", enterpriseURN+":department"), "")
	wantExactly(t, "extension attribute", got, map[string]any{"schemas": []any{userURN, enterpriseURN}, "id": uid,
		enterpriseURN: map[string]any{"department": "R&D"}})

	got = e.obj(http.StatusOK, "GET", "/Users/"+uid+q("excludedAttributes", "emails,meta,groups,name.familyName,"+enterpriseURN+",id"), "")
	for _, k := range []string{"emails", "meta", "groups", enterpriseURN} {
		if _, ok := got[k]; ok {
			t.Errorf("excluded %s shown: %v", k, got)
		}
	}
	if got["id"] != uid || got["name"].(map[string]any)["givenName"] != "P" || got["name"].(map[string]any)["familyName"] != nil {
		t.Errorf("excludedAttributes: %v", got)
	}
	if !reflect.DeepEqual(got["schemas"], []any{userURN}) {
		t.Errorf("schemas %v name an extension that is not shown", got["schemas"])
	}

	items := list(t, e.do("GET", "/Groups"+q("attributes", "displayName"), ""), 1, 1, 1)
	wantExactly(t, "group list attributes", items[0], map[string]any{"schemas": []any{groupURN}, "id": gid, "displayName": "Projected"})
	items = list(t, e.do("GET", "/Groups"+q("attributes", "members.value"), ""), 1, 1, 1)
	wantExactly(t, "members.value", items[0], map[string]any{"schemas": []any{groupURN}, "id": gid,
		"members": []any{map[string]any{"value": uid}}})
	// Unknown names ask for nothing.
	items = list(t, e.do("GET", "/Users"+q("attributes", "nosuch"), ""), 1, 1, 1)
	wantExactly(t, "unknown attribute", items[0], map[string]any{"schemas": []any{userURN}, "id": uid})

	// POST .search takes the same, as arrays.
	resp := e.do("POST", "/Users/.search", `{"schemas":["`+searchURN+`"],"attributes":["userName"],"filter":"userName eq \"proj\"",
		"startIndex":1,"count":10}`)
	items = list(t, resp, 1, 1, 1)
	wantExactly(t, "search", items[0], map[string]any{"schemas": []any{userURN}, "id": uid, "userName": "proj"})
	// Writes answer shaped too.
	resp = want(t, e.do("PATCH", "/Groups/"+gid+"?excludedAttributes=members", patchBody(`{"op":"replace","path":"displayName","value":"P2"}`)),
		http.StatusOK)
	if _, ok := resp.Object(t)["members"]; ok {
		t.Errorf("PATCH answer shows excluded members: %s", resp.Body)
	}
}

// TestRootSearch: POST /.search finds users and groups, users first.
func TestRootSearch(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	uid := id(t, e.createUser("zed"))
	gid := id(t, e.createGroup("zed team"))
	e.createGroup("other")
	items := list(t, e.do("POST", "/.search", `{"schemas":["`+searchURN+`"],"filter":"displayName sw \"z\""}`), 1, 1, 1)
	if items[0]["id"] != gid {
		t.Errorf("by displayName %v", items)
	}
	items = list(t, e.do("POST", "/.search", `{"schemas":["`+searchURN+`"],"filter":"userName eq \"zed\""}`), 1, 1, 1)
	if items[0]["id"] != uid {
		t.Errorf("by userName %v", items)
	}
	items = list(t, e.do("POST", "/.search", `{"schemas":["`+searchURN+`"]}`), 3, 1, 3)
	if items[0]["meta"].(map[string]any)["resourceType"] != "User" || items[1]["meta"].(map[string]any)["resourceType"] != "Group" {
		t.Errorf("order %v", items)
	}
	items = list(t, e.do("POST", "/.search", `{"schemas":["`+searchURN+`"],"startIndex":2,"count":1}`), 3, 2, 1)
	if items[0]["id"] != gid {
		t.Errorf("second of all %v", items)
	}
	list(t, e.do("POST", "/.search", `{"schemas":["`+searchURN+`"],"filter":"meta.resourceType eq \"Group\""}`), 2, 1, 2)
	list(t, e.do("POST", "/.search", `{"schemas":["`+searchURN+`"],"count":0}`), 3, 1, 0)
}

// wantExactly checks that m is exactly the given attributes and meta.
func wantExactly(t *testing.T, what string, m map[string]any, attrs map[string]any) {
	t.Helper()
	if !reflect.DeepEqual(m, attrs) {
		t.Errorf("%s:\n got  %v\n want %v", what, m, attrs)
	}
}
