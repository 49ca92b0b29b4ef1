package pra

import (
	"errors"
	"net/http"

	"github.com/gatehouse/gatehouse/internal/directory"
	"github.com/gatehouse/gatehouse/internal/httpx"
)

// apiError is an error this face decides itself, before or instead of the
// directory. fields, when set, are rendered as a 422 error bag.
type apiError struct {
	status int
	msg    string
	fields map[string][]string // wire name → messages phrased to follow it
}

func (e *apiError) Error() string { return e.msg }

func statusError(status int, msg string) error { return &apiError{status: status, msg: msg} }

// msgInvalid heads every 422 body, as PRA's validation responses do.
const msgInvalid = "The given data was invalid."

// invalid reports field problems (by wire name) as a 422.
func invalid(fields map[string][]string) error {
	return &apiError{status: http.StatusUnprocessableEntity, msg: msgInvalid, fields: fields}
}

// wireNames renames the directory's field names where PRA's differ.
var wireNames = map[string]string{
	directory.FieldDisplayName:        "public_display_name",
	directory.FieldEmail:              "email_address",
	directory.FieldLocale:             "preferred_email_language",
	directory.FieldAccessStatus:       "access_perm_status",
	directory.FieldSessionIdleTimeout: "perm_session_idle_timeout",
}

func wireName(field string) string {
	if w, ok := wireNames[field]; ok {
		return w
	}
	return field
}

// fail writes err as PRA does: the face's own errors as they are, the
// directory's by kind, anything else as a logged 500 that tells nothing.
func (a *api) fail(w http.ResponseWriter, r *http.Request, err error) {
	var ae *apiError
	var be *httpx.BodyError
	de, isDomain := directory.AsError(err)
	switch {
	case errors.As(err, &ae):
		writeError(w, ae.status, ae.msg, ae.fields)
	case errors.As(err, &be) && be.Status == http.StatusBadRequest:
		// PRA answers malformed data with 422, the status its clients handle.
		writeError(w, http.StatusUnprocessableEntity, be.Msg, map[string][]string{})
	case errors.As(err, &be):
		writeError(w, be.Status, be.Msg, nil)
	case isDomain && de.Kind == directory.KindNotFound:
		writeError(w, http.StatusNotFound, sentence(de.Message), nil)
	case isDomain && (de.Kind == directory.KindInvalid || de.Kind == directory.KindConflict):
		fields := make(map[string][]string, len(de.Fields))
		for k, msgs := range de.Fields {
			fields[wireName(k)] = append(fields[wireName(k)], msgs...)
		}
		writeError(w, http.StatusUnprocessableEntity, msgInvalid, fields)
	case isDomain && de.Kind == directory.KindForbidden:
		// A business rule refused the operation: PRA reports these as 422
		// with a message and an empty error bag.
		writeError(w, http.StatusUnprocessableEntity, sentence(de.Message), map[string][]string{})
	case isDomain && de.Kind == directory.KindPrecondition:
		// Only reachable when a PATCH lost every merge attempt to
		// concurrent writers: the client should retry, as for any conflict.
		writeError(w, http.StatusConflict, "The resource was changed by another request at the same time; retry.", nil)
	default:
		writeError(w, httpx.Unexpected(a.log, r, "pra", err), msgInternal, nil)
	}
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
