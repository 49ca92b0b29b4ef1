package insight

import (
	"encoding/json"
	"errors"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/gatehouse/gatehouse/internal/auth"
	"github.com/gatehouse/gatehouse/internal/directory"
	"github.com/gatehouse/gatehouse/internal/httpx"
)

// apiError is an answer the face decided on itself.
type apiError struct {
	status int
	msg    string
}

func (e *apiError) Error() string { return e.msg }

func statusError(status int, msg string) error { return &apiError{status: status, msg: msg} }

func badRequest(msg string) error { return statusError(http.StatusBadRequest, msg) }

const (
	msgUnauthenticated = "User not authenticated: sign in with POST Auth/SignAppIn, or send an Authorization header."
	msgInternal        = "An internal error occurred."
)

// wireNames are the face's names for the directory's fields, used in
// messages.
var wireNames = map[string]string{
	directory.FieldUsername:          "UserName",
	directory.FieldFirstName:         "FirstName",
	directory.FieldLastName:          "LastName",
	directory.FieldDisplayName:       "DisplayName",
	directory.FieldEmail:             "EmailAddress",
	directory.FieldPassword:          "Password",
	directory.FieldDomainName:        "DomainName",
	directory.FieldForestName:        "ForestName",
	directory.FieldBindUser:          "BindUser",
	directory.FieldBindPassword:      "BindPassword",
	directory.FieldHostName:          "HostName",
	directory.FieldPort:              "Port",
	directory.FieldDistinguishedName: "DistinguishedName",
	directory.FieldAccountAttribute:  "AccountNameAttribute",
	directory.FieldAccessPolicyID:    "AccessPolicyID",
	directory.FieldUserType:          "UserType",
	directory.FieldName:              "groupName",
	directory.FieldDescription:       "description",
	directory.FieldPermissions:       "Permissions",
	directory.FieldRegistrationIDs:   "ApplicationRegistrationIDs",
	directory.FieldGroupType:         "groupType",
	directory.FieldUserID:            "UserID",
}

func wireName(field string) string {
	if n, ok := wireNames[field]; ok {
		return n
	}
	return field
}

// fieldMessage joins per-field problems into one sentence per field, in
// name order: "UserName field is required; EmailAddress must be ...".
func fieldMessage(fields map[string][]string, rename func(string) string) string {
	names := make([]string, 0, len(fields))
	for f := range fields {
		names = append(names, f)
	}
	slices.Sort(names)
	parts := make([]string, 0, len(names))
	for _, f := range names {
		parts = append(parts, rename(f)+" "+strings.Join(fields[f], ", "))
	}
	return strings.Join(parts, "; ")
}

// fail renders err: the face's own errors, body errors, authentication
// errors and the directory's kinds each get their status; anything else
// is logged and answered with a 500 that says nothing more.
func (a *api) fail(w http.ResponseWriter, r *http.Request, err error) {
	var ae *apiError
	var be *httpx.BodyError
	switch {
	case errors.As(err, &ae):
		writeMessage(w, ae.status, ae.msg)
		return
	case errors.As(err, &be):
		writeMessage(w, be.Status, be.Msg)
		return
	case errors.Is(err, auth.ErrUnauthenticated):
		writeMessage(w, http.StatusUnauthorized, msgUnauthenticated)
		return
	case errors.Is(err, auth.ErrRateLimited):
		auth.SetRetryHeaders(w.Header(), err)
		writeMessage(w, http.StatusTooManyRequests, "Too many requests.")
		return
	}
	de, ok := directory.AsError(err)
	if !ok {
		writeMessage(w, httpx.Unexpected(a.log, r, "insight", err), msgInternal)
		return
	}
	switch de.Kind {
	case directory.KindInvalid:
		writeMessage(w, http.StatusBadRequest, fieldMessage(de.Fields, wireName))
	case directory.KindNotFound:
		writeMessage(w, http.StatusNotFound, sentence(de.Message))
	case directory.KindConflict:
		// A field message starts with the field's wire name, which keeps
		// its case (groupName); only a bare domain message is capitalised.
		msg := sentence(de.Message)
		if len(de.Fields) > 0 {
			msg = fieldMessage(de.Fields, wireName)
		}
		writeMessage(w, http.StatusConflict, msg)
	case directory.KindForbidden:
		writeMessage(w, http.StatusForbidden, de.Message)
	case directory.KindPrecondition:
		writeMessage(w, http.StatusPreconditionFailed, sentence(de.Message))
	default:
		writeInternal(w)
	}
}

// sentence capitalises a domain message ("user not found").
func sentence(s string) string {
	if s == "" || s[0] < 'a' || s[0] > 'z' {
		return s
	}
	return string(s[0]-'a'+'A') + s[1:]
}

func writeInternal(w http.ResponseWriter) {
	writeMessage(w, http.StatusInternalServerError, msgInternal)
}

// writeMessage answers with status and msg as a JSON string.
func writeMessage(w http.ResponseWriter, status int, msg string) {
	b, _ := json.Marshal(msg) // a string always encodes
	writeJSON(w, status, b)
}

func writeJSON(w http.ResponseWriter, status int, body []byte) {
	h := w.Header()
	h.Set("Content-Type", "application/json; charset=utf-8")
	h.Set("Content-Length", strconv.Itoa(len(body)))
	h.Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_, _ = w.Write(body)
}
