package scim

import (
	"errors"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/gatehouse/gatehouse/internal/api/scim/schema"
	"github.com/gatehouse/gatehouse/internal/auth"
	"github.com/gatehouse/gatehouse/internal/directory"
	"github.com/gatehouse/gatehouse/internal/httpx"
)

// scimError is an error this face decides itself, rendered as a SCIM Error
// (RFC 7644 §3.12).
type scimError struct {
	status   int
	scimType string // empty for statuses RFC 7644 gives no scimType
	detail   string
}

func (e *scimError) Error() string { return e.detail }

// The scimType values of RFC 7644 §3.12 the face decides itself; the
// protocol packages decide invalidFilter, invalidPath and noTarget too.
// tooMany is not used: a count above maxResults is capped, as RFC 7644
// §3.4.2.4 allows, and RFC 7644 §3.7.4 gives the bulk limits' 413 no
// scimType. sensitive is not used either: no attribute that could be
// filtered on is secret (password cannot be filtered on at all).
const (
	typeInvalidSyntax = "invalidSyntax"
	typeInvalidPath   = "invalidPath"
	typeInvalidValue  = "invalidValue"
	typeMutability    = "mutability"
	typeUniqueness    = "uniqueness"
)

func badRequest(scimType, detail string) error {
	return &scimError{status: http.StatusBadRequest, scimType: scimType, detail: detail}
}

func notFound(detail string) error { return &scimError{status: http.StatusNotFound, detail: detail} }

// wireNames are SCIM's names for the directory's fields, used in details.
var wireNames = map[string]string{
	directory.FieldUsername:    "userName",
	directory.FieldFirstName:   "name.givenName",
	directory.FieldLastName:    "name.familyName",
	directory.FieldDisplayName: "displayName",
	directory.FieldName:        "displayName", // a group's name
	directory.FieldEmail:       "emails",
	directory.FieldLocale:      "locale",
	directory.FieldExternalID:  "externalId",
	directory.FieldPassword:    "password",
	directory.FieldMembers:     "members",
	directory.FieldProfile:     "profile attributes",
}

func wireName(field string) string {
	if n, ok := wireNames[field]; ok {
		return n
	}
	return field
}

// fieldDetail phrases per-field messages: "The userName has already been
// taken; the emails must be a valid email address."
func fieldDetail(fields map[string][]string) string {
	names := make([]string, 0, len(fields))
	for f := range fields {
		names = append(names, f)
	}
	slices.Sort(names)
	parts := make([]string, 0, len(names))
	for _, f := range names {
		parts = append(parts, "the "+wireName(f)+" "+strings.Join(fields[f], " and "))
	}
	return sentence(strings.Join(parts, "; "))
}

// invalidValues joins the invalidValue errors found in one body, the
// directory's field rules included, into one 400 whose detail names every
// invalid attribute. Any other error is returned as it is: it says the body
// is not a resource at all.
func invalidValues(errs ...error) error {
	var details []string
	for _, err := range errs {
		var se *scimError
		if de, ok := directory.AsError(err); ok && de.Kind == directory.KindInvalid {
			details = append(details, fieldDetail(de.Fields))
		} else if errors.As(err, &se) && se.scimType == typeInvalidValue {
			details = append(details, se.detail)
		} else if err != nil {
			return err
		}
	}
	if len(details) == 0 {
		return nil
	}
	return badRequest(typeInvalidValue, strings.Join(details, " "))
}

// fail writes err as a SCIM Error: the face's and the protocol packages'
// own errors as they are, the directory's by kind, anything else as a
// logged 500 that tells nothing.
func (a *api) fail(w http.ResponseWriter, r *http.Request, err error) {
	writeError(w, r, a.asSCIM(r, err))
}

// asSCIM translates err into the SCIM Error it is answered with.
func (a *api) asSCIM(r *http.Request, err error) *scimError {
	var se *scimError
	var pe *schema.Error
	var be *httpx.BodyError
	de, isDomain := directory.AsError(err)
	switch {
	case errors.As(err, &se):
		return se
	case errors.As(err, &pe):
		status := pe.Status
		if status == 0 {
			status = http.StatusBadRequest
		}
		return &scimError{status: status, scimType: pe.ScimType, detail: pe.Detail}
	case errors.As(err, &be) && be.Status == http.StatusBadRequest:
		return &scimError{status: http.StatusBadRequest, scimType: typeInvalidSyntax, detail: be.Msg}
	case errors.As(err, &be):
		return &scimError{status: be.Status, detail: be.Msg}
	case errors.Is(err, auth.ErrUnauthenticated):
		return &scimError{status: http.StatusUnauthorized, detail: msgUnauthenticated}
	case isDomain && de.Kind == directory.KindNotFound:
		return &scimError{status: http.StatusNotFound, detail: sentence(de.Message)}
	case isDomain && de.Kind == directory.KindInvalid:
		return &scimError{status: http.StatusBadRequest, scimType: typeInvalidValue, detail: fieldDetail(de.Fields)}
	case isDomain && de.Kind == directory.KindConflict && len(de.Fields) > 0:
		return &scimError{status: http.StatusConflict, scimType: typeUniqueness, detail: fieldDetail(de.Fields)}
	case isDomain && de.Kind == directory.KindConflict:
		return &scimError{status: http.StatusConflict, detail: sentence(de.Message)}
	case isDomain && de.Kind == directory.KindForbidden:
		// A business rule refuses the operation on this resource (an
		// administrator changed through an API).
		return &scimError{status: http.StatusForbidden, detail: sentence(de.Message)}
	case isDomain && de.Kind == directory.KindPrecondition:
		return errPrecondition
	}
	if status := httpx.Unexpected(a.log, r, "scim", err); status != http.StatusInternalServerError {
		return &scimError{status: status, detail: errInternal.detail}
	}
	return errInternal
}

var (
	errInternal     = &scimError{status: http.StatusInternalServerError, detail: "An internal server error occurred."}
	errPrecondition = &scimError{status: http.StatusPreconditionFailed,
		detail: "The resource has changed since the version named in If-Match; read it again."}
)

const msgUnauthenticated = "The request needs a valid bearer token: Authorization: Bearer <token>."

func writeInternal(w http.ResponseWriter, r *http.Request) { writeError(w, r, errInternal) }

// writeError writes a SCIM Error. Its status is a string, as RFC 7644
// §3.12 shows it.
func writeError(w http.ResponseWriter, r *http.Request, e *scimError) {
	writeJSON(w, r, e.status, encode(nil, errorDoc(e)))
}

func errorDoc(e *scimError) map[string]any {
	doc := map[string]any{"schemas": []string{schema.ErrorURN}, "status": strconv.Itoa(e.status)}
	if e.scimType != "" {
		doc["scimType"] = e.scimType
	}
	if e.detail != "" {
		doc["detail"] = e.detail
	}
	return doc
}

// sentence makes a message ("user not found") read as a sentence.
func sentence(s string) string {
	if s == "" {
		return s
	}
	if s[0] >= 'a' && s[0] <= 'z' {
		s = string(s[0]-'a'+'A') + s[1:]
	}
	if !strings.HasSuffix(s, ".") {
		s += "."
	}
	return s
}
