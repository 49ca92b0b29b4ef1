package console

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"net/http"
	"net/url"
	"strings"

	"github.com/gatehouse/gatehouse/internal/directory"
	"github.com/gatehouse/gatehouse/internal/httpx"
)

// signInCookie carries the sign-in form's CSRF token before there is a
// session (double submit): another site can neither read it nor, with
// SameSite=Strict, send it, so it cannot sign a browser in to its own
// account.
const signInCookie = "gatehouse_console_signin"

// signInTokenLen is the length of its token: 24 random bytes in base64.
const signInTokenLen = 32

// msgSignInRefused is every refused sign-in's message: an unknown user, a
// wrong password, a user who is not an administrator or is disabled, and
// a locked-out source are told apart neither by message nor by cost.
const msgSignInRefused = "The username or password is incorrect, or this account may not sign in here now. " +
	"After repeated failures, sign-in is locked for a while."

type signInData struct{ Next string }

func (c *console) signInPage(q *request) error {
	if c.signedIn(q, true) == nil {
		return q.redirect(nextPath(q.r.URL.Query().Get("next")))
	}
	return c.showSignIn(q, http.StatusOK, nil)
}

// showSignIn renders the form with the token of its cookie in a field,
// making one if the browser has none (keeping it, so that sign-in pages
// open in two tabs both work).
func (c *console) showSignIn(q *request, status int, errs *formErrors) error {
	token := ""
	if ck, err := q.r.Cookie(signInCookie); err == nil && len(ck.Value) == signInTokenLen {
		token = ck.Value
	} else {
		b := make([]byte, 24)
		if _, err := rand.Read(b); err != nil {
			return err
		}
		token = base64.RawURLEncoding.EncodeToString(b)
	}
	http.SetCookie(q.w, &http.Cookie{Name: signInCookie, Value: token, Path: Prefix + "/signin",
		HttpOnly: true, Secure: c.secure(q.r), SameSite: http.SameSiteStrictMode})
	q.sess, q.user, q.errs = session{}, directory.User{}, errs
	q.form = map[string]string{"csrf": token, "username": q.r.PostFormValue("username")}
	return q.render(status, "signin", "Sign in", signInData{Next: nextPath(q.r.FormValue("next"))})
}

// signIn checks a username and password. Every refusal costs one look-up
// and one password hash, and is counted against the user and source by
// the token endpoint's lock-out.
func (c *console) signIn(q *request) error {
	ck, err := q.r.Cookie(signInCookie)
	if err != nil || ck.Value == "" || subtle.ConstantTimeCompare([]byte(ck.Value), []byte(q.r.PostFormValue("csrf"))) != 1 {
		return errCSRF
	}
	name, password := strings.TrimSpace(q.r.PostFormValue("username")), q.r.PostFormValue("password")
	if name == "" || password == "" {
		p := directory.Problems{}
		if name == "" {
			p.Add("username", directory.MsgRequired)
		}
		if password == "" {
			p.Add("password", directory.MsgRequired)
		}
		fe, _ := formError(p.Err())
		return c.showSignIn(q, http.StatusUnprocessableEntity, fe)
	}
	u, ok, err := c.checkPassword(q, name, password)
	if err != nil {
		return err
	}
	if !ok {
		c.log.InfoContext(q.ctx(), "console: sign-in refused", "username", name, "remote", httpx.ClientAddr(q.r).String())
		return c.showSignIn(q, http.StatusUnauthorized, &formErrors{Message: msgSignInRefused})
	}
	if err := c.startSession(q, u, !u.TwoFactorRequired); err != nil {
		return err
	}
	if u.TwoFactorRequired {
		return q.redirect(Prefix + "/totp?next=" + url.QueryEscape(nextPath(q.r.PostFormValue("next"))))
	}
	if err := c.signedInFully(q); err != nil {
		return err
	}
	return q.redirect(nextPath(q.r.PostFormValue("next")))
}

// checkPassword returns the administrator name signs in, and whether the
// password is right and the source not locked out.
func (c *console) checkPassword(q *request, name, password string) (directory.User, bool, error) {
	u, err := c.dir.UserByName(q.ctx(), name)
	switch {
	case directory.IsKind(err, directory.KindNotFound):
		u = directory.User{}
	case err != nil:
		return u, false, err
	}
	addr := httpx.ClientAddr(q.r)
	if u.ID == 0 || !mayUseConsole(&u) || u.IsDirectoryUser() {
		_, err := c.dir.Hasher().Verify(q.ctx(), c.dummy(), password)
		return u, false, err
	}
	ok, err := c.dir.CheckPassword(q.ctx(), u, password)
	if err != nil {
		return u, false, err
	}
	if c.auth.UserSignInLocked(u.ID, addr) {
		return u, false, nil
	}
	if !ok {
		c.auth.UserSignInFailed(u.ID, addr)
		return u, false, nil
	}
	if !u.TwoFactorRequired {
		c.auth.UserSignedIn(u.ID, addr)
	}
	return u, true, nil
}

// signedInFully records the sign-in as the user's last login.
func (c *console) signedInFully(q *request) error {
	return c.dir.RecordSignIn(q.ctx(), q.user.ID, directory.LastLogin{AuthType: "Web console"})
}

// dummy is a password hash nobody knows, made with the server's
// parameters, so that checking it costs what checking a real one does.
func (c *console) dummy() string {
	c.dummyOnce.Do(func() {
		b := make([]byte, 24)
		_, _ = rand.Read(b)
		h, err := c.dir.Hasher().Hash(context.Background(), base64.RawURLEncoding.EncodeToString(b))
		if err != nil {
			h = directory.RandomPasswordHash()
		}
		c.dummyHash = h
	})
	return c.dummyHash
}

func (c *console) signOut(q *request) error {
	if err := c.signedIn(q, false); err != nil && err != errSignedOut {
		return err
	}
	if err := c.endSession(q); err != nil {
		return err
	}
	q.flash("You have signed out.")
	return q.redirect(Prefix + "/signin")
}

// nextPath is where to go after sign-in: a console page the sign-in was
// asked for, never another site.
func nextPath(next string) string {
	if !strings.HasPrefix(next, Prefix+"/") || strings.HasPrefix(next, "//") || strings.ContainsAny(next, "\\\r\n") {
		return Prefix + "/"
	}
	return next
}
