package console_test

import (
	"net/http"
	"testing"
)

// TestOverview shows the directory's counts, the latest changes, the
// traffic from the metrics and the version.
func TestOverview(t *testing.T) {
	srv, b := signedIn(t)
	srv.AdminToken(t)
	b.createUser("frank")
	p := b.get("/console/")
	wantStatus(t, "overview", p, http.StatusOK)
	wantBody(t, "overview", p,
		`<a href="/console/users"><span class="n">2</span> Users</a>`,
		`<span class="n">1</span> API accounts</a>`,
		"<td>user.create</td>", "user:1 (root)",
		"<dt>Tokens issued</dt><dd>1; ", " a minute over the last ", "<dt>Requests answered</dt>",
		"Gatehouse (devel)")
}
