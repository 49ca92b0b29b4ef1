package patch

import (
	"reflect"
	"testing"

	"github.com/gatehouse/gatehouse/internal/api/scim/schema"
)

func TestMembers(t *testing.T) {
	type result struct {
		add, remove, replace []string
		replaced, removeAll  bool
		rest                 []Operation
	}
	for _, c := range []struct {
		name string
		ops  string
		want result
	}{
		{"Entra ID add", `[{"op":"Add","path":"members","value":[{"value":"5","$ref":null}]}]`, result{add: []string{"5"}}},
		{"Entra ID remove with a value", `[{"op":"Remove","path":"members","value":[{"value":"5"}]}]`, result{remove: []string{"5"}}},
		{"Okta remove with a filter", `[{"op":"remove","path":"members[value eq \"5\"]"}]`, result{remove: []string{"5"}}},
		{"remove with or", `[{"op":"remove","path":"members[value eq \"5\" or value eq \"6\"]"}]`, result{remove: []string{"5", "6"}}},
		{"Okta add with display", `[{"op":"add","path":"members","value":[{"value":"5","display":"a@x"},{"value":"6","type":"User"}]}]`,
			result{add: []string{"5", "6"}}},
		{"bare ids", `[{"op":"add","path":"members","value":["5","6"]}]`, result{add: []string{"5", "6"}}},
		{"one object", `[{"op":"add","path":"members","value":{"value":"5"}}]`, result{add: []string{"5"}}},
		{"duplicates", `[{"op":"add","path":"members","value":[{"value":"5"},{"value":"5"}]}]`, result{add: []string{"5"}}},
		{"remove all", `[{"op":"remove","path":"members"}]`, result{removeAll: true}},
		{"replace", `[{"op":"replace","path":"members","value":[{"value":"1"},{"value":"2"}]}]`, result{replace: []string{"1", "2"}, replaced: true}},
		{"replace with none", `[{"op":"replace","path":"members","value":[]}]`, result{removeAll: true}},
		{"replace with null", `[{"op":"replace","path":"members","value":null}]`, result{removeAll: true}},
		{"core URN path, any case", `[{"op":"ADD","path":"URN:IETF:PARAMS:SCIM:SCHEMAS:CORE:2.0:GROUP:MEMBERS","value":[{"value":"5"}]}]`,
			result{add: []string{"5"}}},
		{"filter that clears", `[{"op":"replace","path":"members[value eq \"5\"]","value":null}]`, result{remove: []string{"5"}}},
		{"no-path add with other attributes", `[{"op":"add","value":{"members":[{"value":"5"}],"displayName":"X"}}]`,
			result{add: []string{"5"}, rest: []Operation{{Op: Add, Value: map[string]any{"displayName": "X"}}}}},
		{"no-path replace of members only", `[{"op":"replace","value":{"Members":[{"value":"5"}]}}]`,
			result{replace: []string{"5"}, replaced: true}},
		{"no-path replace clearing members", `[{"op":"replace","value":{"members":[]}}]`, result{removeAll: true}},
		{"no-path without members", `[{"op":"replace","value":{"id":"7","displayName":"New"}}]`,
			result{rest: []Operation{{Op: Replace, Value: map[string]any{"id": "7", "displayName": "New"}}}}},
		{"other paths pass through in order", `[{"op":"replace","path":"displayName","value":"X"},{"op":"add","path":"members","value":[{"value":"5"}]},{"op":"remove","path":"externalId"}]`,
			result{add: []string{"5"}, rest: []Operation{{Op: Replace, Path: "displayName", Value: "X"}, {Op: Remove, Path: "externalId"}}}},
		{"unknown paths pass through for Apply to report", `[{"op":"remove","path":"nickname2"}]`,
			result{rest: []Operation{{Op: Remove, Path: "nickname2"}}}},
		// Folding: the result applied once equals the operations in order.
		{"add then remove", `[{"op":"add","path":"members","value":[{"value":"5"}]},{"op":"remove","path":"members[value eq \"5\"]"}]`,
			result{remove: []string{"5"}}},
		{"remove then add", `[{"op":"remove","path":"members[value eq \"5\"]"},{"op":"add","path":"members","value":[{"value":"5"}]}]`,
			result{add: []string{"5"}}},
		{"remove all then add", `[{"op":"remove","path":"members"},{"op":"add","path":"members","value":[{"value":"5"}]}]`,
			result{add: []string{"5"}, removeAll: true}},
		{"add then remove all", `[{"op":"add","path":"members","value":[{"value":"5"}]},{"op":"remove","path":"members"}]`,
			result{removeAll: true}},
		{"remove all, add, remove", `[{"op":"remove","path":"members"},{"op":"add","path":"members","value":[{"value":"5"},{"value":"6"}]},{"op":"remove","path":"members","value":[{"value":"5"}]}]`,
			result{add: []string{"6"}, removeAll: true}},
		{"replace, add, remove", `[{"op":"replace","path":"members","value":[{"value":"1"},{"value":"2"}]},{"op":"add","path":"members","value":[{"value":"3"}]},{"op":"remove","path":"members[value eq \"1\"]"}]`,
			result{replace: []string{"2", "3"}, replaced: true}},
		{"replace, then remove its only member", `[{"op":"replace","path":"members","value":[{"value":"1"}]},{"op":"remove","path":"members[value eq \"1\"]"}]`,
			result{removeAll: true}},
		{"add, then replace", `[{"op":"add","path":"members","value":[{"value":"1"}]},{"op":"replace","path":"members","value":[{"value":"2"}]}]`,
			result{replace: []string{"2"}, replaced: true}},
	} {
		ops, err := Parse(body(c.ops))
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		var got result
		var merr error
		got.add, got.remove, got.replace, got.replaced, got.removeAll, got.rest, merr = Members(ops)
		if merr != nil {
			t.Errorf("%s: %v", c.name, merr)
			continue
		}
		if !reflect.DeepEqual(norm(got.add), norm(c.want.add)) || !reflect.DeepEqual(norm(got.remove), norm(c.want.remove)) ||
			!reflect.DeepEqual(norm(got.replace), norm(c.want.replace)) || got.replaced != c.want.replaced ||
			got.removeAll != c.want.removeAll || !reflect.DeepEqual(got.rest, c.want.rest) {
			t.Errorf("%s:\n got  %+v\n want %+v", c.name, got, c.want)
		}
		if got.replaced && got.replace == nil {
			t.Errorf("%s: replaced with a nil list", c.name)
		}
	}
}

func norm(xs []string) []string {
	if len(xs) == 0 {
		return nil
	}
	return xs
}

func TestMembersErrors(t *testing.T) {
	for _, c := range []struct{ ops, scimType, detail string }{
		{`[{"op":"remove","path":"members[display eq \"x\"]"}]`, schema.InvalidPath, `members are selected only by value, as in members[value eq "5"]: members[display eq "x"] is not supported`},
		{`[{"op":"remove","path":"members[value ne \"5\"]"}]`, schema.InvalidPath, "members are selected only by value"},
		{`[{"op":"remove","path":"members[value eq \"5\" and type eq \"User\"]"}]`, schema.InvalidPath, "members are selected only by value"},
		{`[{"op":"replace","path":"members[value eq \"5\"]","value":{"value":"6"}}]`, schema.Mutability, "a member cannot change"},
		{`[{"op":"replace","path":"members[value eq \"5\"].display","value":"x"}]`, schema.Mutability, "a member's sub-attributes cannot change"},
		{`[{"op":"remove","path":"members.value"}]`, schema.Mutability, "a member's sub-attributes cannot change"},
		{`[{"op":"add","path":"members","value":[{"display":"x"}]}]`, schema.InvalidValue, "each member needs a value"},
		{`[{"op":"add","path":"members","value":[{"value":""}]}]`, schema.InvalidValue, "each member needs a value"},
		{`[{"op":"add","path":"members","value":[{"value":5}]}]`, schema.InvalidValue, "expected a string for members.value"},
		{`[{"op":"add","path":"members","value":[{"value":"5","type":"Group"}]}]`, schema.InvalidValue, `members of type "Group" are not supported`},
		{`[{"op":"add","path":"members","value":[{"value":"5","foo":1}]}]`, schema.InvalidPath, `unknown attribute "members.foo"`},
		{`[{"op":"add","value":{"members":5}}]`, schema.InvalidValue, "expected a string for members.value"},
		{`[{"op":"add","path":"displayName","value":"x"},{"op":"remove","path":"members[display pr]"}]`, schema.InvalidPath, "operation 2: members are selected only by value"},
	} {
		ops, err := Parse(body(c.ops))
		if err == nil {
			_, _, _, _, _, _, err = Members(ops)
		}
		wantSCIM(t, c.ops, err, c.scimType, c.detail)
	}
	// Operations made by hand are checked as Parse checks them.
	_, _, _, _, _, _, err := Members([]Operation{{Op: "move", Path: "members"}})
	wantSCIM(t, "hand-made", err, schema.InvalidSyntax, `op "move"`)
}

// Members and Apply agree: folding the member operations and applying
// the result gives what Apply gives on the whole group.
func TestMembersAgreesWithApply(t *testing.T) {
	for _, ops := range []string{
		`[{"op":"add","path":"members","value":[{"value":"9"}]},{"op":"remove","path":"members[value eq \"5\"]"}]`,
		`[{"op":"remove","path":"members"},{"op":"add","path":"members","value":[{"value":"1"},{"value":"6"}]}]`,
		`[{"op":"replace","path":"members","value":[{"value":"1"},{"value":"2"}]},{"op":"add","path":"members","value":[{"value":"3"}]},{"op":"remove","path":"members","value":[{"value":"1"}]}]`,
		`[{"op":"Remove","path":"members","value":[{"value":"6"}]},{"op":"add","path":"members","value":[{"value":"6"}]}]`,
	} {
		parsed, err := Parse(body(ops))
		if err != nil {
			t.Fatal(err)
		}
		d := doc(t, baseGroup)
		if err := Apply(d, parsed, schema.GroupResource); err != nil {
			t.Fatalf("%s: %v", ops, err)
		}
		var viaApply []string
		for _, m := range list(d["members"]) {
			viaApply = append(viaApply, get(object(m), "value").(string))
		}
		add, remove, replace, replaced, removeAll, _, err := Members(parsed)
		if err != nil {
			t.Fatalf("%s: %v", ops, err)
		}
		current := []string{"5", "6"}
		switch {
		case removeAll:
			current = nil
		case replaced:
			current = replace
		}
		for _, id := range remove {
			current = minus(current, id)
		}
		for _, id := range add {
			current = with(current, id)
		}
		if !sameSet(current, viaApply) {
			t.Errorf("%s:\n Members %v\n Apply   %v", ops, current, viaApply)
		}
	}
}

func sameSet(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for _, x := range a {
		found := false
		for _, y := range b {
			found = found || x == y
		}
		if !found {
			return false
		}
	}
	return true
}
