// Package patch implements SCIM PATCH (RFC 7644 §3.5.2) on a resource
// represented as a JSON document, as Okta and Microsoft Entra ID send it,
// and splits a Group PATCH's member changes from the rest so that a face
// can change a large group's members without loading them.
package patch

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/gatehouse/gatehouse/internal/api/scim/filter"
	"github.com/gatehouse/gatehouse/internal/api/scim/schema"
)

// Operation is one PATCH operation.
type Operation struct {
	Op    string // "add", "remove" or "replace", lower-cased
	Path  string // empty when the request names none
	Value any    // decoded JSON, json.Number for numbers; nil when absent or null
}

// The operations.
const (
	Add     = "add"
	Remove  = "remove"
	Replace = "replace"
)

// Parse reads a PatchOp request body. schemas must hold the PatchOp URN
// and Operations at least one operation; op is accepted in any case
// ("Replace", "ADD": Entra ID sends them so). A remove without a path is
// noTarget (RFC 7644 §3.5.2.2); an add without a value, or without a path
// and with a value other than an object, is invalidValue; a malformed path
// is invalidPath; anything else malformed is invalidSyntax.
func Parse(body []byte) ([]Operation, error) {
	var req struct {
		Schemas    []string
		Operations []json.RawMessage // Go matches "operations" and "Operations" alike
	}
	if err := decode(body, &req); err != nil {
		return nil, schema.BadRequest(schema.InvalidSyntax, "the body is not a PatchOp request: %v", err)
	}
	if !slices.ContainsFunc(req.Schemas, func(s string) bool { return strings.EqualFold(s, schema.PatchOpURN) }) {
		return nil, schema.BadRequest(schema.InvalidSyntax, "schemas must hold %q", schema.PatchOpURN)
	}
	if len(req.Operations) == 0 {
		return nil, schema.BadRequest(schema.InvalidSyntax, "Operations must hold at least one operation")
	}
	ops := make([]Operation, len(req.Operations))
	for i, raw := range req.Operations {
		op, err := parseOp(raw)
		if err != nil {
			return nil, numbered(i, len(req.Operations), err)
		}
		ops[i] = op
	}
	return ops, nil
}

func parseOp(raw json.RawMessage) (Operation, error) {
	var o struct {
		Op    string
		Path  string
		Value json.RawMessage
	}
	if err := decode(raw, &o); err != nil {
		return Operation{}, schema.BadRequest(schema.InvalidSyntax, "malformed operation: %v", err)
	}
	op := Operation{Op: strings.ToLower(o.Op), Path: strings.TrimSpace(o.Path)}
	if len(o.Value) > 0 {
		if err := decode(o.Value, &op.Value); err != nil {
			return Operation{}, schema.BadRequest(schema.InvalidSyntax, "malformed value: %v", err)
		}
	}
	return op, op.check()
}

// check verifies what can be checked without the resource.
func (op Operation) check() error {
	switch op.Op {
	case Add, Replace:
		if op.Op == Add && op.Value == nil {
			return schema.BadRequest(schema.InvalidValue, "add needs a value")
		}
		if _, isObject := op.Value.(map[string]any); op.Path == "" && !isObject {
			return schema.BadRequest(schema.InvalidValue, "%s without a path needs an object of attributes as its value", op.Op)
		}
	case Remove:
		if op.Path == "" {
			return schema.BadRequest(schema.NoTarget, "remove needs a path")
		}
	default:
		return schema.BadRequest(schema.InvalidSyntax, "op %q is not add, remove or replace", op.Op)
	}
	if op.Path != "" {
		if _, err := filter.ParsePath(op.Path); err != nil {
			return schema.BadRequest(schema.InvalidPath, "malformed path %q: %v", op.Path, err)
		}
	}
	return nil
}

// decode decodes one JSON value, numbers as json.Number, and nothing
// after it.
func decode(b []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	if err := dec.Decode(v); err != nil {
		return err
	}
	if dec.More() {
		return errors.New("data after the JSON value")
	}
	return nil
}

// numbered prefixes the detail of a request's n-th operation's error
// when the request has several.
func numbered(i, n int, err error) error {
	var se *schema.Error
	if n < 2 || !errors.As(err, &se) {
		return err
	}
	c := *se
	c.Detail = fmt.Sprintf("operation %d: %s", i+1, se.Detail)
	return &c
}
