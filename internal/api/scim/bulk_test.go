package scim_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"reflect"
	"strings"
	"testing"
)

func bulkBody(failOnErrors int, ops ...string) string {
	f := ""
	if failOnErrors > 0 {
		f = fmt.Sprintf(`"failOnErrors":%d,`, failOnErrors)
	}
	return `{"schemas":["` + bulkURN + `"],` + f + `"Operations":[` + strings.Join(ops, ",") + `]}`
}

// bulkResults posts a bulk request and returns its operations' results.
func (e *env) bulkResults(body string) []map[string]any {
	e.t.Helper()
	m := e.obj(http.StatusOK, "POST", "/Bulk", body)
	if !reflect.DeepEqual(m["schemas"], []any{bulkRespURN}) {
		e.t.Errorf("bulk response schemas %v", m["schemas"])
	}
	ops, _ := m["Operations"].([]any)
	out := make([]map[string]any, len(ops))
	for i, o := range ops {
		out[i] = o.(map[string]any)
	}
	return out
}

func statuses(results []map[string]any) []string {
	out := make([]string, len(results))
	for i, r := range results {
		out[i], _ = r["status"].(string)
	}
	return out
}

// TestBulk: RFC 7644 §3.7's example in spirit: users and a group made in
// one request, the group naming the users by bulkId before and after they
// are created, then changed and deleted by bulkId.
func TestBulk(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	res := e.bulkResults(bulkBody(0,
		// The group refers to a user created by a later operation.
		`{"method":"POST","path":"/Groups","bulkId":"ytrewq","data":{"schemas":["`+groupURN+`"],"displayName":"Tour Guides",
			"members":[{"type":"User","value":"bulkId:qwerty"},{"value":"bulkId:asdfgh"}]}}`,
		`{"method":"POST","path":"/Users","bulkId":"qwerty","data":{"schemas":["`+userURN+`"],"userName":"Alice"}}`,
		`{"method":"POST","path":"/Users","bulkId":"asdfgh","data":{"schemas":["`+userURN+`"],"userName":"Bob"}}`,
		`{"method":"PATCH","path":"/Users/bulkId:qwerty","data":`+patchBody(`{"op":"replace","path":"title","value":"Guide"}`)+`}`,
		`{"method":"PUT","path":"/Users/bulkId:asdfgh","data":{"schemas":["`+userURN+`"],"userName":"Robert"}}`,
		`{"method":"DELETE","path":"/Users/bulkId:asdfgh"}`))
	if got := statuses(res); !reflect.DeepEqual(got, []string{"201", "201", "201", "200", "200", "204"}) {
		t.Fatalf("statuses %v: %v", got, res)
	}
	// The group waited for its members: it ran after them.
	if res[0]["bulkId"] != "qwerty" || res[2]["bulkId"] != "ytrewq" {
		t.Errorf("order %v", res)
	}
	for _, r := range res {
		loc, _ := r["location"].(string)
		if !strings.HasPrefix(loc, e.URL+base+"/") {
			t.Errorf("location %q", loc)
		}
		if r["method"] != "DELETE" && !weakTag.MatchString(fmt.Sprint(r["version"])) {
			t.Errorf("version %v", r["version"])
		}
		if _, ok := r["response"]; ok {
			t.Errorf("a success with a response %v", r)
		}
	}
	alice := e.obj(http.StatusOK, "GET", strings.TrimPrefix(res[0]["location"].(string), e.URL+base), "")
	if alice["userName"] != "Alice" || alice["title"] != "Guide" {
		t.Errorf("alice %v", alice)
	}
	group := e.obj(http.StatusOK, "GET", strings.TrimPrefix(res[2]["location"].(string), e.URL+base), "")
	// Bob was a member until deleted.
	if got := memberValues(group); !reflect.DeepEqual(got, []string{alice["id"].(string)}) {
		t.Errorf("members %v", got)
	}
	want(t, e.do("GET", strings.TrimPrefix(res[1]["location"].(string), e.URL+base), ""), http.StatusNotFound)
}

// TestBulkErrors: failures are reported per operation; failOnErrors stops
// the request; references to failed or unknown operations and circular
// references fail with 409; limits are enforced.
func TestBulkErrors(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.createUser("taken")
	res := e.bulkResults(bulkBody(0,
		`{"method":"POST","path":"/Users","bulkId":"a","data":{"schemas":["`+userURN+`"],"userName":"taken"}}`,
		`{"method":"PATCH","path":"/Users/bulkId:a","data":`+patchBody(`{"op":"replace","path":"title","value":"x"}`)+`}`,
		`{"method":"DELETE","path":"/Users/bulkId:nosuch"}`,
		`{"method":"POST","path":"/Groups","bulkId":"g1","data":{"schemas":["`+groupURN+`"],"displayName":"One","members":[{"value":"bulkId:g2"}]}}`,
		`{"method":"POST","path":"/Groups","bulkId":"g2","data":{"schemas":["`+groupURN+`"],"displayName":"Two","members":[{"value":"bulkId:g1"}]}}`,
		`{"method":"GET","path":"/Users"}`,
		`{"method":"POST","path":"/Users","data":{"schemas":["`+userURN+`"],"userName":"nobulkid"}}`,
		`{"method":"POST","path":"/Devices","bulkId":"d","data":{}}`,
		`{"method":"DELETE","path":"/Users/999999"}`,
		`{"method":"PUT","path":"/Users/1","version":"W/\"999\"","data":{"schemas":["`+userURN+`"],"userName":"taken"}}`,
		`{"method":"POST","path":"/Users","bulkId":"ok","data":{"schemas":["`+userURN+`"],"userName":"fine"}}`,
		`{"method":"PATCH","path":"/Groups/bulkId:ok","data":`+patchBody()+`}`))
	got := statuses(res)
	wantStatuses := []string{"409", "409", "409", "409", "409", "400", "400", "400", "404", "412", "201", "400"}
	if !reflect.DeepEqual(got, wantStatuses) {
		t.Errorf("statuses %v, want %v\n%v", got, wantStatuses, res)
	}
	for _, r := range res {
		if r["status"] != "201" {
			resp, _ := r["response"].(map[string]any)
			if resp == nil || !reflect.DeepEqual(resp["schemas"], []any{errorURN}) || resp["status"] != r["status"] {
				t.Errorf("failure without a SCIM Error: %v", r)
			}
		}
	}
	if r := res[0]["response"].(map[string]any); r["scimType"] != "uniqueness" {
		t.Errorf("duplicate userName in bulk: %v", r)
	}

	// failOnErrors: stop after two failures.
	res = e.bulkResults(bulkBody(2,
		`{"method":"DELETE","path":"/Users/999998"}`,
		`{"method":"POST","path":"/Users","bulkId":"x","data":{"schemas":["`+userURN+`"],"userName":"made"}}`,
		`{"method":"DELETE","path":"/Users/999997"}`,
		`{"method":"POST","path":"/Users","bulkId":"y","data":{"schemas":["`+userURN+`"],"userName":"never"}}`))
	if got := statuses(res); !reflect.DeepEqual(got, []string{"404", "201", "404"}) {
		t.Errorf("failOnErrors: %v", got)
	}
	list(t, e.do("GET", "/Users"+q("filter", `userName eq "never"`), ""), 0, 1, 0)

	// Limits and the message itself.
	var ops []string
	for i := range 101 {
		ops = append(ops, fmt.Sprintf(`{"method":"DELETE","path":"/Users/%d"}`, 900000+i))
	}
	scimError(t, "101 operations", e.do("POST", "/Bulk", bulkBody(0, ops...)), http.StatusRequestEntityTooLarge, "")
	big := bulkBody(0, `{"method":"POST","path":"/Users","bulkId":"b","data":{"schemas":["`+userURN+`"],"userName":"b","title":"`+
		strings.Repeat("t", 1<<20)+`"}}`)
	scimError(t, "over maxPayloadSize", e.do("POST", "/Bulk", big), http.StatusRequestEntityTooLarge, "")
	scimError(t, "wrong schemas", e.do("POST", "/Bulk", `{"schemas":["`+searchURN+`"],"Operations":[]}`), http.StatusBadRequest, "invalidSyntax")
	scimError(t, "no Operations", e.do("POST", "/Bulk", `{"schemas":["`+bulkURN+`"]}`), http.StatusBadRequest, "invalidSyntax")
	scimError(t, "failOnErrors 0", e.do("POST", "/Bulk", `{"schemas":["`+bulkURN+`"],"failOnErrors":0,"Operations":[]}`),
		http.StatusBadRequest, "invalidValue")
	scimError(t, "repeated bulkId", e.do("POST", "/Bulk", bulkBody(0,
		`{"method":"POST","path":"/Users","bulkId":"same","data":{"schemas":["`+userURN+`"],"userName":"s1"}}`,
		`{"method":"POST","path":"/Users","bulkId":"same","data":{"schemas":["`+userURN+`"],"userName":"s2"}}`)),
		http.StatusBadRequest, "invalidValue")
	// Exactly the limits pass.
	ops = ops[:100]
	res = e.bulkResults(bulkBody(0, ops...))
	if len(res) != 100 {
		t.Errorf("100 operations: %d results", len(res))
	}
	raw, _ := json.Marshal(res[0])
	if !strings.Contains(string(raw), `"status":"404"`) {
		t.Errorf("result %s", raw)
	}
}
