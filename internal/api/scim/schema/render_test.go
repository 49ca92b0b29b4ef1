package schema

import (
	"encoding/json"
	"testing"
)

func TestRender(t *testing.T) {
	doc := User.Render("https://h/scim/v2")
	b, err := json.Marshal(doc)
	if err != nil {
		t.Fatal(err)
	}
	var got struct {
		Schemas    []string
		ID         string
		Name       string
		Attributes []struct {
			Name, Type, Mutability, Returned, Uniqueness string
			MultiValued, Required, CaseExact             bool
			CanonicalValues, ReferenceTypes              []string
			SubAttributes                                []map[string]any
		}
		Meta struct{ ResourceType, Location string }
	}
	if err := json.Unmarshal(b, &got); err != nil {
		t.Fatal(err)
	}
	if len(got.Schemas) != 1 || got.Schemas[0] != SchemaURN || got.ID != UserURN || got.Name != "User" {
		t.Errorf("header: %+v", got)
	}
	if got.Meta.ResourceType != "Schema" || got.Meta.Location != "https://h/scim/v2/Schemas/"+UserURN {
		t.Errorf("meta: %+v", got.Meta)
	}
	if len(got.Attributes) != len(User.Attributes) {
		t.Fatalf("%d attributes", len(got.Attributes))
	}
	byName := map[string]int{}
	for i, a := range got.Attributes {
		byName[a.Name] = i
	}
	un := got.Attributes[byName["userName"]]
	if un.Type != "string" || !un.Required || un.CaseExact || un.Uniqueness != "server" || un.SubAttributes != nil {
		t.Errorf("userName: %+v", un)
	}
	em := got.Attributes[byName["emails"]]
	if !em.MultiValued || len(em.SubAttributes) != 4 || em.SubAttributes[1]["name"] != "type" {
		t.Errorf("emails: %+v", em)
	}
	if cv := em.SubAttributes[1]["canonicalValues"]; len(cv.([]any)) != 3 {
		t.Errorf("emails.type canonicalValues: %v", cv)
	}
	pu := got.Attributes[byName["profileUrl"]]
	if pu.Type != "reference" || len(pu.ReferenceTypes) != 1 || pu.ReferenceTypes[0] != "external" {
		t.Errorf("profileUrl: %+v", pu)
	}
	if pw := got.Attributes[byName["password"]]; pw.Mutability != "writeOnly" || pw.Returned != "never" {
		t.Errorf("password: %+v", pw)
	}
	for _, s := range []*Schema{EnterpriseUser, Group} {
		if _, err := json.Marshal(s.Render("")); err != nil {
			t.Error(err)
		}
	}
}

func TestRenderResourceType(t *testing.T) {
	u := UserResource.Render("https://h/scim/v2")
	if u["id"] != "User" || u["endpoint"] != "/Users" || u["schema"] != UserURN {
		t.Errorf("user: %v", u)
	}
	ext := u["schemaExtensions"].([]any)[0].(map[string]any)
	if ext["schema"] != EnterpriseURN || ext["required"] != false {
		t.Errorf("extension: %v", ext)
	}
	if u["meta"].(map[string]any)["location"] != "https://h/scim/v2/ResourceTypes/User" {
		t.Errorf("meta: %v", u["meta"])
	}
	g := GroupResource.Render("")
	if _, ok := g["schemaExtensions"]; ok || g["schema"] != GroupURN {
		t.Errorf("group: %v", g)
	}
}
