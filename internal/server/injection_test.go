package server_test

import (
	"context"
	"database/sql"
	"encoding/json"
	"net/http"
	"net/url"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/gatehouse/gatehouse/internal/directory"
	"github.com/gatehouse/gatehouse/internal/testserver"
)

// injectionPayloads are hostile values for every filter and query
// parameter: SQL quoting, comments, UNION and stacked statements, LIKE
// wildcards and escapes, NUL bytes and invalid UTF-8, look-alike letters
// that must not fold onto ASCII names, and very long strings.
var injectionPayloads = []string{
	"'", "''", `"`, `\`, `\'`, `\%`, `\_`, "`",
	"alice'--", "alice' OR '1'='1", "' OR 1=1--", `" OR ""="`, "') OR ('a'='a",
	"x' UNION SELECT id, username FROM users--", "1 UNION ALL SELECT NULL,NULL--",
	"1; DROP TABLE users;--", "'; DELETE FROM users; --", "alice'; UPDATE users SET username='x';--",
	"/* */alice", "alice/*", "--", "#", ";",
	"%", "_", "%%", "a%", "%a%", "_lice", "ali_e", "alic%", "%'%", "[a-z]%", "*", "?", "$1", ":name", "@p1",
	"alice\x00", "\x00", "\x00' OR 1=1--", "\xff\xfe", "al\xc3ice",
	"ａｌｉｃｅ", "аlice", "ALİCE", "alıce", "ALICE", " alice", "alice ", "Alice",
	"carol_x", "carol%x", "dave%y", "dave_y", "o'brien", "o''brien", `o\'brien`,
	"null", "NULL", "true", "0", "-1", "9223372036854775808", "1e9", "0x10",
	strings.Repeat("a", 10000), strings.Repeat("'", 300), strings.Repeat("%", 300),
}

// fixture names: quoting and wildcard characters that a literal match must
// treat as themselves.
var (
	injUsers  = []string{"alice", "bob", "carol_x", "dave%y", "o'brien"}
	injGroups = []string{"admins", "ops_team", "50%"}
	injTeams  = []string{"red", "blue_team"}
)

// foldEq is the directory's match: equal ignoring ASCII case only.
func foldEq(a, b string) bool {
	return len(a) == len(b) && asciiLower(a) == asciiLower(b)
}

func asciiLower(s string) string {
	b := []byte(s)
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}

// literal counts the names a literal comparison selects.
func literal(names []string, match func(name string) bool) int {
	n := 0
	for _, name := range names {
		if match(name) {
			n++
		}
	}
	return n
}

// Every payload through every filter and query parameter of every face:
// no 5xx, never more rows than a literal match selects, and the database
// intact afterwards.
func TestInjectionThroughEveryParameter(t *testing.T) {
	s := testserver.New(t)
	tok := s.AdminToken(t)
	users := injectionFixtures(t, s, tok)
	t.Logf("%d users, %d of them named by a payload", len(users), len(users)-len(injUsers))
	emails := make([]string, len(users))
	for i := range users {
		emails[i] = "user" + strconv.Itoa(i) + "@example.com"
	}
	before := storeCounts(t, s)

	get := func(t *testing.T, path string) *testserver.Response {
		t.Helper()
		r := s.Do(t, http.MethodGet, path, tok, "")
		if r.Status >= 500 {
			t.Fatalf("GET %.300s: %d %.300s", path, r.Status, r.Body)
		}
		return r
	}
	atMost := func(t *testing.T, path string, got, want int) {
		t.Helper()
		if got > want {
			t.Errorf("GET %.300s: %d rows, a literal match selects %d", path, got, want)
		}
	}
	praList := func(t *testing.T, path string, want int) {
		t.Helper()
		if r := get(t, path); r.Status == http.StatusOK {
			atMost(t, path, len(r.Array(t)), want)
		}
	}
	scimList := func(t *testing.T, path string, want int) {
		t.Helper()
		if r := get(t, path); r.Status == http.StatusOK {
			atMost(t, path, int(r.Object(t)["totalResults"].(float64)), want)
		}
	}
	// found checks a BeyondInsight lookup by name: one object or 404.
	found := func(t *testing.T, path string, want int) {
		t.Helper()
		if r := get(t, path); r.Status == http.StatusOK {
			atMost(t, path, 1, want)
		}
	}
	scimStr := func(p string) string { b, _ := json.Marshal(p); return string(b) }

	for i, p := range injectionPayloads {
		t.Run(strconv.Itoa(i), func(t *testing.T) {
			q := url.QueryEscape(p)
			eq := func(names []string) int { return literal(names, func(n string) bool { return foldEq(n, p) }) }
			has := func(names []string) int {
				return literal(names, func(n string) bool { return strings.Contains(asciiLower(n), asciiLower(p)) })
			}
			starts := func(names []string) int {
				return literal(names, func(n string) bool { return strings.HasPrefix(asciiLower(n), asciiLower(p)) })
			}

			praList(t, "/api/config/v1/user?username="+q, eq(users))
			praList(t, "/api/config/v1/user?email_address="+q, eq(emails))
			praList(t, "/api/config/v1/user?security_provider_id="+q, len(users))
			praList(t, "/api/config/v1/group-policy?name="+q, eq(injGroups))
			praList(t, "/api/config/v1/team?name="+q, eq(injTeams))
			praList(t, "/api/config/v1/team?code_name="+q, eq(injTeams))
			praList(t, "/api/config/v1/api-account?name="+q, 0)
			praList(t, "/api/config/v1/user?per_page="+q+"&current_page="+q, len(users))

			if r := get(t, "/api/public/v3/users?username="+q); r.Status == http.StatusOK {
				atMost(t, "public v3 username="+p, len(r.Object(t)["users"].([]any)), eq(users))
			}
			get(t, "/api/public/v3/users?offset="+q+"&limit="+q)
			get(t, "/api/public/v3/groups?offset="+q)

			found(t, "/BeyondTrust/api/public/v3/Users?username="+q, eq(users))
			found(t, "/BeyondTrust/api/public/v3/UserGroups?name="+q, eq(injGroups))

			v := scimStr(p)
			for _, c := range []struct {
				filter string
				want   int
			}{
				{"userName eq " + v, eq(users)},
				{"userName co " + v, has(users)},
				{"userName sw " + v, starts(users)},
				{"emails.value co " + v, has(emails)},
				{`userName eq "x" or userName eq ` + v, eq(users)},
				{`userName eq "` + p + `"`, len(users)}, // unescaped: a filter of its own, or refused
				{p + ` eq "alice"`, len(users)},
				{p, len(users)},
			} {
				scimList(t, "/scim/v2/Users?filter="+url.QueryEscape(c.filter), c.want)
			}
			scimList(t, "/scim/v2/Groups?filter="+url.QueryEscape("displayName eq "+v), eq(injGroups))
			scimList(t, "/scim/v2/Groups?filter="+url.QueryEscape("displayName co "+v), has(injGroups))
			scimList(t, "/scim/v2/Users?sortBy="+q+"&sortOrder="+q, len(users))
			scimList(t, "/scim/v2/Users?startIndex="+q+"&count="+q, len(users))
			scimList(t, "/scim/v2/Users?attributes="+q+"&excludedAttributes="+q, len(users))
			search := `{"schemas":["urn:ietf:params:scim:api:messages:2.0:SearchRequest"],"filter":` +
				scimStr("userName eq "+v) + `,"sortBy":` + v + `}`
			if r := s.Do(t, http.MethodPost, "/scim/v2/Users/.search", tok, search, "Content-Type", "application/scim+json"); r.Status >= 500 {
				t.Errorf("POST .search: %d %.300s", r.Status, r.Body)
			} else if r.Status == http.StatusOK {
				atMost(t, ".search userName eq "+p, int(r.Object(t)["totalResults"].(float64)), eq(users))
			}

			id := url.PathEscape(p)
			for _, path := range []string{"/api/config/v1/user/", "/api/config/v1/group-policy/", "/api/public/v3/users/",
				"/scim/v2/Users/", "/scim/v2/Groups/", "/BeyondTrust/api/public/v3/Users/", "/BeyondTrust/api/public/v3/UserGroups/"} {
				get(t, path+id)
			}
		})
	}

	if after := storeCounts(t, s); after != before {
		t.Errorf("counts changed: before %+v, after %+v", before, after)
	}
	for _, name := range users {
		if _, err := s.Service().UserByName(context.Background(), name); err != nil {
			t.Errorf("user %q after the payloads: %v", name, err)
		}
	}
	checkIntegrity(t, s)
}

// injectionFixtures creates the users, groups and teams the literal
// matches count, and returns the users' names: injUsers, then every payload
// the directory takes as a user name, stored so that a query built from a
// stored value (second-order injection) would show.
func injectionFixtures(t *testing.T, s *testserver.Server, tok string) []string {
	t.Helper()
	str := func(v string) string { b, _ := json.Marshal(v); return string(b) }
	post := func(path, body string) int {
		return s.Do(t, http.MethodPost, path, tok, body, "Content-Type", "application/json").Status
	}
	var users []string
	for _, u := range append(slices.Clone(injUsers), injectionPayloads...) {
		status := post("/api/config/v1/user", `{"username":`+str(u)+`,"public_display_name":"x","email_address":"user`+
			strconv.Itoa(len(users))+`@example.com"}`)
		switch {
		case status == http.StatusCreated:
			users = append(users, u)
		case len(users) < len(injUsers) || status >= 500:
			t.Fatalf("create user %q: %d", u, status)
		}
	}
	for _, g := range injGroups {
		if status := post("/api/config/v1/group-policy", `{"name":`+str(g)+`}`); status != http.StatusCreated {
			t.Fatalf("create group %q: %d", g, status)
		}
	}
	for _, tm := range injTeams {
		if status := post("/api/config/v1/team", `{"name":`+str(tm)+`,"code_name":`+str(tm)+`}`); status != http.StatusCreated {
			t.Fatalf("create team %q: %d", tm, status)
		}
	}
	return users
}

type counts struct{ users, groups, teams, accounts int }

func storeCounts(t *testing.T, s *testserver.Server) counts {
	t.Helper()
	ctx, st := context.Background(), s.Store()
	q := directory.Query{Limit: 1}
	u, err := st.Users(ctx, q)
	if err != nil {
		t.Fatal(err)
	}
	g, err := st.Groups(ctx, q)
	if err != nil {
		t.Fatal(err)
	}
	tm, err := st.Teams(ctx, q)
	if err != nil {
		t.Fatal(err)
	}
	a, err := st.APIAccounts(ctx, q)
	if err != nil {
		t.Fatal(err)
	}
	return counts{u.Total, g.Total, tm.Total, a.Total}
}

// checkIntegrity runs SQLite's own consistency check on the server's
// database file (PostgreSQL has none to run; the counts stand for it).
func checkIntegrity(t *testing.T, s *testserver.Server) {
	t.Helper()
	if st := os.Getenv("GATEHOUSE_TEST_STORE"); st != "" && st != "sqlite" {
		return
	}
	db, err := sql.Open("sqlite", "file:"+s.DSN()+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var result string
	if err := db.QueryRow("PRAGMA integrity_check").Scan(&result); err != nil {
		t.Fatal(err)
	}
	if result != "ok" {
		t.Errorf("PRAGMA integrity_check: %s", result)
	}
}
