package schema

import (
	"fmt"
	"net/http"
)

// Error is a SCIM error (RFC 7644 §3.12). The face renders it with the
// Error schema, its status as a string. The packages under scim return
// only this type for a client's mistake, so that the face need not guess.
type Error struct {
	Status   int
	ScimType string // empty where RFC 7644 defines none for the status
	Detail   string
}

func (e *Error) Error() string {
	if e.ScimType == "" {
		return fmt.Sprintf("scim %d: %s", e.Status, e.Detail)
	}
	return fmt.Sprintf("scim %d %s: %s", e.Status, e.ScimType, e.Detail)
}

// The scimType values of RFC 7644 §3.12.
const (
	InvalidFilter = "invalidFilter"
	TooMany       = "tooMany"
	Uniqueness    = "uniqueness"
	Mutability    = "mutability"
	InvalidSyntax = "invalidSyntax"
	InvalidPath   = "invalidPath"
	NoTarget      = "noTarget"
	InvalidValue  = "invalidValue"
	InvalidVers   = "invalidVers"
	Sensitive     = "sensitive"
)

// BadRequest returns a 400 Error with a formatted detail.
func BadRequest(scimType, format string, args ...any) *Error {
	return &Error{Status: http.StatusBadRequest, ScimType: scimType, Detail: fmt.Sprintf(format, args...)}
}

// Retype returns a copy of e with another scimType: a path that fails to
// resolve is invalidPath in PATCH but invalidFilter in a filter and
// invalidValue in sortBy, and the resolver cannot know which it serves.
func (e *Error) Retype(scimType string) *Error {
	c := *e
	c.ScimType = scimType
	return &c
}
