package insight

import (
	"errors"
	"net/http"

	"github.com/gatehouse/gatehouse/internal/auth"
	"github.com/gatehouse/gatehouse/internal/directory"
	"github.com/gatehouse/gatehouse/internal/httpx"
)

// sessionCookie is BeyondInsight's session cookie. Its path is "/" because
// paths match in any case here and a cookie's path does not.
const sessionCookie = "ASP.NET_SessionId"

// guard signs the request in (session cookie, else Authorization header),
// checks the operation's permission, and runs the handler with the
// principal as the audit actor.
func (a *api) guard(o op) http.Handler {
	return a.recover(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c := &call{a: a, w: w, r: r}
		if !o.public {
			who, err := a.signedIn(r)
			if err != nil {
				a.fail(w, r, err)
				return
			}
			if err := c.permit(o, who); err != nil {
				a.fail(w, r, err)
				return
			}
			actor := who.Actor()
			ctx := directory.WithActor(r.Context(), actor)
			httpx.SetPrincipal(ctx, actor.String())
			c.who, c.r = who, r.WithContext(ctx)
		}
		if err := o.h(c); err != nil {
			a.fail(w, c.r, err)
		}
	}))
}

// signedIn returns who the request is signed in as: its session, or the
// credentials of its Authorization header when it has no live session.
func (a *api) signedIn(r *http.Request) (auth.Insight, error) {
	if ck, err := r.Cookie(sessionCookie); err == nil && ck.Value != "" {
		who, err := a.auth.Session(r.Context(), ck.Value, httpx.ClientAddr(r))
		if err == nil || !errors.Is(err, auth.ErrUnauthenticated) || r.Header.Get("Authorization") == "" {
			return who, err
		}
	}
	return a.auth.AuthenticateInsight(r)
}

// permit refuses a principal that lacks the operation's permission.
func (c *call) permit(o op, who auth.Insight) error {
	if who.Can(o.perm, o.level) {
		return nil
	}
	if o.self && who.Account == nil {
		if id, err := c.id("id"); err == nil && id == who.User.ID {
			return nil
		}
	}
	level := "Read"
	if o.level == directory.LevelReadWrite {
		level = "Read/Write"
	}
	return statusError(http.StatusForbidden, "This operation requires the "+permissionName(o.perm)+" ("+level+") permission.")
}

func permissionName(id int64) string {
	for _, p := range directory.PermissionCatalog {
		if p.ID == id {
			return p.Name
		}
	}
	return "unknown"
}
