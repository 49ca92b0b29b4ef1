package public_test

import (
	"context"
	"strings"
	"sync"
	"testing"

	"github.com/gatehouse/gatehouse/internal/directory"
)

func TestCreateLocalUser(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ops := e.group("Ops", "Operations")
	resp := e.do("POST", "/users", `{"username":"jdoe","display_name":"Jane Doe","password":"S3cur3!pass","account_type":"local",`+
		`"email_address":"jdoe@example.com","enabled":false,"public_key":"ssh-ed25519 AAAA jdoe","locale":"de-de",`+
		`"group_memberships":[`+itoa(ops)+`,`+itoa(ops)+`]}`)
	if resp.Status != 201 {
		t.Fatalf("POST: %d %s", resp.Status, resp.Body)
	}
	id := idOf(t, resp.Object(t), "id")
	if loc := resp.Header.Get("Location"); loc != e.URL+base+"/users/"+itoa(id) {
		t.Errorf("Location %q", loc)
	}
	etag(t, "POST", resp, 1)
	want := `{"id":` + itoa(id) + `,"username":"jdoe","display_name":"Jane Doe","email_address":"jdoe@example.com","enabled":false,` +
		`"account_type":"local","group_memberships":[` + itoa(ops) + `],"public_key":"ssh-ed25519 AAAA jdoe","last_login":null,` +
		`"created_at":"-","locale":"de-de"}`
	sameJSON(t, "POST body", withoutCreatedAt(t, resp.Body), want)
	if strings.Contains(string(resp.Body), "password") || strings.Contains(string(resp.Body), "S3cur3") {
		t.Errorf("the password shows: %s", resp.Body)
	}
	if !e.passwordIs(id, "S3cur3!pass") {
		t.Error("the password was not set")
	}

	got := e.do("GET", "/users/"+itoa(id), "")
	etag(t, "GET", got, 1)
	sameJSON(t, "GET body", withoutCreatedAt(t, got.Body), want)

	// Omitted fields take their defaults; display_name comes from the username.
	min := e.create(`{"username":"min","password":"correct horse","account_type":"local"}`)
	delete(min, "created_at")
	sameJSON(t, "defaults", []byte(marshal(min)), `{"id":`+itoa(idOf(t, min, "id"))+`,"username":"min","display_name":"min",`+
		`"email_address":"","enabled":true,"account_type":"local","group_memberships":[],"public_key":"","last_login":null,"locale":"en-us"}`)

	// Usernames are unique, ignoring case.
	expect(t, "taken username", e.do("POST", "/users", `{"username":"JDOE","password":"correct horse","account_type":"local"}`),
		409, `{"message":"The username has already been taken.","errors":{"username":["The username has already been taken."]}}`)
}

func TestCreateEachAccountType(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	for _, tc := range []struct {
		name, body, accountType string
		source                  directory.Source
	}{
		{"local", `{"username":"loc","password":"correct horse","account_type":"local"}`, "local", directory.SourceLocal},
		{"ldap", `{"username":"lda","account_type":"ldap"}`, "ldap", directory.SourceLDAP},
		{"saml", `{"username":"sam","account_type":"saml","email_address":"sam@example.com"}`, "saml", directory.SourceSAML},
		{"upper case", `{"username":"upp","account_type":"LDAP"}`, "ldap", directory.SourceLDAP},
	} {
		u := e.create(tc.body)
		if u["account_type"] != tc.accountType {
			t.Errorf("%s: account_type %v", tc.name, u["account_type"])
		}
		if s := e.stored(idOf(t, u, "id")); s.Source != tc.source || s.SecurityProviderID == 0 {
			t.Errorf("%s: stored source %q provider %d", tc.name, s.Source, s.SecurityProviderID)
		}
	}
	// Password rules: required for local accounts, refused for the others.
	expect(t, "local without password", e.do("POST", "/users", `{"username":"x","account_type":"local"}`),
		422, invalid(map[string][]string{"password": {"is required for local accounts"}}))
	for _, typ := range []string{"ldap", "saml"} {
		expect(t, typ+" with password", e.do("POST", "/users", `{"username":"x","account_type":"`+typ+`","password":"correct horse"}`),
			422, invalid(map[string][]string{"password": {"may only be set for local users"}}))
	}
	// Only the three kinds can be created.
	for _, typ := range []string{"scim", "application", "active_directory", "bogus", ""} {
		expect(t, "account_type "+typ, e.do("POST", "/users", `{"username":"x","account_type":"`+typ+`"}`),
			422, invalid(map[string][]string{"account_type": {"must be local, ldap or saml"}}))
	}
	expect(t, "no account_type", e.do("POST", "/users", `{"username":"x","password":"correct horse"}`),
		422, invalid(map[string][]string{"account_type": {"field is required"}}))
}

// Users that other faces made show their own account_type.
func TestAccountTypesOfOtherSources(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	scim, err := e.Service().CreateUser(ctx, directory.NewUser{Source: directory.SourceSCIM, UserChange: directory.UserChange{Username: directory.To("sc")}})
	if err != nil {
		t.Fatal(err)
	}
	app, _, err := e.Service().CreateApplicationUser(ctx, directory.UserChange{Username: directory.To("app")})
	if err != nil {
		t.Fatal(err)
	}
	for id, want := range map[int64]string{scim.ID: "scim", app.ID: "application"} {
		if got := e.obj(200, "GET", "/users/"+itoa(id), "")["account_type"]; got != want {
			t.Errorf("user %d: account_type %v, want %s", id, got, want)
		}
	}
	// A PUT may send back the account_type it read.
	u := e.obj(200, "PUT", "/users/"+itoa(scim.ID), `{"account_type":"scim","display_name":"SC"}`)
	if u["display_name"] != "SC" {
		t.Errorf("PUT of a SCIM user: %v", u)
	}
	expect(t, "PUT local on scim", e.do("PUT", "/users/"+itoa(scim.ID), `{"account_type":"local"}`),
		422, invalid(map[string][]string{"account_type": {"is read-only after creation: this user's is scim"}}))

	// An LDAP user read and sent back, changed, keeps its directory's name.
	ldap := e.create(`{"username":"CN-Style.Name","account_type":"ldap","display_name":"Dir User"}`)
	ldap["enabled"] = false
	back := e.obj(200, "PUT", "/users/"+itoa(idOf(t, ldap, "id")), marshal(ldap))
	if back["username"] != "CN-Style.Name" || back["enabled"] != false || back["account_type"] != "ldap" || back["display_name"] != "Dir User" {
		t.Errorf("LDAP user sent back: %v", back)
	}
}

func TestGetUser(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	id := idOf(t, e.local("ann"), "id")
	expect(t, "missing", e.do("GET", "/users/999", ""), 404, message("User not found."))
	// last_login shows the last sign-in, in UTC.
	if err := e.Service().RecordSignIn(context.Background(), id, directory.LastLogin{AuthType: "password"}); err != nil {
		t.Fatal(err)
	}
	resp := e.do("GET", "/users/"+itoa(id), "")
	if s, _ := resp.Object(t)["last_login"].(string); !dateTime.MatchString(s) {
		t.Errorf("last_login %q", s)
	}
	etag(t, "after a sign-in", resp, 2)
	head := e.do("HEAD", "/users/"+itoa(id), "")
	if head.Status != 200 || len(head.Body) != 0 || head.Header.Get("ETag") != `"2"` {
		t.Errorf("HEAD: %d %q ETag %q", head.Status, head.Body, head.Header.Get("ETag"))
	}
}

func TestListUsersPaging(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	var ids []int64
	for _, name := range []string{"u1", "u2", "u3", "u4", "u5", "u6", "u7"} {
		ids = append(ids, idOf(t, e.local(name), "id"))
	}
	page := func(query string) ([]int64, int64) {
		t.Helper()
		m := e.obj(200, "GET", "/users"+query, "")
		var got []int64
		for _, u := range m["users"].([]any) {
			got = append(got, idOf(t, u.(map[string]any), "id"))
		}
		if len(m) != 2 {
			t.Errorf("%s: keys %v", query, m)
		}
		return got, idOf(t, m, "total")
	}
	for _, tc := range []struct {
		query string
		want  []int64
	}{
		{"", ids},
		{"?offset=0&limit=100", ids},
		{"?limit=3", ids[:3]},
		{"?offset=3&limit=3", ids[3:6]},
		{"?offset=6&limit=3", ids[6:]},
		{"?offset=7", nil},
		{"?offset=1000000", nil},
		{"?offset=99999999999999999999", nil},
		{"?limit=1", ids[:1]},
		{"?limit=1000", ids},
		{"?offset=2&limit=1", ids[2:3]},
		{"?offset=005&limit=0002", ids[5:7]},
	} {
		got, total := page(tc.query)
		if !equalIDs(got, tc.want) || total != 7 {
			t.Errorf("%q: %v total %d, want %v total 7", tc.query, got, total, tc.want)
		}
	}
	// Walking the list a page at a time sees every user once, in id order,
	// even while users come and go behind the cursor.
	var walked []int64
	for off := 0; ; off += 2 {
		got, _ := page("?limit=2&offset=" + itoa(int64(off)))
		if len(got) == 0 {
			break
		}
		walked = append(walked, got...)
	}
	if !equalIDs(walked, ids) {
		t.Errorf("walked %v, want %v", walked, ids)
	}
	// An empty list is an empty array, not null.
	expect(t, "filter matching nothing", e.do("GET", "/users?username=nobody", ""), 200, `{"users":[],"total":0}`)
}

func equalIDs(a, b []int64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestUsernameFilter(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.local("jdoe")
	jdoe2 := idOf(t, e.local("jdoe2"), "id")
	e.local("ajdoe")
	for _, q := range []string{"jdoe", "JDOE", "jDoE"} {
		m := e.obj(200, "GET", "/users?username="+q, "")
		users := m["users"].([]any)
		if len(users) != 1 || users[0].(map[string]any)["username"] != "jdoe" || m["total"] != float64(1) {
			t.Errorf("username=%s: %v", q, m)
		}
	}
	for _, q := range []string{"jdo", "doe", "jdoe%25", "jdoe_"} {
		if m := e.obj(200, "GET", "/users?username="+q, ""); m["total"] != float64(0) {
			t.Errorf("username=%s matched %v", q, m)
		}
	}
	// Filtering combines with paging.
	m := e.obj(200, "GET", "/users?username=jdoe2&offset=0&limit=1", "")
	if users := m["users"].([]any); len(users) != 1 || idOf(t, users[0].(map[string]any), "id") != jdoe2 {
		t.Errorf("jdoe2: %v", m)
	}
	if m := e.obj(200, "GET", "/users?username=jdoe2&offset=1", ""); len(m["users"].([]any)) != 0 || m["total"] != float64(1) {
		t.Errorf("jdoe2 past the end: %v", m)
	}
}

// PUT replaces the user: every writable field the body omits returns to
// its default, memberships included; username and password stay.
func TestPutIsFullReplace(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	g1, g2 := e.group("One", ""), e.group("Two", "")
	u := e.create(`{"username":"full","display_name":"Full User","password":"first password","account_type":"local",` +
		`"email_address":"full@example.com","enabled":false,"public_key":"ssh-rsa AAAA","locale":"fr-fr",` +
		`"group_memberships":[` + itoa(g1) + `,` + itoa(g2) + `]}`)
	id := idOf(t, u, "id")
	created := u["created_at"]

	resp := e.do("PUT", "/users/"+itoa(id), `{"email_address":"new@example.com"}`)
	if resp.Status != 200 {
		t.Fatalf("PUT: %d %s", resp.Status, resp.Body)
	}
	etag(t, "PUT", resp, 2)
	want := `{"id":` + itoa(id) + `,"username":"full","display_name":"full","email_address":"new@example.com","enabled":true,` +
		`"account_type":"local","group_memberships":[],"public_key":"","last_login":null,"created_at":` + marshal(created) + `,"locale":"en-us"}`
	sameJSON(t, "after PUT", resp.Body, want)
	sameJSON(t, "GET after PUT", e.do("GET", "/users/"+itoa(id), "").Body, want)
	if !e.passwordIs(id, "first password") {
		t.Error("an omitted password changed")
	}
	if page, _ := e.Service().UserGroups(context.Background(), id, directory.Query{Limit: 10}); page.Total != 0 {
		t.Errorf("memberships left: %v", page.Items)
	}

	// {} resets everything that has a default.
	e.obj(200, "PUT", "/users/"+itoa(id), `{"display_name":"X","email_address":"x@example.com","enabled":false,"locale":"de-de","public_key":"k"}`)
	resp = e.do("PUT", "/users/"+itoa(id), `{}`)
	etag(t, "PUT {}", resp, 4)
	sameJSON(t, "after PUT {}", resp.Body, strings.Replace(want, `"new@example.com"`, `""`, 1))

	// A new username, a new password, and the display name that follows.
	m := e.obj(200, "PUT", "/users/"+itoa(id), `{"username":"renamed","password":"second password","group_memberships":[`+itoa(g2)+`,`+itoa(g1)+`]}`)
	if m["username"] != "renamed" || m["display_name"] != "renamed" || marshal(m["group_memberships"]) != `[`+itoa(g1)+`,`+itoa(g2)+`]` {
		t.Errorf("renamed: %v", m)
	}
	if !e.passwordIs(id, "second password") {
		t.Error("the password did not change")
	}
	// What GET returns, PUT takes back unchanged (the read-only fields too).
	got := e.do("GET", "/users/"+itoa(id), "")
	back := e.do("PUT", "/users/"+itoa(id), string(got.Body))
	if back.Status != 200 {
		t.Fatalf("PUT back: %d %s", back.Status, back.Body)
	}
	sameJSON(t, "PUT back", back.Body, string(got.Body))
}

func TestPutReadOnlyFields(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	u := e.local("ro")
	id := idOf(t, u, "id")
	path := "/users/" + itoa(id)
	created := marshal(u["created_at"])
	for _, tc := range []struct {
		name, body string
		status     int
		want       string
	}{
		{"all equal", `{"id":` + itoa(id) + `,"created_at":` + created + `,"last_login":null,"account_type":"local"}`, 200, ""},
		{"created_at with Z", `{"created_at":` + strings.Replace(created, "+00:00", "Z", 1) + `}`, 200, ""},
		// Every sign-in changes last_login: a stale copy is no error.
		{"other last_login", `{"last_login":"2020-01-01T00:00:00Z"}`, 200, ""},
		{"other id", `{"id":` + itoa(id+1) + `}`, 422, invalid(map[string][]string{"id": {"is read-only and must be the id in the URL"}})},
		{"id as string", `{"id":"` + itoa(id) + `"}`, 422, invalid(map[string][]string{"id": {"is read-only and must be the id in the URL"}})},
		{"other created_at", `{"created_at":"2020-01-01T00:00:00Z"}`, 422, invalid(map[string][]string{"created_at": {"is read-only and must be the user's created_at"}})},
		{"null created_at", `{"created_at":null}`, 422, invalid(map[string][]string{"created_at": {"is read-only and must be the user's created_at"}})},
		{"bad last_login", `{"last_login":"yesterday"}`, 422, invalid(map[string][]string{"last_login": {"must be null or an RFC 3339 date-time in UTC"}})},
		{"other account_type", `{"account_type":"ldap"}`, 422, invalid(map[string][]string{"account_type": {"is read-only after creation: this user's is local"}})},
		{"account_type case", `{"account_type":"LOCAL"}`, 200, ""},
	} {
		resp := e.do("PUT", path, tc.body)
		if tc.want == "" {
			if resp.Status != tc.status {
				t.Errorf("%s: %d %s", tc.name, resp.Status, resp.Body)
			}
			continue
		}
		expect(t, tc.name, resp, tc.status, tc.want)
	}
}

// Every user response carries its version's ETag, and If-Match makes PUT
// and DELETE conditional on it.
func TestIfMatch(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	id := idOf(t, e.local("etag"), "id")
	path := "/users/" + itoa(id)
	stale := message("The user has changed since the ETag in If-Match was read (or If-Match names no ETag of this API): " +
		"GET the user again, apply the change to what it returns, and send it with the new ETag.")

	etag(t, "GET", e.do("GET", path, ""), 1)
	resp := e.do("PUT", path, `{"display_name":"v2"}`, "If-Match", `"1"`)
	expectStatus(t, "fresh If-Match", resp, 200)
	etag(t, "fresh If-Match", resp, 2)
	expect(t, "stale If-Match", e.do("PUT", path, `{"display_name":"lost"}`, "If-Match", `"1"`), 412, stale)
	for _, bad := range []string{`2`, `"abc"`, `"0"`, `"2", "3"`, `W/2`, `"99999999999999999999"`} {
		expect(t, "malformed If-Match "+bad, e.do("PUT", path, `{"display_name":"lost"}`, "If-Match", bad), 412, stale)
	}
	if u := e.stored(id); u.DisplayName != "v2" || u.Version != 2 {
		t.Errorf("after refused PUTs: %q version %d", u.DisplayName, u.Version)
	}
	resp = e.do("PUT", path, `{"display_name":"weak"}`, "If-Match", `W/"2"`)
	expectStatus(t, "weak If-Match", resp, 200)
	resp = e.do("PUT", path, `{"display_name":"star"}`, "If-Match", `*`)
	expectStatus(t, "If-Match *", resp, 200)
	etag(t, "If-Match *", resp, 4)
	resp = e.do("PUT", path, `{"display_name":"none"}`)
	expectStatus(t, "no If-Match", resp, 200)
	etag(t, "no If-Match", resp, 5)
	expect(t, "If-Match * on a missing user", e.do("PUT", "/users/999", `{}`, "If-Match", "*"), 404, message("User not found."))

	// DELETE honours If-Match as PUT does.
	expect(t, "stale DELETE", e.do("DELETE", path, "", "If-Match", `"4"`), 412, stale)
	expect(t, "malformed DELETE", e.do("DELETE", path, "", "If-Match", `five`), 412, stale)
	expect(t, "fresh DELETE", e.do("DELETE", path, "", "If-Match", `"5"`), 204, "")
	expect(t, "DELETE again", e.do("DELETE", path, "", "If-Match", `"5"`), 404, message("User not found."))
	id2 := idOf(t, e.local("star"), "id")
	expect(t, "DELETE If-Match *", e.do("DELETE", "/users/"+itoa(id2), "", "If-Match", "*"), 204, "")
}

// Two administrators read the same user and each change a different
// field: the second write is refused instead of undoing the first, and
// after reading again both changes are kept.
func TestConcurrentAdmins(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	g := e.group("Ops", "")
	id := idOf(t, e.create(`{"username":"shared","password":"correct horse","account_type":"local","group_memberships":[`+itoa(g)+`]}`), "id")
	path := "/users/" + itoa(id)

	alice := e.do("GET", path, "")
	bob := e.do("GET", path, "")
	aliceUser, bobUser := alice.Object(t), bob.Object(t)
	aliceUser["email_address"] = "shared@example.com"
	bobUser["enabled"] = false

	first := e.do("PUT", path, marshal(aliceUser), "If-Match", alice.Header.Get("ETag"))
	expectStatus(t, "alice's PUT", first, 200)
	second := e.do("PUT", path, marshal(bobUser), "If-Match", bob.Header.Get("ETag"))
	if second.Status != 412 {
		t.Fatalf("bob's stale PUT: %d %s", second.Status, second.Body)
	}
	if u := e.stored(id); u.Email != "shared@example.com" || !u.Enabled {
		t.Fatalf("alice's change was lost or bob's applied: %+v", u)
	}
	// Bob reads again and reapplies his change.
	again := e.do("GET", path, "")
	bobUser = again.Object(t)
	bobUser["enabled"] = false
	expectStatus(t, "bob's second PUT", e.do("PUT", path, marshal(bobUser), "If-Match", again.Header.Get("ETag")), 200)
	final := e.obj(200, "GET", path, "")
	if final["email_address"] != "shared@example.com" || final["enabled"] != false || marshal(final["group_memberships"]) != "["+itoa(g)+"]" {
		t.Errorf("final user: %v", final)
	}
}

// A membership added through the group endpoint changes the user's ETag,
// so a PUT read before it cannot silently undo it.
func TestIfMatchCoversMemberships(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	g := e.group("Ops", "")
	id := idOf(t, e.local("member"), "id")
	path := "/users/" + itoa(id)
	read := e.do("GET", path, "")
	expectStatus(t, "add member", e.do("POST", "/groups/"+itoa(g)+"/members", `{"user_id":`+itoa(id)+`}`), 200)
	stale := e.do("PUT", path, `{"display_name":"x"}`, "If-Match", read.Header.Get("ETag"))
	if stale.Status != 412 {
		t.Fatalf("PUT with an ETag read before the membership: %d %s", stale.Status, stale.Body)
	}
	if u := e.obj(200, "GET", path, ""); marshal(u["group_memberships"]) != "["+itoa(g)+"]" {
		t.Errorf("membership lost: %v", u)
	}
}

func TestDeleteUser(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	g := e.group("Ops", "")
	id := idOf(t, e.create(`{"username":"gone","password":"correct horse","account_type":"local","group_memberships":[`+itoa(g)+`]}`), "id")
	expect(t, "DELETE", e.do("DELETE", "/users/"+itoa(id), ""), 204, "")
	expect(t, "GET deleted", e.do("GET", "/users/"+itoa(id), ""), 404, message("User not found."))
	expect(t, "DELETE deleted", e.do("DELETE", "/users/"+itoa(id), ""), 404, message("User not found."))
	if m := e.obj(200, "GET", "/users", ""); m["total"] != float64(0) {
		t.Errorf("users left: %v", m)
	}

	// Administrators are managed from the command line only.
	admin, err := e.Service().CreateUser(cli, directory.NewUser{Admin: true, UserChange: directory.UserChange{Username: directory.To("root")}})
	if err != nil {
		t.Fatal(err)
	}
	path := "/users/" + itoa(admin.ID)
	expect(t, "DELETE admin", e.do("DELETE", path, ""), 403, message("This API cannot update administrators."))
	expect(t, "PUT admin", e.do("PUT", path, `{"display_name":"x"}`), 403, message("This API cannot update administrators."))
	expectStatus(t, "GET admin", e.do("GET", path, ""), 200)

	// A user who alone owns a secret cannot go yet.
	owner := idOf(t, e.local("owner"), "id")
	if _, err := e.Service().CreateSecret(cli, "vault", []int64{owner}); err != nil {
		t.Fatal(err)
	}
	expect(t, "DELETE sole owner", e.do("DELETE", "/users/"+itoa(owner), ""), 409,
		message("The user is the only owner of 1 secret; give each another owner before deleting the user."))
}

// Racing writers: of several PUTs with the same If-Match exactly one
// wins; unconditional ones all succeed, one after another.
func TestRacingPuts(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	id := idOf(t, e.local("race"), "id")
	path := "/users/" + itoa(id)
	const n = 8
	statuses := make([]int, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			statuses[i] = e.do("PUT", path, `{"display_name":"writer `+itoa(int64(i))+`"}`, "If-Match", `"1"`).Status
		})
	}
	wg.Wait()
	won := 0
	for _, s := range statuses {
		switch s {
		case 200:
			won++
		case 412:
		default:
			t.Errorf("conditional PUT: %d", s)
		}
	}
	if won != 1 || e.stored(id).Version != 2 {
		t.Errorf("%d conditional PUTs won (statuses %v), version %d", won, statuses, e.stored(id).Version)
	}

	for i := range n {
		wg.Go(func() {
			// No display_name: it is derived from the stored username.
			statuses[i] = e.do("PUT", path, `{"email_address":"w`+itoa(int64(i))+`@example.com"}`).Status
		})
	}
	wg.Wait()
	for _, s := range statuses {
		if s != 200 {
			t.Errorf("unconditional PUTs: %v", statuses)
			break
		}
	}
	if u := e.stored(id); u.Version != 2+n || u.DisplayName != "race" {
		t.Errorf("after unconditional PUTs: version %d display name %q", u.Version, u.DisplayName)
	}
}
