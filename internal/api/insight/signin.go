package insight

import (
	"errors"
	"net/http"
	"strings"

	"github.com/gatehouse/gatehouse/internal/auth"
	"github.com/gatehouse/gatehouse/internal/directory"
	"github.com/gatehouse/gatehouse/internal/httpx"
)

// token is POST Auth/connect/token, the client-credentials grant.
func (a *api) token(c *call) error {
	// The grant bounds its form tighter still; this makes it honour a
	// smaller configured limit too.
	c.r.Body = http.MaxBytesReader(c.w, c.r.Body, a.maxBody)
	a.auth.ServeInsightToken(c.w, c.r)
	return nil
}

// signAppIn is POST Auth/SignAppIn: the Authorization header (a bearer
// token or PS-Auth) signs in, and the answer's cookie carries the session.
func (a *api) signAppIn(c *call) error {
	if c.r.Header.Get("Authorization") == "" {
		return auth.ErrUnauthenticated
	}
	who, err := a.auth.AuthenticateInsight(c.r)
	if err != nil {
		return err
	}
	cookie, err := a.auth.StartSession(c.ctx(), who)
	if err != nil {
		return err
	}
	if who.Account == nil {
		login, err := a.signInKind(c, who)
		if err == nil {
			err = a.dir.RecordSignIn(c.ctx(), who.User.ID, login)
		}
		if err != nil {
			return err
		}
	}
	http.SetCookie(c.w, &http.Cookie{Name: sessionCookie, Value: cookie, Path: "/", HttpOnly: true,
		Secure: c.r.TLS != nil, SameSite: http.SameSiteLaxMode})
	return c.respond(http.StatusOK, func(j *httpx.JSON) {
		j.Object()
		if who.Account != nil {
			j.Int("UserId", 0)
			j.String("UserName", who.Account.Name)
			j.String("Name", who.Account.Name)
			j.Null("EmailAddress")
		} else {
			u := who.User
			name := strings.TrimSpace(u.FirstName + " " + u.LastName)
			if name == "" {
				name = u.DisplayName
			}
			j.Int("UserId", u.ID)
			j.String("UserName", u.Username)
			j.String("Name", name)
			nullable(j, "EmailAddress", u.Email)
		}
		j.EndObject()
	})
}

// signOut is POST Auth/Signout: it ends the cookie's session, if any.
func (a *api) signOut(c *call) error {
	ck, err := c.r.Cookie(sessionCookie)
	if errors.Is(err, http.ErrNoCookie) || ck.Value == "" {
		return auth.ErrUnauthenticated
	}
	if err := a.auth.EndSession(c.ctx(), ck.Value); err != nil {
		return err
	}
	http.SetCookie(c.w, &http.Cookie{Name: sessionCookie, Value: "", Path: "/", MaxAge: -1, HttpOnly: true,
		Secure: c.r.TLS != nil, SameSite: http.SameSiteLaxMode})
	return c.ok()
}

// signInKind is what a sign-in records as the user's last login: how it
// authenticated, and with which API registration.
func (a *api) signInKind(c *call, who auth.Insight) (directory.LastLogin, error) {
	if who.RegistrationID == 0 {
		return directory.LastLogin{AuthType: "OAuth client credentials"}, nil
	}
	reg, err := a.dir.APIRegistration(c.ctx(), who.RegistrationID)
	return directory.LastLogin{AuthType: "PS-Auth API key", ConfigName: reg.Name}, err
}
