package httpx

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"mime"
	"net"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// DefaultMaxBody is the request body limit unless a face sets another.
const DefaultMaxBody int64 = 1 << 20

// maxDepth bounds the nesting of a body (the object itself counts as 1).
// The deepest real body is a SCIM bulk request holding a PATCH of the
// enterprise manager (bulk, operations, operation, data, operations,
// operation, value, extension, manager: nine levels), so anything much
// deeper is an attack or a mistake either way.
const maxDepth = 12

// BodyError is a body refused before any field is read. Status is 413
// (too large), 415 (not JSON by its Content-Type), 408 (not sent within the
// server's read timeout) or 400 (not one valid JSON object); a face
// renders it in its own dialect and may map 400 to the status its API uses
// for malformed input.
type BodyError struct {
	Status int
	Msg    string // a sentence safe to show the client
}

func (e *BodyError) Error() string { return e.Msg }

func malformed(msg string) error { return &BodyError{Status: http.StatusBadRequest, Msg: msg} }

// isJSONType reports whether a Content-Type header value names JSON. An
// absent header counts as JSON because some PRA clients (the Terraform
// provider among them) send bodies without one.
func isJSONType(contentType string) bool {
	if contentType == "" {
		return true
	}
	mt, _, err := mime.ParseMediaType(contentType)
	if err != nil {
		return false
	}
	return mt == "application/json" || strings.HasPrefix(mt, "application/") && strings.HasSuffix(mt, "+json")
}

// checkType refuses a body whose Content-Type is not one of types or, when
// types is empty, does not name JSON (isJSONType). Strict mode refuses what
// the appliance does: a body without a Content-Type, and one of any type
// but those named (application/json when types is empty), where PRA
// documents "a Content-Type header with a value of application/json".
func checkType(r *http.Request, types []string) error {
	ct := r.Header.Get("Content-Type")
	strict := IsStrict(r)
	if len(types) == 0 {
		if !strict && isJSONType(ct) {
			return nil
		}
		types = jsonType
	}
	if ct == "" && !strict {
		return nil
	}
	if mt, _, err := mime.ParseMediaType(ct); err == nil && slices.Contains(types, mt) {
		return nil
	}
	return &BodyError{Status: http.StatusUnsupportedMediaType, Msg: "The request body must be sent as " + strings.Join(types, " or ") + "."}
}

var jsonType = []string{"application/json"}

// ReadObject reads a request body that must be a single JSON object, at most
// limit bytes, and returns its members undecoded. It refuses invalid UTF-8
// (which encoding/json would silently replace), duplicate member names
// (which parsers resolve differently, a classic smuggling vector), nesting
// deeper than maxDepth and anything after the object. An empty body reads
// as an empty object, and its Content-Type is then not checked: a POST that
// carries nothing has no type to get wrong.
func ReadObject(w http.ResponseWriter, r *http.Request, limit int64) (map[string]json.RawMessage, error) {
	return ReadObjectAs(w, r, limit)
}

// ReadObjectAs is ReadObject for bodies of the given media types (such as
// SCIM's application/scim+json and application/json): a Content-Type,
// when sent (always, in strict mode), must be one of them. With no types it
// is ReadObject.
func ReadObjectAs(w http.ResponseWriter, r *http.Request, limit int64, types ...string) (map[string]json.RawMessage, error) {
	body, err := readJSON(w, r, limit, types)
	if err != nil || body == nil {
		return map[string]json.RawMessage{}, err
	}
	return parseObject(body)
}

// ReadArray reads a request body that must be a single JSON array, with the
// same checks as ReadObject, and returns it undecoded; nil when the body is
// empty, which the caller may refuse or take as no items.
func ReadArray(w http.ResponseWriter, r *http.Request, limit int64) (json.RawMessage, error) {
	body, err := readJSON(w, r, limit, nil)
	if err != nil || body == nil {
		return nil, err
	}
	body = bytes.TrimSpace(body)
	if body[0] != '[' || !json.Valid(body) {
		return nil, malformed("The request body must be a JSON array.")
	}
	if depth(body) >= maxDepth {
		return nil, malformed("The request body is nested too deeply.")
	}
	return body, nil
}

// readJSON reads a bounded body of a JSON type (see checkType) in valid
// UTF-8; nil when it is empty.
func readJSON(w http.ResponseWriter, r *http.Request, limit int64, types []string) ([]byte, error) {
	tooLarge := &BodyError{Status: http.StatusRequestEntityTooLarge, Msg: "The request body is too large."}
	if r.ContentLength > limit {
		return nil, tooLarge
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, limit))
	if err != nil {
		var mbe *http.MaxBytesError
		var ne net.Error
		switch {
		case errors.As(err, &mbe):
			return nil, tooLarge
		case errors.As(err, &ne) && ne.Timeout():
			// The server's read timeout cut off a client too slow to send
			// its body.
			return nil, &BodyError{Status: http.StatusRequestTimeout, Msg: "The request body was not sent in time."}
		}
		return nil, malformed("The request body could not be read.")
	}
	if len(bytes.TrimSpace(body)) == 0 {
		return nil, nil
	}
	if err := checkType(r, types); err != nil {
		return nil, err
	}
	if !utf8.Valid(body) {
		return nil, malformed("The request body is not valid UTF-8.")
	}
	return body, nil
}

func parseObject(body []byte) (map[string]json.RawMessage, error) {
	notJSON := malformed("The request body is not valid JSON.")
	dec := json.NewDecoder(bytes.NewReader(body))
	if tok, err := dec.Token(); err != nil {
		return nil, notJSON
	} else if tok != json.Delim('{') {
		return nil, malformed("The request body must be a JSON object.")
	}
	obj := map[string]json.RawMessage{}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, notJSON
		}
		name := tok.(string) // inside an object, a token that is not a delimiter is a member name
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			return nil, notJSON
		}
		if _, dup := obj[name]; dup {
			return nil, malformed("The request body names the field " + QuoteName(name) + " more than once.")
		}
		if depth(raw) >= maxDepth {
			return nil, malformed("The request body is nested too deeply.")
		}
		obj[name] = raw
	}
	if _, err := dec.Token(); err != nil { // the closing brace
		return nil, notJSON
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, malformed("The request body has data after the JSON object.")
	}
	return obj, nil
}

// depth returns how deeply a valid JSON value nests arrays and objects.
func depth(v []byte) int {
	d, deepest, inString, escaped := 0, 0, false, false
	for _, c := range v {
		switch {
		case escaped:
			escaped = false
		case inString:
			escaped = c == '\\'
			inString = c != '"'
		case c == '"':
			inString = true
		case c == '[' || c == '{':
			d++
			deepest = max(deepest, d)
		case c == ']' || c == '}':
			d--
		}
	}
	return deepest
}

// maxNamed bounds how many client-supplied names one message lists.
const maxNamed = 10

// QuoteNames lists client-supplied names (unknown parameters or fields)
// for a message, in the order given: each quoted and cut short, at most
// maxNamed of them and then how many more, so that no request can balloon
// a response.
func QuoteNames(names []string) string {
	q := make([]string, 0, min(len(names), maxNamed)+1)
	for _, n := range names[:min(len(names), maxNamed)] {
		q = append(q, QuoteName(n))
	}
	if len(names) > maxNamed {
		q = append(q, "and "+strconv.Itoa(len(names)-maxNamed)+" more")
	}
	return strings.Join(q, ", ")
}

// QuoteName quotes a client-supplied name for a message, cut short so that
// a huge name cannot balloon the response.
func QuoteName(s string) string {
	const limit = 64
	if utf8.RuneCountInString(s) > limit {
		s = string([]rune(s)[:limit]) + "…"
	}
	b, _ := json.Marshal(s)
	return string(b)
}
