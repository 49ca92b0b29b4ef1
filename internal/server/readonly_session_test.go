package server_test

import (
	"net/http"
	"testing"

	"github.com/gatehouse/gatehouse/internal/directory"
	"github.com/gatehouse/gatehouse/internal/testserver"
)

// A read_only token may not become a BeyondInsight session: the session
// would outlive the token's scope (sessions remember the account, not the
// scope), and a cookie that writes is what the scope exists to prevent.
// The token itself still reads through BeyondInsight.
func TestReadOnlyTokenOpensNoSession(t *testing.T) {
	s := testserver.New(t)
	id, secret := s.NewAccount(t, "everything", directory.FullPermissions())
	readOnly := scopedToken(t, s, id, secret, "read_only")
	const bi = "/BeyondTrust/api/public/v3"
	r := s.Do(t, http.MethodPost, bi+"/Auth/SignAppIn", readOnly, "")
	if r.Status != http.StatusForbidden || len(r.Header.Values("Set-Cookie")) != 0 {
		t.Fatalf("SignAppIn with a read_only token: %d %s %v, want 403 and no cookie", r.Status, r.Body, r.Header.Values("Set-Cookie"))
	}
	if msg, _ := r.JSON(t).(string); msg != "A read_only token cannot open a session: send it with each request instead." {
		t.Errorf("message %s", r.Body)
	}
	if r := s.Do(t, http.MethodGet, bi+"/Users", readOnly, ""); r.Status != http.StatusOK {
		t.Errorf("read with the read_only token: %d %s", r.Status, r.Body)
	}
}
