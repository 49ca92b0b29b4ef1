package console

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"net/http"
	"net/url"
	"time"

	"github.com/gatehouse/gatehouse/internal/directory"
	"github.com/gatehouse/gatehouse/internal/httpx"
)

// A console session ends after SessionIdle without a request, and
// SessionMaxAge after sign-in whatever happens; one waiting for its second
// factor ends after pendingMaxAge. LastSeen is written at most every
// touchEvery, as BeyondInsight's sessions are.
const (
	SessionIdle   = 30 * time.Minute
	SessionMaxAge = 12 * time.Hour
	pendingMaxAge = 5 * time.Minute
	touchEvery    = 30 * time.Second
)

// sessionCookie carries the session; it is scoped to the console's path,
// so no other face ever receives it.
const sessionCookie = "gatehouse_console"

// session is the cookie value (32 random bytes; only its SHA-256 is
// stored) and its stored row.
type session struct {
	cookie string
	directory.ConsoleSession
}

// csrf is the session's CSRF token: derived from the cookie, which script
// cannot read (HttpOnly) and another site cannot send (SameSite=Strict),
// so it needs no storage and ends with the session.
func (s session) csrf() string {
	sum := sha256.Sum256([]byte("gatehouse console csrf\x00" + s.cookie))
	return base64.RawURLEncoding.EncodeToString(sum[:])
}

var (
	// errSignedOut sends the browser to the sign-in page.
	errSignedOut = errors.New("console: not signed in")
	// errCSRF refuses a form that is not the console's own.
	errCSRF = errors.New("console: CSRF check failed")
	// errSecondFactor sends a session waiting for its code to the code page.
	errSecondFactor = errors.New("console: second factor pending")
)

// startSession signs u in: a new session (a new cookie, so that nothing
// set before sign-in survives it) that is done, or waits for the second
// factor.
func (c *console) startSession(q *request, u directory.User, secondFactor bool) error {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return err
	}
	now := c.now()
	s := session{cookie: base64.RawURLEncoding.EncodeToString(b), ConsoleSession: directory.ConsoleSession{
		UserID: u.ID, Generation: u.SecretGeneration, SecondFactor: secondFactor, CreatedAt: now, LastSeen: now}}
	s.IDHash = directory.HashSecret(s.cookie)
	// Sessions that ended are swept here, so that abandoned ones do not
	// pile up without a background loop.
	if err := c.store.DeleteConsoleSessions(q.ctx(), now.Add(-SessionIdle), now.Add(-SessionMaxAge)); err != nil {
		return err
	}
	if err := c.store.CreateConsoleSession(q.ctx(), &s.ConsoleSession); err != nil {
		return err
	}
	if q.sess.IDHash != nil {
		if err := c.store.DeleteConsoleSession(q.ctx(), q.sess.IDHash); err != nil {
			return err
		}
	}
	q.sess, q.user = s, u
	c.setCookie(q, s.cookie, 0)
	return nil
}

func (c *console) setCookie(q *request, value string, maxAge int) {
	http.SetCookie(q.w, &http.Cookie{Name: sessionCookie, Value: value, Path: Prefix + "/", MaxAge: maxAge,
		HttpOnly: true, Secure: c.secure(q.r), SameSite: http.SameSiteStrictMode})
}

// endSession signs out: the stored session goes, and the cookie with it.
func (c *console) endSession(q *request) error {
	if q.sess.IDHash != nil {
		if err := c.store.DeleteConsoleSession(q.ctx(), q.sess.IDHash); err != nil {
			return err
		}
	}
	c.setCookie(q, "", -1)
	return nil
}

// signedIn loads the request's session and its administrator, checking
// again what sign-in checked: the session ends when idle or old, when the
// user is deleted, disabled, quarantined or no longer an administrator,
// or its password changed. With full, a session still waiting for its
// second factor is refused. A POST must carry the session's CSRF token.
func (c *console) signedIn(q *request, full bool) error {
	ck, err := q.r.Cookie(sessionCookie)
	if err != nil || ck.Value == "" {
		return errSignedOut
	}
	hash := directory.HashSecret(ck.Value)
	s, err := c.store.ConsoleSession(q.ctx(), hash)
	switch {
	case directory.IsKind(err, directory.KindNotFound):
		return errSignedOut
	case err != nil:
		return err
	}
	q.sess = session{cookie: ck.Value, ConsoleSession: s}
	now := c.now()
	maxAge := SessionMaxAge
	if !s.SecondFactor {
		maxAge = pendingMaxAge
	}
	if now.Sub(s.LastSeen) >= SessionIdle || now.Sub(s.CreatedAt) >= maxAge {
		return c.expire(q)
	}
	u, err := c.dir.User(q.ctx(), s.UserID)
	switch {
	case directory.IsKind(err, directory.KindNotFound):
		return c.expire(q)
	case err != nil:
		return err
	}
	if !mayUseConsole(&u) || u.SecretGeneration != s.Generation {
		return c.expire(q)
	}
	q.user = u
	if q.r.Method == http.MethodPost && !validCSRF(q) {
		return errCSRF
	}
	if full && !s.SecondFactor {
		return errSecondFactor
	}
	if now.Sub(s.LastSeen) >= touchEvery {
		if err := c.store.TouchConsoleSession(q.ctx(), hash, now); err != nil && !directory.IsKind(err, directory.KindNotFound) {
			return err
		}
	}
	q.r = q.r.WithContext(directory.WithActor(q.ctx(), directory.Actor{Kind: directory.ActorUser, ID: u.ID, Name: u.Username}))
	httpx.SetPrincipal(q.ctx(), "console-user:"+u.Username)
	return nil
}

// expire ends a session that may no longer be used.
func (c *console) expire(q *request) error {
	if err := c.endSession(q); err != nil {
		return err
	}
	q.sess = session{}
	return errSignedOut
}

// mayUseConsole is who may sign in: an administrator (PRA's perm_admin)
// whose account is usable.
func mayUseConsole(u *directory.User) bool {
	return u.Admin && u.Enabled && !u.Quarantined
}

func validCSRF(q *request) bool {
	got := q.r.PostFormValue("csrf")
	return got != "" && subtle.ConstantTimeCompare([]byte(got), []byte(q.sess.csrf())) == 1
}

// sameOrigin is the CSRF defence beside the token: a browser says where a
// form was posted from (Sec-Fetch-Site, Origin), and only the console's
// own origin may post. A client that sends neither (not a browser) is left
// to the token. Under Referrer-Policy: no-referrer a browser sends
// "Origin: null" even for its own forms, so that origin counts only with
// Sec-Fetch-Site: same-origin.
func sameOrigin(r *http.Request, publicURL string) bool {
	site := r.Header.Get("Sec-Fetch-Site")
	switch site {
	case "", "same-origin", "none":
	default:
		return false
	}
	origin := r.Header.Get("Origin")
	switch {
	case origin == "":
		return true
	case origin == "null":
		return site == "same-origin"
	}
	u, err := url.Parse(origin)
	if err != nil {
		return false
	}
	if u.Host == r.Host {
		return true
	}
	p, err := url.Parse(publicURL)
	return err == nil && publicURL != "" && u.Host == p.Host && u.Scheme == p.Scheme
}
