package directory

import (
	"errors"
	"fmt"
	"sort"
	"strings"
)

// Kind classifies a domain error. Every face maps a Kind to its own dialect
// (PRA: 404/422, SCIM: scimType, BeyondInsight: status + message), so the
// domain never decides a status code.
type Kind int

const (
	// KindNotFound: the addressed resource does not exist.
	KindNotFound Kind = iota + 1
	// KindInvalid: the input breaks a field rule; Fields says which and why.
	KindInvalid
	// KindConflict: the input collides with existing state (a unique value).
	KindConflict
	// KindForbidden: a business rule refuses this operation on this resource
	// (an administrator changed through the API, a non-local user's policies).
	// It is not an authorisation failure: those belong to internal/auth.
	KindForbidden
	// KindPrecondition: the caller's expected version is stale (If-Match).
	KindPrecondition
)

// Error is the one error type the domain returns for anything a client did.
// Anything else reaching a face is an internal failure.
type Error struct {
	Kind    Kind
	Message string
	// Fields holds per-field messages, keyed by the domain field name
	// (see the Field* constants); faces rename keys to their wire names.
	Fields map[string][]string
}

func (e *Error) Error() string {
	if len(e.Fields) == 0 {
		return e.Message
	}
	keys := make([]string, 0, len(e.Fields))
	for k := range e.Fields {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	b.WriteString(e.Message)
	for _, k := range keys {
		fmt.Fprintf(&b, "; %s: %s", k, strings.Join(e.Fields[k], ", "))
	}
	return b.String()
}

// AsError returns the domain error inside err, if there is one.
func AsError(err error) (*Error, bool) {
	var de *Error
	ok := errors.As(err, &de)
	return de, ok
}

// IsKind reports whether err is a domain error of kind k.
func IsKind(err error, k Kind) bool {
	de, ok := AsError(err)
	return ok && de.Kind == k
}

// NotFound reports that a resource of the given type does not exist.
func NotFound(resource string) error {
	return &Error{Kind: KindNotFound, Message: resource + " not found"}
}

// Conflict reports that field's value is already taken.
func Conflict(field, msg string) error {
	return &Error{Kind: KindConflict, Message: msg, Fields: map[string][]string{field: {msg}}}
}

// Forbidden reports that a business rule refuses the operation.
func Forbidden(msg string) error { return &Error{Kind: KindForbidden, Message: msg} }

// Precondition reports a stale expected version.
func Precondition(msg string) error { return &Error{Kind: KindPrecondition, Message: msg} }

// Problems collects field messages while validating, so that one response
// names every invalid field instead of the first one found.
type Problems map[string][]string

// Add records msg against field.
func (p Problems) Add(field, msg string) { p[field] = append(p[field], msg) }

// Merge copies every message of q into p.
func (p Problems) Merge(q Problems) {
	for f, msgs := range q {
		p[f] = append(p[f], msgs...)
	}
}

// Err returns nil when nothing was recorded, else a KindInvalid error.
func (p Problems) Err() error {
	if len(p) == 0 {
		return nil
	}
	return &Error{Kind: KindInvalid, Message: "The given data was invalid.", Fields: map[string][]string(p)}
}
