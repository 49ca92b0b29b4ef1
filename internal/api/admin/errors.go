package admin

import (
	"errors"
	"net/http"

	"github.com/gatehouse/gatehouse/internal/directory"
	"github.com/gatehouse/gatehouse/internal/httpx"
)

// apiError is an error this face decides itself, before or instead of the
// directory. fields, when set, are rendered as an error bag.
type apiError struct {
	status int
	msg    string
	fields map[string][]string // parameter name → messages phrased to follow it
}

func (e *apiError) Error() string { return e.msg }

func statusError(status int, msg string) error { return &apiError{status: status, msg: msg} }

const msgBadQuery = "The query string is invalid."

// badQuery reports problems with query parameters (or the path's id) as a
// 400 naming each. The directory's AuditFilter fields are named as the
// parameters are, so its problems need no renaming.
func badQuery(fields map[string][]string) error {
	return &apiError{status: http.StatusBadRequest, msg: msgBadQuery, fields: fields}
}

// fail writes err: the face's own errors as they are, the directory's by
// kind, anything else as a logged 500 that tells nothing.
func (a *api) fail(w http.ResponseWriter, r *http.Request, err error) {
	var ae *apiError
	de, isDomain := directory.AsError(err)
	switch {
	case errors.As(err, &ae):
		writeError(w, ae.status, ae.msg, ae.fields)
	case isDomain && de.Kind == directory.KindNotFound:
		writeError(w, http.StatusNotFound, httpx.Sentence(de.Message), nil)
	case isDomain && de.Kind == directory.KindInvalid:
		writeError(w, http.StatusBadRequest, msgBadQuery, de.Fields)
	default:
		writeError(w, httpx.Unexpected(a.log, r, "admin", err), msgInternal, nil)
	}
}

const msgInternal = "An internal server error occurred."

func writeInternal(w http.ResponseWriter) {
	writeError(w, http.StatusInternalServerError, msgInternal, nil)
}

// The house's error shape, which the PRA and public v3 faces speak too.
var writeError = httpx.WriteMessage
