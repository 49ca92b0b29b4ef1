package public

import (
	"errors"
	"maps"
	"net/http"
	"slices"
	"strings"

	"github.com/gatehouse/gatehouse/internal/directory"
	"github.com/gatehouse/gatehouse/internal/httpx"
)

// apiError is an error this face decides itself, before or instead of the
// directory. fields, when set, are rendered as an error bag.
type apiError struct {
	status int
	msg    string
	fields map[string][]string // wire name → messages phrased to follow it
}

func (e *apiError) Error() string { return e.msg }

func statusError(status int, msg string) error { return &apiError{status: status, msg: msg} }

// Messages that head error bags.
const (
	msgInvalid  = "The given data was invalid."
	msgBadQuery = "The query string is invalid."
)

// invalid reports field problems (by wire name) as a 422.
func invalid(fields map[string][]string) error {
	return &apiError{status: http.StatusUnprocessableEntity, msg: msgInvalid, fields: fields}
}

// msgStale answers a write whose If-Match names a version that is no
// longer current (or that no version can be).
const msgStale = "The user has changed since the ETag in If-Match was read (or If-Match names no ETag of this API): " +
	"GET the user again, apply the change to what it returns, and send it with the new ETag."

// wireNames renames the directory's field names where this API's differ.
var wireNames = map[string]string{
	directory.FieldEmail:              "email_address",
	directory.FieldUserType:           "account_type",
	directory.FieldSecurityProviderID: "account_type",
	directory.FieldMembers:            "user_id",
}

func wireName(field string) string {
	if w, ok := wireNames[field]; ok {
		return w
	}
	return field
}

// fail writes err in the face's dialect: its own errors as they are, the
// directory's by kind, anything else as a logged 500 that tells nothing.
func (a *api) fail(w http.ResponseWriter, r *http.Request, err error) {
	var ae *apiError
	var be *httpx.BodyError
	de, isDomain := directory.AsError(err)
	switch {
	case errors.As(err, &ae):
		writeError(w, ae.status, ae.msg, ae.fields)
	case errors.As(err, &be):
		writeError(w, be.Status, be.Msg, nil)
	case isDomain && de.Kind == directory.KindNotFound:
		writeError(w, http.StatusNotFound, sentence(de.Message), nil)
	case isDomain && de.Kind == directory.KindInvalid:
		writeError(w, http.StatusUnprocessableEntity, msgInvalid, wireFields(de.Fields))
	case isDomain && de.Kind == directory.KindConflict:
		// A taken username, or a user that cannot go yet (the only owner
		// of a secret): the request was valid, the directory's state
		// refuses it.
		var fields map[string][]string
		msg := sentence(de.Message)
		if len(de.Fields) > 0 {
			fields = wireFields(de.Fields)
			names := slices.Sorted(maps.Keys(fields))
			msg = "The " + names[0] + " " + strings.TrimSuffix(fields[names[0]][0], ".") + "."
		}
		writeError(w, http.StatusConflict, msg, fields)
	case isDomain && de.Kind == directory.KindForbidden:
		// A business rule refuses the operation on this resource (an
		// administrator is managed from the command line only).
		writeError(w, http.StatusForbidden, sentence(de.Message), nil)
	case isDomain && de.Kind == directory.KindPrecondition:
		writeError(w, http.StatusPreconditionFailed, msgStale, nil)
	default:
		writeError(w, httpx.Unexpected(a.log, r, "public", err), msgInternal, nil)
	}
}

// wireFields renames a directory error's fields to wire names.
func wireFields(in map[string][]string) map[string][]string {
	out := make(map[string][]string, len(in))
	for k, msgs := range in {
		out[wireName(k)] = append(out[wireName(k)], msgs...)
	}
	return out
}

const msgInternal = "An internal server error occurred."

func writeInternal(w http.ResponseWriter) {
	writeError(w, http.StatusInternalServerError, msgInternal, nil)
}

// The error shape and its helpers are BeyondTrust's, shared with the other
// face that speaks it (see httpx.WriteMessage).
var (
	writeError = httpx.WriteMessage
	writeJSON  = httpx.WriteJSON
	sentence   = httpx.Sentence
)
