package scim_test

import (
	"net/http"
	"reflect"
	"strings"
	"testing"
)

// TestDiscovery: /ServiceProviderConfig, /ResourceTypes and /Schemas tell
// the truth about what the face does.
func TestDiscovery(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	spc := e.obj(http.StatusOK, "GET", "/ServiceProviderConfig", "")
	wantAttrs(t, "ServiceProviderConfig", spc, map[string]any{
		"schemas":        []any{"urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig"},
		"patch":          map[string]any{"supported": true},
		"bulk":           map[string]any{"supported": true, "maxOperations": 100.0, "maxPayloadSize": 1048576.0},
		"filter":         map[string]any{"supported": true, "maxResults": 1000.0},
		"changePassword": map[string]any{"supported": false},
		"sort":           map[string]any{"supported": true},
		"etag":           map[string]any{"supported": true},
	})
	schemes, _ := spc["authenticationSchemes"].([]any)
	if len(schemes) != 1 || schemes[0].(map[string]any)["type"] != "oauthbearertoken" {
		t.Errorf("authenticationSchemes %v", spc["authenticationSchemes"])
	}
	if doc, _ := spc["documentationUri"].(string); !strings.HasSuffix(doc, "/scim/v2/openapi.yaml") {
		t.Errorf("documentationUri %q", doc)
	}

	rts := list(t, e.do("GET", "/ResourceTypes", ""), 2, 1, 2)
	if rts[0]["name"] != "User" || rts[0]["endpoint"] != "/Users" || rts[0]["schema"] != userURN ||
		rts[1]["name"] != "Group" || rts[1]["endpoint"] != "/Groups" {
		t.Errorf("resource types %v", rts)
	}
	if ext := rts[0]["schemaExtensions"].([]any)[0].(map[string]any); ext["schema"] != enterpriseURN || ext["required"] != false {
		t.Errorf("User extensions %v", ext)
	}
	if rt := e.obj(http.StatusOK, "GET", "/ResourceTypes/Group", ""); !reflect.DeepEqual(rt, rts[1]) {
		t.Errorf("/ResourceTypes/Group %v", rt)
	}

	schemas := list(t, e.do("GET", "/Schemas", ""), 3, 1, 3)
	var ids []string
	for _, s := range schemas {
		ids = append(ids, s["id"].(string))
	}
	if !reflect.DeepEqual(ids, []string{userURN, enterpriseURN, groupURN}) {
		t.Errorf("schemas %v", ids)
	}
	user := e.obj(http.StatusOK, "GET", "/Schemas/"+userURN, "")
	attrs := map[string]map[string]any{}
	for _, a := range user["attributes"].([]any) {
		m := a.(map[string]any)
		attrs[m["name"].(string)] = m
	}
	if attrs["userName"]["uniqueness"] != "server" || attrs["userName"]["required"] != true {
		t.Errorf("userName %v", attrs["userName"])
	}
	if attrs["password"]["returned"] != "never" || attrs["groups"]["mutability"] != "readOnly" {
		t.Errorf("password %v groups %v", attrs["password"], attrs["groups"])
	}
	// Only what the directory keeps.
	for _, missing := range []string{"ims", "photos", "entitlements", "roles", "x509Certificates"} {
		if _, ok := attrs[missing]; ok {
			t.Errorf("schema lists %s, which is not kept", missing)
		}
	}

	// The OpenAPI document is served as YAML.
	resp := e.as("", "GET", "/openapi.yaml", "")
	if resp.Status != http.StatusOK || resp.Header.Get("Content-Type") != "application/yaml" ||
		!strings.HasPrefix(string(resp.Body), "openapi: 3") {
		t.Errorf("openapi.yaml: %d %q", resp.Status, resp.Header.Get("Content-Type"))
	}
}

// TestMediaTypes: answers are application/scim+json, or application/json
// for a client that accepts only that; requests may be either.
func TestMediaTypes(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	body := `{"schemas":["` + userURN + `"],"userName":"typed"}`
	resp := e.Do(t, "POST", base+"/Users", e.tok, body, "Content-Type", "application/json")
	want(t, resp, http.StatusCreated)
	if ct := resp.Header.Get("Content-Type"); ct != "application/scim+json" {
		t.Errorf("Content-Type %q", ct)
	}
	resp = e.Do(t, "GET", base+"/Users", e.tok, "", "Accept", "application/json")
	if resp.Status != http.StatusOK || resp.Header.Get("Content-Type") != "application/json" {
		t.Errorf("Accept application/json: %d %q", resp.Status, resp.Header.Get("Content-Type"))
	}
	resp = e.Do(t, "GET", base+"/Users", e.tok, "", "Accept", "application/scim+json, application/json;q=0.5")
	if resp.Header.Get("Content-Type") != "application/scim+json" {
		t.Errorf("Accept both: %q", resp.Header.Get("Content-Type"))
	}
	want(t, e.Do(t, "PATCH", base+"/Users/"+id(t, resp.Object(t)["Resources"].([]any)[0].(map[string]any)), e.tok,
		patchBody(`{"op":"replace","path":"title","value":"x"}`), "Content-Type", "application/scim+json; charset=utf-8"), http.StatusOK)
	// OPTIONS and HEAD.
	resp = e.Do(t, "OPTIONS", base+"/Users", e.tok, "")
	if resp.Status != http.StatusOK || resp.Header.Get("Allow") != "GET,HEAD,POST" {
		t.Errorf("OPTIONS: %d %q", resp.Status, resp.Header.Get("Allow"))
	}
	resp = e.Do(t, "DELETE", base+"/Users", e.tok, "")
	scimError(t, "DELETE /Users", resp, http.StatusMethodNotAllowed, "")
	if resp.Header.Get("Allow") != "GET,HEAD,POST" {
		t.Errorf("405 Allow %q", resp.Header.Get("Allow"))
	}
}
