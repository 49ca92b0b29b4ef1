package console

import (
	"encoding/base64"
	"net/http"
)

// A flash is the one-line outcome of a form ("User created."), carried by
// a cookie across the redirect that follows the form and shown once.
const flashCookie = "gatehouse_console_flash"

// flash sets the message the next page shows.
func (q *request) flash(msg string) {
	http.SetCookie(q.w, &http.Cookie{Name: flashCookie, Value: base64.RawURLEncoding.EncodeToString([]byte(msg)),
		Path: Prefix + "/", HttpOnly: true, Secure: q.c.secure(q.r), SameSite: http.SameSiteStrictMode})
}

// takeFlash returns the message set by the request before, and clears it.
func (q *request) takeFlash() string {
	ck, err := q.r.Cookie(flashCookie)
	if err != nil {
		return ""
	}
	http.SetCookie(q.w, &http.Cookie{Name: flashCookie, Path: Prefix + "/", MaxAge: -1, HttpOnly: true,
		Secure: q.c.secure(q.r), SameSite: http.SameSiteStrictMode})
	b, err := base64.RawURLEncoding.DecodeString(ck.Value)
	if err != nil || len(b) > 300 {
		return ""
	}
	return string(b)
}
