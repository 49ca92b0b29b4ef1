package insight

import (
	"net/http"

	"github.com/gatehouse/gatehouse/internal/directory"
	"github.com/gatehouse/gatehouse/internal/httpx"
)

// listPage is how many rows a list reads from the store at a time.
const listPage = 500

// stream answers a whole list as one JSON array, as BeyondInsight does,
// reading it from the store a page at a time by id (keyset) and sending
// each page as it is read, so that no list is held whole in memory. fetch
// returns the page of items whose id is above after.
func stream[T any](c *call, fetch func(after int64) ([]T, error), id func(*T) int64, write func(*httpx.JSON, *T)) error {
	j := httpx.NewJSON()
	defer j.Release()
	started := false
	for after := int64(0); ; {
		items, err := fetch(after)
		if err != nil {
			if !started {
				return err
			}
			// The status is sent: cutting the connection is the only way
			// left to tell the client that the list is incomplete.
			httpx.Unexpected(c.a.log, c.r, "insight", err)
			panic(http.ErrAbortHandler)
		}
		if !started {
			h := c.w.Header()
			h.Set("Content-Type", "application/json; charset=utf-8")
			h.Set("Cache-Control", "no-store")
			c.w.WriteHeader(http.StatusOK)
			j.Array()
			started = true
		}
		for i := range items {
			write(j, &items[i])
			after = id(&items[i])
		}
		if len(items) < listPage {
			j.EndArray()
			return j.Drain(c.w)
		}
		if err := j.Drain(c.w); err != nil {
			return nil // the client went away
		}
	}
}

func userID(u *directory.User) int64   { return u.ID }
func groupID(g *directory.Group) int64 { return g.ID }

func writeListedUser(j *httpx.JSON, u *directory.User) { writeUser(j, u, "") }

// afterID pages a list by id.
func afterID(attr directory.Attr, after int64, filter directory.Expr) directory.Query {
	var f directory.Expr = directory.Compare{Attr: attr, Op: directory.OpGt, Value: after}
	if filter != nil {
		f = directory.And{filter, f}
	}
	return directory.Query{Filter: f, Limit: listPage, NoTotal: true}
}
