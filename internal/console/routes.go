package console

import "net/http"

// routes registers every page. Each area registers its own in its file's
// routes function (usersRoutes, ...), listed here.
func (c *console) routes() {
	c.mux.Handle("GET "+staticPrefix, serveStatic())
	c.public("GET "+Prefix+"/signin", c.signInPage)
	c.public("POST "+Prefix+"/signin", c.signIn)
	c.public("POST "+Prefix+"/signout", c.signOut)
	c.public("GET "+Prefix+"/totp", c.totpPage)
	c.public("POST "+Prefix+"/totp", c.totpVerify)
	c.public("GET "+Prefix+"/totp/qr.png", c.totpQR)
	c.page("GET "+Prefix+"/{$}", c.overview)
	c.usersRoutes()
	c.groupsRoutes()
	c.teamsRoutes()
	c.accountsRoutes()
	c.registrationsRoutes()
	c.auditRoutes()
	c.mux.Handle(Prefix+"/", c.serve(notFound, true))
}

// notFound is every console path no page has, for a signed-in user.
func notFound(q *request) error {
	return q.render(http.StatusNotFound, "error", "Not found", "There is no such page.")
}
