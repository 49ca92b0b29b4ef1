package public

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"math"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/gatehouse/gatehouse/internal/httpx"
)

// call is one authenticated request.
type call struct {
	a     *api
	w     http.ResponseWriter
	r     *http.Request
	query url.Values // never nil once checkRequest passed
	// queryProblems are what checkRequest found wrong with the query
	// string (unknown or repeated parameters), for the handler to report
	// with what it finds; queryNote counts unknown names left unnamed.
	queryProblems map[string][]string
	queryNote     string
}

func (c *call) ctx() context.Context { return c.r.Context() }

// url returns the absolute URL of a path under the face's prefix.
func (c *call) url(path string) string { return httpx.Origin(c.r, c.a.publicURL) + prefix + path }

// parseID reads a decimal id: digits only, 1..2147483647.
func parseID(s string) (int64, bool) {
	if s == "" || len(s) > 10 || strings.TrimLeft(s, "0123456789") != "" {
		return 0, false
	}
	n, err := strconv.ParseInt(s, 10, 64)
	return n, err == nil && n >= 1 && n <= math.MaxInt32
}

// msgID phrases what an id must be.
const msgID = "must be an integer between 1 and 2147483647"

// userID reads the path's {id} as a user id. Users are addressed by id,
// and the commonest mistake is a username in its place: the answer says
// how to find the id.
func (c *call) userID() (int64, error) {
	id, ok := parseID(c.r.PathValue("id"))
	if !ok {
		return 0, statusError(http.StatusBadRequest, "The user id in the URL "+msgID+
			": users are addressed by their id, not their username (GET "+prefix+"/users?username=... finds the id).")
	}
	return id, nil
}

// groupIDs reads the path's group {id} and, when withUser, its {user_id}.
func (c *call) groupIDs(withUser bool) (group, user int64, err error) {
	group, okGroup := parseID(c.r.PathValue("id"))
	okUser := true
	if withUser {
		user, okUser = parseID(c.r.PathValue("user_id"))
	}
	switch {
	case !okGroup && !okUser:
		return 0, 0, statusError(http.StatusBadRequest, "The group id and the user id in the URL must be integers between 1 and 2147483647.")
	case !okGroup:
		return 0, 0, statusError(http.StatusBadRequest, "The group id in the URL "+msgID+".")
	case !okUser:
		return 0, 0, statusError(http.StatusBadRequest, "The user id in the URL "+msgID+".")
	}
	return group, user, nil
}

// object reads the request body, one JSON object. An empty body reads as
// {} unless the operation needs one (PUT, which would otherwise reset every
// field of the user to its default): then it is a 400.
func (c *call) object(needBody bool) (map[string]json.RawMessage, error) {
	seen := &seenReader{ReadCloser: c.r.Body}
	if c.r.Body != nil {
		c.r.Body = seen
	}
	obj, err := httpx.ReadObject(c.w, c.r, c.a.maxBody)
	if err != nil {
		return nil, err
	}
	if needBody && !seen.brace {
		return nil, statusError(http.StatusBadRequest, "The request body is empty. A PUT replaces the whole user: "+
			"send the whole user as a JSON object (GET it, change what you need, and send it back).")
	}
	return obj, nil
}

// seenReader notes whether a body held a '{'. ReadObject reads a body
// without one as empty (it can hold nothing else and be an object), so this
// tells an empty body from {}.
type seenReader struct {
	io.ReadCloser
	brace bool
}

func (s *seenReader) Read(p []byte) (int, error) {
	n, err := s.ReadCloser.Read(p)
	if !s.brace && bytes.IndexByte(p[:n], '{') >= 0 {
		s.brace = true
	}
	return n, err
}

// respond writes a JSON answer built by fn.
func (c *call) respond(status int, fn func(*httpx.JSON)) error {
	j := httpx.NewJSON()
	defer j.Release()
	fn(j)
	writeJSON(c.w, status, j.Bytes())
	return nil
}

// created answers 201 with the new resource and its URL in Location.
func (c *call) created(path string, fn func(*httpx.JSON)) error {
	c.w.Header().Set("Location", c.url(path))
	return c.respond(http.StatusCreated, fn)
}

// noContent answers 204.
func (c *call) noContent() error {
	c.w.WriteHeader(http.StatusNoContent)
	return nil
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
