package patch

import (
	"encoding/base64"
	"encoding/json"
	"math"
	"strconv"
	"time"

	"github.com/gatehouse/gatehouse/internal/api/scim/schema"
)

// value checks a client's JSON value v for attribute a (named name in
// errors; one value of it when a is multi-valued) and returns it as the
// document holds it. Booleans may come as the strings "True" and "False"
// in any case, which Entra ID sends for active.
func value(a *schema.Attribute, name string, v any, keepReadOnly bool) (any, error) {
	switch a.Type {
	case schema.Complex:
		m, _, err := element(a, name, v, keepReadOnly)
		return m, err
	case schema.String, schema.Reference:
		if s, ok := v.(string); ok {
			return s, nil
		}
		return nil, badValue("expected a string for %s", name)
	case schema.Binary:
		if s, ok := v.(string); ok {
			if _, err := base64.StdEncoding.DecodeString(s); err == nil {
				return s, nil
			}
		}
		return nil, badValue("expected base64 for %s", name)
	case schema.Boolean:
		if b, ok := asBool(v); ok {
			return b, nil
		}
		return nil, badValue("expected true or false for %s", name)
	case schema.Integer:
		if n, ok := number(v); ok {
			if _, err := strconv.ParseInt(n.String(), 10, 64); err == nil {
				return n, nil
			}
		}
		return nil, badValue("expected an integer for %s", name)
	case schema.Decimal:
		if n, ok := number(v); ok {
			return n, nil
		}
		return nil, badValue("expected a number for %s", name)
	case schema.DateTime:
		if s, ok := v.(string); ok {
			if _, err := time.Parse(time.RFC3339Nano, s); err == nil {
				return s, nil
			}
		}
		return nil, badValue("expected an RFC 3339 date-time for %s", name)
	}
	return nil, badValue("%s cannot be set", name)
}

// number returns a JSON number from decoded JSON or a Go number.
func number(v any) (json.Number, bool) {
	switch x := v.(type) {
	case json.Number:
		if _, err := x.Float64(); err != nil {
			return "", false
		}
		return x, true
	case float64:
		if math.IsInf(x, 0) || math.IsNaN(x) {
			return "", false
		}
		return json.Number(strconv.FormatFloat(x, 'g', -1, 64)), true
	case int:
		return json.Number(strconv.Itoa(x)), true
	case int64:
		return json.Number(strconv.FormatInt(x, 10)), true
	}
	return "", false
}

// element checks one value of complex attribute a: an object whose
// members are sub-attributes of a, each checked. Null members are
// dropped (Entra ID sends "$ref": null). ReadOnly sub-attributes are
// dropped too, as RFC 7644 §3.5.1 ignores them in a PUT, unless
// keepReadOnly (a itself is readOnly, and the caller compares the whole
// value with the current one). A bare value stands for {"value": v} when
// a has a value sub-attribute, as Entra ID sends a manager: wrapped
// reports it.
func element(a *schema.Attribute, name string, v any, keepReadOnly bool) (m map[string]any, wrapped bool, err error) {
	obj, ok := v.(map[string]any)
	if !ok {
		sub := a.ValueSub()
		if sub == nil || v == nil {
			return nil, false, badValue("expected an object of sub-attributes for %s", name)
		}
		if _, isList := v.([]any); isList {
			return nil, false, badValue("expected an object of sub-attributes for %s", name)
		}
		obj, wrapped = map[string]any{sub.Name: v}, true
	}
	m = make(map[string]any, len(obj))
	for _, k := range sortedKeys(obj) {
		sub := a.SubAttribute(k)
		if sub == nil {
			return nil, false, badPath("unknown attribute %q", name+"."+k)
		}
		x := obj[k]
		if x == nil || (sub.Mutability == schema.ReadOnly && !keepReadOnly) {
			continue
		}
		y, err := value(sub, name+"."+sub.Name, x, keepReadOnly)
		if err != nil {
			return nil, false, err
		}
		m[sub.Name] = y
	}
	return m, wrapped, nil
}

// elements checks the values for multi-valued attribute a: an array, or
// one value alone.
func elements(a *schema.Attribute, name string, v any, keepReadOnly bool) ([]any, error) {
	var out []any
	for _, x := range list(v) {
		if x == nil {
			continue
		}
		y, err := value(a, name, x, keepReadOnly)
		if err != nil {
			return nil, err
		}
		if !empty(y) {
			out = append(out, y)
		}
	}
	return out, nil
}

// clears reports a value that unassigns its target: Entra ID replaces an
// attribute with "" or null to remove it.
func clears(v any) bool {
	switch x := v.(type) {
	case nil:
		return true
	case string:
		return x == ""
	case []any:
		return len(x) == 0
	}
	return false
}

func badValue(format string, args ...any) error {
	return schema.BadRequest(schema.InvalidValue, format, args...)
}

func badPath(format string, args ...any) error {
	return schema.BadRequest(schema.InvalidPath, format, args...)
}

func mutability(format string, args ...any) error {
	return schema.BadRequest(schema.Mutability, format, args...)
}

func noTarget(format string, args ...any) error {
	return schema.BadRequest(schema.NoTarget, format, args...)
}
