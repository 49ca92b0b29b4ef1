package auth

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strconv"

	"github.com/gatehouse/gatehouse/internal/httpx"
)

// maxTokenBody bounds what the token endpoint reads: a real request is a
// few hundred bytes.
const maxTokenBody = 64 << 10

// TokenHandler serves POST /oauth2/token: the OAuth2 client-credentials
// grant (RFC 6749 §4.4) as PRA offers it.
func (s *Service) TokenHandler() http.Handler { return http.HandlerFunc(s.serveToken) }

func (s *Service) serveToken(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	// Token responses must not be cached (RFC 6749 §5.1); errors neither,
	// so that a proxy never replays one to a later, valid request.
	h.Set("Cache-Control", "no-store")
	h.Set("Pragma", "no-cache")
	switch r.Method {
	case http.MethodPost:
	case http.MethodOptions:
		h.Set("Allow", http.MethodPost)
		w.WriteHeader(http.StatusNoContent)
		return
	default:
		h.Set("Allow", http.MethodPost)
		writeOAuthError(w, &oauthError{status: http.StatusMethodNotAllowed, code: "invalid_request",
			message: "The token endpoint accepts only POST."})
		return
	}
	client := httpx.ClientAddr(r)
	if s.tokenLimited(w, client) {
		return
	}
	req, oe := readTokenRequest(w, r, oauthScope)
	if oe != nil {
		writeOAuthError(w, oe)
		return
	}
	tok, ttl, err := s.IssueToken(r.Context(), req.clientID, req.clientSecret, Scope(req.scope), client)
	if s.tokenFailed(w, r, err) {
		return
	}
	writeJSON(w, http.StatusOK, tokenResponse{AccessToken: tok, TokenType: "Bearer", ExpiresIn: int64(ttl.Seconds())})
}

// readTokenRequest reads and parses a token request's body, bounded.
func readTokenRequest(w http.ResponseWriter, r *http.Request, checkScope func(string) *oauthError) (tokenRequest, *oauthError) {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxTokenBody))
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return tokenRequest{}, &oauthError{status: http.StatusRequestEntityTooLarge, code: "invalid_request",
				message: "The request body is too large."}
		}
		return tokenRequest{}, badRequest("The request body could not be read.")
	}
	return parseTokenRequest(r, body, checkScope)
}

// oauthScope accepts the scopes of /oauth2/token.
func oauthScope(scope string) *oauthError {
	if _, ok := parseScope(scope); !ok {
		return &oauthError{status: http.StatusBadRequest, code: "invalid_scope", message: "The scope must be full_access or read_only."}
	}
	return nil
}

// insightScope accepts BeyondInsight's one scope, or none.
func insightScope(scope string) *oauthError {
	if scope != "" && scope != InsightScope {
		return &oauthError{status: http.StatusBadRequest, code: "invalid_scope", message: "The scope must be publicapi."}
	}
	return nil
}

// tokenFailed answers a failed issue in OAuth's words and reports whether
// it did.
func (s *Service) tokenFailed(w http.ResponseWriter, r *http.Request, err error) bool {
	switch {
	case err == nil:
		return false
	case errors.Is(err, ErrInvalidClient):
		writeOAuthError(w, errClientAuth)
	case errors.Is(err, ErrInvalidScope): // parseTokenRequest checked; kept for safety
		writeOAuthError(w, &oauthError{status: http.StatusBadRequest, code: "invalid_scope", message: "The scope must be full_access or read_only."})
	default:
		s.log.ErrorContext(r.Context(), "auth: issuing a token failed", "err", err)
		writeOAuthError(w, &oauthError{status: http.StatusInternalServerError, code: "server_error",
			message: "The server could not issue a token."})
	}
	return true
}

// InsightScope is the one scope BeyondInsight's token endpoint grants.
const InsightScope = "publicapi"

// ServeInsightToken answers BeyondInsight's POST Auth/connect/token: the
// same client-credentials grant for application users and API accounts,
// in that API's response shape. The caller has checked the method.
func (s *Service) ServeInsightToken(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Pragma", "no-cache")
	client := httpx.ClientAddr(r)
	if s.tokenLimited(w, client) {
		return
	}
	req, oe := readTokenRequest(w, r, insightScope)
	if oe != nil {
		writeOAuthError(w, oe)
		return
	}
	tok, err := s.IssueInsightToken(r.Context(), req.clientID, req.clientSecret, client)
	if s.tokenFailed(w, r, err) {
		return
	}
	writeJSON(w, http.StatusOK, tokenResponse{AccessToken: tok, TokenType: "Bearer", ExpiresIn: int64(s.cfg.TokenTTL.Seconds()),
		Scope: InsightScope})
}

type tokenResponse struct {
	AccessToken string `json:"access_token"`
	TokenType   string `json:"token_type"`
	ExpiresIn   int64  `json:"expires_in"`
	Scope       string `json:"scope,omitempty"`
}

// errorResponse carries the description twice: as "message", the field
// BeyondTrust's APIs answer with, and as RFC 6749's "error_description",
// which standard OAuth2 client libraries read.
type errorResponse struct {
	Error       string `json:"error"`
	Description string `json:"error_description"`
	Message     string `json:"message"`
}

func writeOAuthError(w http.ResponseWriter, e *oauthError) {
	if e.status == http.StatusUnauthorized {
		// RFC 9110 §15.5.2: every 401 carries a challenge; RFC 6749 §5.2
		// asks for it where the client used Basic, which is the scheme
		// offered either way.
		w.Header().Set("WWW-Authenticate", `Basic realm="gatehouse"`)
	}
	writeJSON(w, e.status, errorResponse{Error: e.code, Description: e.message, Message: e.message})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err) // only the two fixed response types reach here
	}
	h := w.Header()
	h.Set("Content-Type", "application/json")
	h.Set("Content-Length", strconv.Itoa(len(b)))
	w.WriteHeader(status)
	_, _ = w.Write(b)
}
