// Package console is the web console at /console: server-rendered HTML
// over the same directory.Service as the API faces. Like them it only
// translates, here between HTML forms and the directory; every rule and
// every message is the directory's.
//
// # Adding a page
//
// An area (users, groups, ...) has its own file, users.go, with a routes
// method that console.routes (routes.go) calls, and its templates named
// after it: templates/users_list.html, templates/users_edit.html. Put its
// navigation entry in nav (nav.go) and, if audit events name its records,
// its path in targetPaths (events.go).
//
// A handler is a func(*request) error. Register it with c.page (a signed-
// in administrator whose second factor is done; the request's context
// then carries the administrator as the directory.Actor, so every write
// is audited as theirs and refused where the directory refuses users,
// such as changing an administrator) or c.public (no session: sign-in
// only):
//
//	func (c *console) usersRoutes() {
//		c.page("GET "+Prefix+"/users", c.usersList)
//		c.page("POST "+Prefix+"/users/{id}/delete", c.userDelete)
//	}
//
// Patterns are http.ServeMux's; read a path value with q.r.PathValue and
// parse ids with pathID, which answers 404 for one that is not an id.
//
// # Rendering
//
// q.render(status, "users_list", "Users", data) executes the page's
// template inside templates/layout.html (landmarks, skip link,
// navigation, flash message, error summary). The page file defines
// "title" and "content"; the content reads its data as .Data, the
// refused form's values as .Form and its errors as .Errors. Partials live
// in templates/_*.html, shared by every page:
//
//	{{template "csrf" .}}                          the hidden CSRF field every POST form needs
//	{{template "input" (field . "username" "Username" "text" true)}}
//	                                               a labelled input with its errors (ids f-<name>)
//	{{template "pager" .Data.Pager}}               previous/next links of a paged table
//	{{template "events" .Data.Events}}             a table of audit events
//
// No inline script, style attribute or event handler: the Content-
// Security-Policy refuses them. Static files are in static/ and are linked
// with {{asset "console.css"}}. Tables need <th scope="col">, inputs a
// <label for>, and a page one <h1>; the end-to-end test checks these on
// every page it visits.
//
// # Forms
//
// Every POST form carries {{template "csrf" .}}; c.page refuses a POST
// without the session's token, or from another origin, with a 403 page.
// After a successful write, set q.flash("User created.") and return
// q.redirect(path) (303, so a reload does not post again). When the
// directory refuses the write, return q.refuse(err, page, title, data): it
// shows the page again with 422, the posted values (never a password) and
// the directory's messages beside their fields, which the form names as
// the directory does (directory.FieldUsername, ...). Any other error is
// returned as it is: fail renders a 404 for a directory NotFound and a
// logged 500 for anything unexpected.
//
// Deleting asks first: a GET page with a confirmation form (see
// users_delete.html) whose POST does the deletion.
//
// # Lists
//
// listPage (table.go) reads a paged table's page and page size from the
// query string, asks the directory for one page and returns a pager for
// the "pager" partial. Totals come from the store's kept counts, so a
// table stays fast at a million rows; filters are directory.Expr, as the
// API faces build them.
package console
