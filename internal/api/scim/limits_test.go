package scim_test

import (
	"strings"
	"testing"
	"time"

	"github.com/gatehouse/gatehouse/internal/testserver"
)

// TestEveryInvalidAttributeAtOnce: one 400 invalidValue names every
// invalid attribute of a body, whether it is missing, of the wrong type or
// breaks a rule.
func TestEveryInvalidAttributeAtOnce(t *testing.T) {
	e := newEnv(t)
	u := id(t, e.createUser("someone"))
	g := id(t, e.createGroup("group"))
	user := func(members string) string { return `{"schemas":["` + userURN + `"]` + members + `}` }
	group := func(members string) string { return `{"schemas":["` + groupURN + `"]` + members + `}` }
	for _, c := range []struct {
		name, method, path, body string
		want                     []string // each a part of the detail
	}{
		{"user, empty", "POST", "/Users", user(``), []string{"The userName attribute is required."}},
		{"user, types and rules", "POST", "/Users",
			user(`,"userName":"","active":"yes","displayName":5,"emails":[{"value":"not an address"}],"locale":"english please"`),
			[]string{"userName attribute is required", "active", "displayName", "emails must be a valid email address",
				"locale must be a locale code"}},
		{"user replace, types and rules", "PUT", "/Users/" + u,
			user(`,"userName":5,"name":{"givenName":7},"phoneNumbers":[{"value":"1","primary":true},{"value":"2","primary":true}]`),
			[]string{"userName", "name.givenName", "At most one of the phoneNumbers may be primary."}},
		{"group, empty", "POST", "/Groups", group(``), []string{"The displayName attribute is required."}},
		{"group, types and rules", "POST", "/Groups",
			group(`,"displayName":"` + strings.Repeat("n", 300) + `","externalId":5,"members":[{"value":"nobody"}]`),
			[]string{"displayName may not be greater than", "externalId", `The members value "nobody" names no user.`}},
		{"group replace, types", "PUT", "/Groups/" + g, group(`,"displayName":7,"members":"x"`),
			[]string{"displayName", "members"}},
	} {
		m := scimError(t, c.name, e.do(c.method, c.path, c.body), 400, "invalidValue")
		detail, _ := m["detail"].(string)
		for _, part := range c.want {
			if !strings.Contains(detail, part) {
				t.Errorf("%s: detail %q does not name %q", c.name, detail, part)
			}
		}
	}
}

// TestBodyLimit: a body over the server's limit gets 413 as a SCIM Error,
// /Bulk's too, and /ServiceProviderConfig advertises the limit as the
// bulk maxPayloadSize.
func TestBodyLimit(t *testing.T) {
	const limit = 2048
	e := newEnv(t, testserver.WithMaxBody(limit))
	big := `{"schemas":["` + userURN + `"],"userName":"big","title":"` + strings.Repeat("t", limit) + `"}`
	scimError(t, "user over the limit", e.do("POST", "/Users", big), 413, "")
	bulk := `{"schemas":["` + bulkURN + `"],"Operations":[{"method":"POST","path":"/Users","bulkId":"1","data":` + big + `}]}`
	m := scimError(t, "bulk over the limit", e.do("POST", "/Bulk", bulk), 413, "")
	if d, _ := m["detail"].(string); !strings.Contains(d, "maxPayloadSize (2048 bytes)") {
		t.Errorf("bulk over the limit: detail %q", d)
	}
	spc := e.obj(200, "GET", "/ServiceProviderConfig", "")
	if got := spc["bulk"].(map[string]any)["maxPayloadSize"]; got != float64(limit) {
		t.Errorf("maxPayloadSize %v, want %d", got, limit)
	}
}

// TestFilterLength: a filter longer than MaxFilterBytes is an
// invalidFilter, in a query string and in a search body alike.
func TestFilterLength(t *testing.T) {
	e := newEnv(t)
	long := `userName eq "` + strings.Repeat("a", 32<<10) + `"`
	scimError(t, "long filter", e.do("GET", "/Users"+q("filter", long), ""), 400, "invalidFilter")
	search := `{"schemas":["` + searchURN + `"],"filter":` + strconvQuote(long) + `}`
	scimError(t, "long search filter", e.do("POST", "/Users/.search", search), 400, "invalidFilter")
	deep := strings.Repeat("(", 40) + `userName eq "a"` + strings.Repeat(")", 40)
	scimError(t, "deep filter", e.do("GET", "/Users"+q("filter", deep), ""), 400, "invalidFilter")
}

func strconvQuote(s string) string { return `"` + strings.ReplaceAll(s, `"`, `\"`) + `"` }

// TestClientGoneIsNoError: a client that hangs up while its write waits on
// the store is recorded as 499, not logged as the server's error.
func TestClientGoneIsNoError(t *testing.T) {
	logs := &testserver.Logs{}
	e := newEnv(t, testserver.WithLogs(logs))
	uid := id(t, e.createUser("waiter"))
	n := e.stored(uid).ID
	release := e.LockUser(t, n)
	path := base + "/Users/" + uid
	e.Abandon(t, 300*time.Millisecond, "PUT", path, e.tok, `{"schemas":["`+userURN+`"],"userName":"waiter","title":"late"}`,
		"Content-Type", "application/scim+json")
	testserver.ClientGoneLogged(t, logs, release, "PUT", path)
}
