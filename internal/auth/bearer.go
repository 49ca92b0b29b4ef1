package auth

import (
	"errors"
	"net/http"
	"strconv"
)

// MsgBearerRequired is what a JSON face answers a request without a valid
// bearer token.
const MsgBearerRequired = "A valid bearer token is required: request one from /oauth2/token with the client credentials of an API account."

// Refuse writes a face's own answer for a status and a message.
type Refuse func(w http.ResponseWriter, status int, msg string)

// Bearer is Authenticate for a face that takes bearer tokens, with the
// answers every such face gives: it sets the rate-limit headers, and for a
// request that cannot go on it writes 401 (with WWW-Authenticate: Bearer)
// or 429 (saying when to try again) through refuse and returns ok false.
// An internal failure is returned for the face to render.
func (s *Service) Bearer(w http.ResponseWriter, r *http.Request, refuse Refuse) (p Principal, ok bool, err error) {
	p, rate, err := s.Authenticate(r)
	secs := rate.SetHeaders(w.Header(), errors.Is(err, ErrRateLimited))
	switch {
	case errors.Is(err, ErrUnauthenticated):
		w.Header().Set("WWW-Authenticate", "Bearer")
		refuse(w, http.StatusUnauthorized, MsgBearerRequired)
		return p, false, nil
	case errors.Is(err, ErrRateLimited):
		refuse(w, http.StatusTooManyRequests, "Too many requests: retry after "+strconv.FormatInt(secs, 10)+" seconds.")
		return p, false, nil
	}
	return p, err == nil, err
}
