package scim_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/gatehouse/gatehouse/internal/directory"
	"github.com/gatehouse/gatehouse/internal/testserver"
)

const (
	base = "/scim/v2"

	userURN       = "urn:ietf:params:scim:schemas:core:2.0:User"
	enterpriseURN = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
	groupURN      = "urn:ietf:params:scim:schemas:core:2.0:Group"
	listURN       = "urn:ietf:params:scim:api:messages:2.0:ListResponse"
	errorURN      = "urn:ietf:params:scim:api:messages:2.0:Error"
	patchURN      = "urn:ietf:params:scim:api:messages:2.0:PatchOp"
	searchURN     = "urn:ietf:params:scim:api:messages:2.0:SearchRequest"
	bulkURN       = "urn:ietf:params:scim:api:messages:2.0:BulkRequest"
	bulkRespURN   = "urn:ietf:params:scim:api:messages:2.0:BulkResponse"
)

// env is a test server and a bearer token of its bootstrap account, which
// has the SCIM permission.
type env struct {
	*testserver.Server
	t   *testing.T
	tok string
}

func newEnv(t *testing.T, opts ...testserver.Option) *env {
	t.Helper()
	s := testserver.New(t, opts...)
	return &env{Server: s, t: t, tok: s.AdminToken(t)}
}

// do sends a SCIM request as the bootstrap account, with the SCIM media
// type when there is a body; header holds more name, value pairs.
func (e *env) do(method, path, body string, header ...string) *testserver.Response {
	e.t.Helper()
	return e.as(e.tok, method, path, body, header...)
}

// as sends a SCIM request with the given bearer token ("" for none).
func (e *env) as(tok, method, path, body string, header ...string) *testserver.Response {
	e.t.Helper()
	if body != "" {
		header = append([]string{"Content-Type", "application/scim+json"}, header...)
	}
	return e.Do(e.t, method, base+path, tok, body, header...)
}

// want fails the test unless resp has status, and returns resp.
func want(t *testing.T, resp *testserver.Response, status int) *testserver.Response {
	t.Helper()
	if resp.Status != status {
		t.Fatalf("status %d %s, want %d", resp.Status, resp.Body, status)
	}
	return resp
}

// obj sends a request, checks its status and SCIM media type, and returns
// the body as an object.
func (e *env) obj(status int, method, path, body string, header ...string) map[string]any {
	e.t.Helper()
	resp := e.do(method, path, body, header...)
	if resp.Status != status {
		e.t.Fatalf("%s %s: %d %s, want %d", method, path, resp.Status, resp.Body, status)
	}
	if ct := resp.Header.Get("Content-Type"); ct != "application/scim+json" {
		e.t.Errorf("%s %s: Content-Type %q", method, path, ct)
	}
	return resp.Object(e.t)
}

// scimError checks a SCIM Error answer: status, its string twin in the
// body, the scimType ("" for none) and that detail says something.
func scimError(t *testing.T, what string, resp *testserver.Response, status int, scimType string) map[string]any {
	t.Helper()
	if resp.Status != status {
		t.Errorf("%s: status %d %s, want %d %s", what, resp.Status, resp.Body, status, scimType)
		return nil
	}
	if ct := resp.Header.Get("Content-Type"); ct != "application/scim+json" {
		t.Errorf("%s: Content-Type %q", what, ct)
	}
	var m map[string]any
	if err := json.Unmarshal(resp.Body, &m); err != nil {
		t.Errorf("%s: body is not a JSON object: %q", what, resp.Body)
		return nil
	}
	if !reflect.DeepEqual(m["schemas"], []any{errorURN}) || m["status"] != strconv.Itoa(status) {
		t.Errorf("%s: not a SCIM Error with status %q: %s", what, strconv.Itoa(status), resp.Body)
	}
	if got, _ := m["scimType"].(string); got != scimType {
		t.Errorf("%s: scimType %q, want %q (%s)", what, got, scimType, resp.Body)
	}
	if d, _ := m["detail"].(string); d == "" {
		t.Errorf("%s: no detail: %s", what, resp.Body)
	}
	return m
}

// id returns a resource's id, checking that it is a decimal string.
func id(t *testing.T, m map[string]any) string {
	t.Helper()
	s, ok := m["id"].(string)
	if !ok || s == "" || strings.TrimLeft(s, "0123456789") != "" {
		t.Fatalf("id %#v is not a decimal string", m["id"])
	}
	return s
}

var weakTag = regexp.MustCompile(`^W/"\d+"$`)

// checkResource checks what every resource answer has: schemas, a string
// id, meta with an absolute location and a version equal to the ETag.
func (e *env) checkResource(what string, resp *testserver.Response, resourceType string) map[string]any {
	e.t.Helper()
	m := resp.Object(e.t)
	id(e.t, m)
	if s, _ := m["schemas"].([]any); len(s) == 0 {
		e.t.Errorf("%s: no schemas: %s", what, resp.Body)
	}
	meta, _ := m["meta"].(map[string]any)
	if meta == nil {
		e.t.Fatalf("%s: no meta: %s", what, resp.Body)
	}
	if meta["resourceType"] != resourceType {
		e.t.Errorf("%s: meta.resourceType %v", what, meta["resourceType"])
	}
	wantLoc := e.URL + base + "/" + resourceType + "s/" + m["id"].(string)
	if meta["location"] != wantLoc {
		e.t.Errorf("%s: meta.location %v, want %s", what, meta["location"], wantLoc)
	}
	v, _ := meta["version"].(string)
	if !weakTag.MatchString(v) || resp.Header.Get("ETag") != v {
		e.t.Errorf("%s: meta.version %q, ETag %q", what, v, resp.Header.Get("ETag"))
	}
	for _, k := range []string{"created", "lastModified"} {
		if s, _ := meta[k].(string); !rfc3339.MatchString(s) {
			e.t.Errorf("%s: meta.%s %q", what, k, s)
		}
	}
	return m
}

var rfc3339 = regexp.MustCompile(`^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$`)

// list checks a ListResponse: schemas, integer totals, and returns it.
func list(t *testing.T, resp *testserver.Response, total, startIndex, items int) []map[string]any {
	t.Helper()
	if resp.Status != http.StatusOK {
		t.Fatalf("list: %d %s", resp.Status, resp.Body)
	}
	// Integers, not strings or floats with a fraction, in the raw body.
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(resp.Body, &raw); err != nil {
		t.Fatalf("list body: %q", resp.Body)
	}
	for k, n := range map[string]int{"totalResults": total, "startIndex": startIndex, "itemsPerPage": items} {
		if string(raw[k]) != strconv.Itoa(n) {
			t.Errorf("%s = %s, want %d in %s", k, raw[k], n, resp.Body)
		}
	}
	m := resp.Object(t)
	if !reflect.DeepEqual(m["schemas"], []any{listURN}) {
		t.Errorf("list schemas %v", m["schemas"])
	}
	res, ok := m["Resources"].([]any)
	if !ok {
		t.Fatalf("list without a Resources array: %s", resp.Body)
	}
	out := make([]map[string]any, len(res))
	for i, r := range res {
		out[i] = r.(map[string]any)
	}
	return out
}

// q builds a query string.
func q(kv ...string) string {
	v := url.Values{}
	for i := 0; i+1 < len(kv); i += 2 {
		v.Set(kv[i], kv[i+1])
	}
	return "?" + v.Encode()
}

// patchBody wraps operations in a PatchOp message.
func patchBody(ops ...string) string {
	return `{"schemas":["` + patchURN + `"],"Operations":[` + strings.Join(ops, ",") + `]}`
}

// cli is a context acting as the command line, for fixtures.
var cli = directory.WithActor(context.Background(), directory.Actor{Kind: directory.ActorCLI})

// stored reads a user straight from the directory.
func (e *env) stored(id string) directory.User {
	e.t.Helper()
	n, _ := strconv.ParseInt(id, 10, 64)
	u, err := e.Service().User(cli, n)
	if err != nil {
		e.t.Fatalf("user %s: %v", id, err)
	}
	return u
}

// createUser provisions a user over SCIM and returns it.
func (e *env) createUser(userName string) map[string]any {
	e.t.Helper()
	email := userName
	if !strings.Contains(email, "@") {
		email += "@example.com"
	}
	return e.obj(http.StatusCreated, "POST", "/Users", `{"schemas":["`+userURN+`"],"userName":"`+userName+
		`","name":{"givenName":"G","familyName":"F"},"emails":[{"value":"`+email+`","type":"work","primary":true}],"active":true}`)
}

// createGroup provisions a group over SCIM with the given member ids.
func (e *env) createGroup(name string, members ...string) map[string]any {
	e.t.Helper()
	ms := make([]string, len(members))
	for i, m := range members {
		ms[i] = `{"value":"` + m + `"}`
	}
	return e.obj(http.StatusCreated, "POST", "/Groups", `{"schemas":["`+groupURN+`"],"displayName":"`+name+
		`","members":[`+strings.Join(ms, ",")+`]}`)
}

// memberValues returns the values of a group's members, sorted as given.
func memberValues(g map[string]any) []string {
	var out []string
	ms, _ := g["members"].([]any)
	for _, m := range ms {
		out = append(out, m.(map[string]any)["value"].(string))
	}
	return out
}

// patchGroup sends a PATCH to a group, which answers 204 with the new
// ETag, and returns the group as a GET then shows it, with that ETag.
func (e *env) patchGroup(gid string, ops ...string) map[string]any {
	e.t.Helper()
	resp := e.do("PATCH", "/Groups/"+gid, patchBody(ops...))
	if resp.Status != http.StatusNoContent || len(resp.Body) != 0 {
		e.t.Fatalf("PATCH /Groups/%s: %d %s, want 204", gid, resp.Status, resp.Body)
	}
	tag := resp.Header.Get("ETag")
	get := want(e.t, e.do("GET", "/Groups/"+gid, ""), http.StatusOK)
	if get.Header.Get("ETag") != tag {
		e.t.Errorf("PATCH answered ETag %q; GET %q", tag, get.Header.Get("ETag"))
	}
	return e.checkResource("group after PATCH", get, "Group")
}
