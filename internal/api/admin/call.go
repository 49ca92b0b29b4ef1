package admin

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"

	"github.com/gatehouse/gatehouse/internal/httpx"
)

// call is one authenticated, authorised request.
type call struct {
	a     *api
	w     http.ResponseWriter
	r     *http.Request
	query url.Values
}

func (c *call) ctx() context.Context { return c.r.Context() }

// url returns the absolute URL of a path under the face's prefix.
func (c *call) url(path string) string { return httpx.Origin(c.r, c.a.publicURL) + prefix + path }

// respond writes v as the JSON answer.
func (c *call) respond(v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	httpx.WriteJSON(c.w, http.StatusOK, b)
	return nil
}
