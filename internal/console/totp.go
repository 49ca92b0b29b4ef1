package console

import (
	"bytes"
	"crypto/subtle"
	"encoding/base32"
	"image/png"
	"net/http"
	"strings"
	"time"

	"github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"

	"github.com/gatehouse/gatehouse/internal/directory"
	"github.com/gatehouse/gatehouse/internal/httpx"
)

// TOTP codes as every authenticator app makes them by default (RFC 6238:
// SHA-1, six digits, 30-second steps). A code of the step before or after
// the current one is accepted too, for clocks a little apart.
var totpOpts = totp.ValidateOpts{Period: 30, Skew: 1, Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1}

const totpIssuer = "Gatehouse"

type totpData struct {
	Enrol  bool
	Secret string // shown while enrolling, for typing into an app by hand
	Next   string
}

// totpSession loads the session of a user who signed in with a password
// and must now give a code.
func (c *console) totpSession(q *request) error {
	err := c.signedIn(q, false)
	if err == nil && q.sess.SecondFactor {
		return q.redirect(nextPath(q.r.FormValue("next")))
	}
	return err
}

// enrolment returns the user's TOTP secret, making one if it has none
// yet; enrol reports whether it still waits for its first code.
func (c *console) enrolment(q *request) (t directory.TOTP, enrol bool, err error) {
	t, err = c.store.UserTOTP(q.ctx(), q.user.ID)
	switch {
	case err == nil:
		return t, !t.Confirmed, nil
	case !directory.IsKind(err, directory.KindNotFound):
		return t, false, err
	}
	key, err := totp.Generate(totp.GenerateOpts{Issuer: totpIssuer, AccountName: q.user.Username})
	if err != nil {
		return t, false, err
	}
	t = directory.TOTP{UserID: q.user.ID, Secret: key.Secret()}
	if err := c.store.PutUserTOTP(q.ctx(), t); err != nil && !directory.IsKind(err, directory.KindConflict) {
		return t, false, err
	}
	// Another request may have made or confirmed one first: use that.
	t, err = c.store.UserTOTP(q.ctx(), q.user.ID)
	return t, !t.Confirmed, err
}

func (c *console) totpPage(q *request) error {
	if err := c.totpSession(q); err != nil || q.sess.SecondFactor {
		return err
	}
	return c.showTOTP(q, http.StatusOK)
}

func (c *console) showTOTP(q *request, status int) error {
	t, enrol, err := c.enrolment(q)
	if err != nil {
		return err
	}
	d := totpData{Enrol: enrol, Next: nextPath(q.r.FormValue("next"))}
	if enrol {
		d.Secret = t.Secret
	}
	title := "Enter your code"
	if enrol {
		title = "Set up two-factor sign-in"
	}
	return q.render(status, "totp", title, d)
}

// totpQR is the enrolment QR code, for the signed-in user only and only
// until the first code confirms it.
func (c *console) totpQR(q *request) error {
	if err := c.signedIn(q, false); err != nil {
		return err
	}
	t, enrol, err := c.enrolment(q)
	if err != nil {
		return err
	}
	if !enrol {
		return directory.NotFound("QR code")
	}
	key, err := keyOf(t, q.user.Username)
	if err != nil {
		return err
	}
	img, err := key.Image(240, 240)
	if err != nil {
		return err
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		return err
	}
	q.w.Header().Set("Content-Type", "image/png")
	_, err = q.w.Write(b.Bytes())
	return err
}

func keyOf(t directory.TOTP, username string) (*otp.Key, error) {
	secret, err := base32.StdEncoding.WithPadding(base32.NoPadding).DecodeString(t.Secret)
	if err != nil {
		return nil, err
	}
	return totp.Generate(totp.GenerateOpts{Issuer: totpIssuer, AccountName: username, Secret: secret})
}

// totpVerify checks a code: right for a step no code was accepted for
// before (so a code works once), from a source not locked out. A wrong
// code counts towards the lock-out as a wrong password does.
func (c *console) totpVerify(q *request) error {
	if err := c.totpSession(q); err != nil || q.sess.SecondFactor {
		return err
	}
	t, _, err := c.enrolment(q)
	if err != nil {
		return err
	}
	addr := httpx.ClientAddr(q.r)
	code := strings.TrimSpace(strings.ReplaceAll(q.r.PostFormValue("code"), " ", ""))
	step, ok := matchStep(t.Secret, code, c.now())
	if ok && !c.auth.UserSignInLocked(q.user.ID, addr) {
		ok, err = c.store.AcceptTOTPStep(q.ctx(), q.user.ID, step)
		if err != nil {
			return err
		}
	} else {
		ok = false
	}
	if !ok {
		c.auth.UserSignInFailed(q.user.ID, addr)
		q.errs = &formErrors{Message: "The code is incorrect or was used already. Enter the current code from your app.",
			Fields: map[string][]string{"code": {"is incorrect or was used already"}}}
		return c.showTOTP(q, http.StatusUnprocessableEntity)
	}
	c.auth.UserSignedIn(q.user.ID, addr)
	if err := c.startSession(q, q.user, true); err != nil {
		return err
	}
	if err := c.signedInFully(q); err != nil {
		return err
	}
	return q.redirect(nextPath(q.r.PostFormValue("next")))
}

// matchStep returns the time step, of those allowed at now, whose code is
// code. Every allowed step is compared, in constant time, whatever
// matched.
func matchStep(secret, code string, now time.Time) (int64, bool) {
	if len(code) != totpOpts.Digits.Length() {
		return 0, false
	}
	cur := now.Unix() / int64(totpOpts.Period)
	var step int64
	found := false
	for s := cur - int64(totpOpts.Skew); s <= cur+int64(totpOpts.Skew); s++ {
		want, err := totp.GenerateCodeCustom(secret, time.Unix(s*int64(totpOpts.Period), 0), totpOpts)
		if err == nil && subtle.ConstantTimeCompare([]byte(want), []byte(code)) == 1 && !found {
			step, found = s, true
		}
	}
	return step, found
}
