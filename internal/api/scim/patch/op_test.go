package patch

import (
	"encoding/json"
	"reflect"
	"testing"

	"github.com/gatehouse/gatehouse/internal/api/scim/schema"
)

func TestParse(t *testing.T) {
	for _, c := range []struct {
		name string
		body string
		want []Operation
	}{
		{"Okta deactivate", `{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"replace","value":{"active":false}}]}`,
			[]Operation{{Op: Replace, Value: map[string]any{"active": false}}}},
		{"Entra ID disable", `{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"Replace","path":"active","value":"False"}]}`,
			[]Operation{{Op: Replace, Path: "active", Value: "False"}}},
		{"Entra ID add member", `{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"Add","path":"members","value":[{"value":"5"}]}]}`,
			[]Operation{{Op: Add, Path: "members", Value: []any{map[string]any{"value": "5"}}}}},
		{"Okta remove member", `{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"remove","path":"members[value eq \"5\"]"}]}`,
			[]Operation{{Op: Remove, Path: `members[value eq "5"]`}}},
		{"upper case op, lower case keys, numbers", `{"schemas":["URN:IETF:PARAMS:SCIM:API:MESSAGES:2.0:PATCHOP"],"operations":[{"OP":"ADD","PATH":" title ","VALUE":1.50}]}`,
			[]Operation{{Op: Add, Path: "title", Value: json.Number("1.50")}}},
		{"null value, empty path", `{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"replace","path":"title","value":null},{"op":"add","path":"","value":{}}]}`,
			[]Operation{{Op: Replace, Path: "title"}, {Op: Add, Value: map[string]any{}}}},
		{"unknown members ignored", `{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"id":"x","Operations":[{"op":"remove","path":"title","extra":1}]}`,
			[]Operation{{Op: Remove, Path: "title"}}},
	} {
		got, err := Parse([]byte(c.body))
		if err != nil {
			t.Errorf("%s: %v", c.name, err)
			continue
		}
		if !reflect.DeepEqual(got, c.want) {
			t.Errorf("%s:\n got  %#v\n want %#v", c.name, got, c.want)
		}
	}
}

func TestParseErrors(t *testing.T) {
	for _, c := range []struct {
		body, scimType, detail string
	}{
		{`not json`, schema.InvalidSyntax, "the body is not a PatchOp request"},
		{`{"Operations":[{"op":"remove","path":"x"}]}`, schema.InvalidSyntax, `schemas must hold "urn:ietf:params:scim:api:messages:2.0:PatchOp"`},
		{`{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"Operations":[{"op":"remove","path":"x"}]}`, schema.InvalidSyntax, "schemas must hold"},
		{string(body(`[]`)), schema.InvalidSyntax, "Operations must hold at least one operation"},
		{`{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"]}`, schema.InvalidSyntax, "Operations must hold at least one operation"},
		{string(body(`[{"op":"move","path":"x"}]`)), schema.InvalidSyntax, `op "move" is not add, remove or replace`},
		{string(body(`[{"path":"x"}]`)), schema.InvalidSyntax, `op "" is not add, remove or replace`},
		{string(body(`[{"op":"remove"}]`)), schema.NoTarget, "remove needs a path"},
		{string(body(`[{"op":"add","path":"title"}]`)), schema.InvalidValue, "add needs a value"},
		{string(body(`[{"op":"add","path":"title","value":null}]`)), schema.InvalidValue, "add needs a value"},
		{string(body(`[{"op":"replace","value":"x"}]`)), schema.InvalidValue, "replace without a path needs an object of attributes as its value"},
		{string(body(`[{"op":"replace","path":"emails[type eq","value":"x"}]`)), schema.InvalidPath, `malformed path "emails[type eq": expected a value`},
		{string(body(`[1]`)), schema.InvalidSyntax, "malformed operation"},
		{string(body(`[{"op":"remove","path":5}]`)), schema.InvalidSyntax, "malformed operation"},
		{string(body(`[{"op":"remove","path":"x"}]`)) + ` {}`, schema.InvalidSyntax, "data after the JSON value"},
		{string(body(`[{"op":"remove","path":"x"},{"op":"remove"}]`)), schema.NoTarget, "operation 2: remove needs a path"},
	} {
		_, err := Parse([]byte(c.body))
		wantSCIM(t, c.body, err, c.scimType, c.detail)
	}
}
