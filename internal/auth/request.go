package auth

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strings"

	"github.com/gatehouse/gatehouse/internal/httpx"
)

// tokenRequest is a parsed POST /oauth2/token.
type tokenRequest struct {
	grantType, clientID, clientSecret, scope string
}

// oauthError is an error response of the token endpoint (RFC 6749 §5.2),
// in PRA's shape: {"error": ..., "message": ...}.
type oauthError struct {
	status  int
	code    string
	message string
}

func badRequest(msg string) *oauthError {
	return &oauthError{status: http.StatusBadRequest, code: "invalid_request", message: msg}
}

// errClientAuth is every client authentication failure, whatever its cause.
var errClientAuth = &oauthError{status: http.StatusUnauthorized, code: "invalid_client", message: "Client authentication failed."}

// tokenParams are the parameters the endpoint reads; others are ignored,
// as RFC 6749 §3.2 requires.
var tokenParams = [...]string{"grant_type", "client_id", "client_secret", "scope"}

// parseTokenRequest reads the body (form-encoded, or JSON as some clients
// send) and the client's credentials (HTTP Basic, or client_id and
// client_secret parameters, but not both).
func parseTokenRequest(r *http.Request, body []byte, checkScope func(string) *oauthError) (tokenRequest, *oauthError) {
	params, oe := parseBody(r.Header.Get("Content-Type"), body, httpx.IsStrict(r))
	if oe != nil {
		return tokenRequest{}, oe
	}
	req := tokenRequest{grantType: params["grant_type"], clientID: params["client_id"],
		clientSecret: params["client_secret"], scope: params["scope"]}

	id, secret, basic, oe := basicCredentials(r.Header)
	if oe != nil {
		return tokenRequest{}, oe
	}
	if basic {
		// A client_id parameter repeating the Basic one is harmless (some
		// libraries send both); a second secret is two mechanisms at once.
		if req.clientSecret != "" || (req.clientID != "" && req.clientID != id) {
			return tokenRequest{}, badRequest("Client credentials must be sent either in the Authorization header or in the request body, not both.")
		}
		req.clientID, req.clientSecret = id, secret
	}

	switch {
	case req.grantType == "":
		return tokenRequest{}, badRequest("The grant_type parameter is required.")
	case req.grantType != "client_credentials":
		return tokenRequest{}, &oauthError{status: http.StatusBadRequest, code: "unsupported_grant_type",
			message: "Only the client_credentials grant type is supported."}
	}
	if oe := checkScope(req.scope); oe != nil {
		return tokenRequest{}, oe
	}
	if req.clientID == "" {
		return tokenRequest{}, errClientAuth
	}
	return req, nil
}

// parseBody returns the endpoint's parameters from the body. Parameters
// sent empty count as absent (RFC 6749 §3.1); a repeated one is an error.
// Strict mode reads only what RFC 6749 §4.4.2 specifies, a body labelled
// application/x-www-form-urlencoded: not JSON, nor a body with no type.
func parseBody(contentType string, body []byte, strict bool) (map[string]string, *oauthError) {
	mt := "application/x-www-form-urlencoded" // what curl -d and most clients mean
	if contentType == "" && strict {
		return nil, errFormOnly
	}
	if contentType != "" {
		var params map[string]string
		var err error
		mt, params, err = mime.ParseMediaType(contentType)
		if err != nil {
			return nil, badRequest("The Content-Type header is malformed.")
		}
		if cs, ok := params["charset"]; ok && !strings.EqualFold(cs, "utf-8") {
			return nil, badRequest("The request body must be UTF-8.")
		}
	}
	switch mt {
	case "application/x-www-form-urlencoded":
		return parseForm(body)
	case "application/json":
		if !strict {
			return parseJSON(body)
		}
	}
	return nil, errFormOnly
}

var errFormOnly = badRequest("The request body must be application/x-www-form-urlencoded.")

func parseForm(body []byte) (map[string]string, *oauthError) {
	vals, err := url.ParseQuery(string(body))
	if err != nil {
		return nil, badRequest("The request body is not valid form encoding.")
	}
	out := make(map[string]string, len(tokenParams))
	for _, k := range tokenParams {
		switch v := vals[k]; {
		case len(v) > 1:
			return nil, badRequest("The " + k + " parameter may be given only once.")
		case len(v) == 1:
			out[k] = v[0]
		}
	}
	return out, nil
}

// parseJSON reads a flat JSON object. It walks tokens instead of
// unmarshalling into a struct so that a repeated key is an error, as a
// repeated form parameter is, rather than silently the last one.
func parseJSON(body []byte) (map[string]string, *oauthError) {
	malformed := badRequest("The request body is not a valid JSON object.")
	dec := json.NewDecoder(bytes.NewReader(body))
	if t, err := dec.Token(); err != nil || t != json.Delim('{') {
		return nil, malformed
	}
	out := make(map[string]string, len(tokenParams))
	seen := make(map[string]bool, len(tokenParams))
	for dec.More() {
		t, err := dec.Token()
		if err != nil {
			return nil, malformed
		}
		key, _ := t.(string)
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			return nil, malformed
		}
		if !isTokenParam(key) {
			continue
		}
		if seen[key] {
			return nil, badRequest("The " + key + " parameter may be given only once.")
		}
		seen[key] = true
		var v *string
		if err := json.Unmarshal(raw, &v); err != nil {
			return nil, badRequest("The " + key + " parameter must be a string.")
		}
		if v != nil {
			out[key] = *v
		}
	}
	if t, err := dec.Token(); err != nil || t != json.Delim('}') {
		return nil, malformed
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return nil, malformed
	}
	return out, nil
}

func isTokenParam(k string) bool {
	for _, p := range tokenParams {
		if k == p {
			return true
		}
	}
	return false
}

// basicCredentials reads client credentials from an Authorization: Basic
// header. RFC 6749 §2.3.1 has clients form-encode the id and the secret
// before base64, which golang.org/x/oauth2 does, so both are decoded; the
// ids and secrets Gatehouse generates contain nothing that encoding
// changes, so clients that skip it (curl -u) still work with them.
// A header with another scheme is an unsupported authentication method.
func basicCredentials(h http.Header) (id, secret string, ok bool, oe *oauthError) {
	v := h["Authorization"]
	switch {
	case len(v) == 0:
		return "", "", false, nil
	case len(v) > 1:
		return "", "", false, badRequest("Only one Authorization header is allowed.")
	}
	const scheme = "basic "
	if len(v[0]) < len(scheme) || !asciiEqualFold(v[0][:len(scheme)], scheme) {
		return "", "", false, errClientAuth
	}
	r := http.Request{Header: h}
	rawID, rawSecret, good := r.BasicAuth()
	if !good {
		return "", "", false, badRequest("The Basic credentials are malformed.")
	}
	id, err1 := url.QueryUnescape(rawID)
	secret, err2 := url.QueryUnescape(rawSecret)
	if err1 != nil || err2 != nil {
		return "", "", false, badRequest("The Basic credentials are not form-encoded.")
	}
	return id, secret, true, nil
}
