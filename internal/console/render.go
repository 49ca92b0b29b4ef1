package console

import (
	"bytes"
	"embed"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"net/url"
	"path"
	"strings"
	"time"

	"github.com/gatehouse/gatehouse/internal/directory"
	"github.com/gatehouse/gatehouse/internal/httpx"
)

//go:embed templates/*.html
var templateFiles embed.FS

// pages holds one template per page: layout.html and every partial
// (templates/_*.html) with the page's own file, which defines "title" and
// "content". A page is named by its file without .html.
type pages struct{ byName map[string]*template.Template }

func mustParsePages() *pages {
	shared, err := template.New("layout.html").Funcs(funcs).ParseFS(templateFiles, "templates/layout.html", "templates/_*.html")
	if err != nil {
		panic(err)
	}
	names, err := fs.Glob(templateFiles, "templates/*.html")
	if err != nil {
		panic(err)
	}
	p := &pages{byName: map[string]*template.Template{}}
	for _, n := range names {
		base := path.Base(n)
		if base == "layout.html" || strings.HasPrefix(base, "_") {
			continue
		}
		t := template.Must(template.Must(shared.Clone()).ParseFS(templateFiles, n))
		p.byName[strings.TrimSuffix(base, ".html")] = t
	}
	return p
}

var funcs = template.FuncMap{
	"field": newField,
	"time": func(t time.Time) string {
		if t.IsZero() {
			return ""
		}
		return t.UTC().Format("2006-01-02 15:04:05 UTC")
	},
	"timeptr": func(t *time.Time) string {
		if t == nil {
			return "never"
		}
		return t.UTC().Format("2006-01-02 15:04:05 UTC")
	},
	"asset": assetURL,
}

// view is what every page's template gets: the layout's parts, and the
// page's own Data.
type view struct {
	Title  string
	User   *directory.User // nil on the sign-in pages
	CSRF   string
	Nav    []navLink
	Flash  string
	Errors *formErrors
	Form   map[string]string // values of a form shown again
	Data   any
}

// render writes the named page with status, with the refused form's
// errors and values if there are any.
func (q *request) render(status int, page, title string, data any) error {
	t := q.c.pages.byName[page]
	if t == nil {
		return fmt.Errorf("console: no page %q", page)
	}
	v := view{Title: title, Data: data, Form: q.form, Errors: q.errs, Flash: q.takeFlash()}
	if q.sess.IDHash != nil {
		v.CSRF = q.sess.csrf()
	}
	if q.user.ID != 0 && q.sess.SecondFactor {
		v.User, v.Nav = &q.user, navFor(q.r.URL.Path)
	}
	if v.Form == nil {
		v.Form = map[string]string{}
	}
	return q.renderView(status, t, v)
}

func (q *request) renderView(status int, t *template.Template, v view) error {
	var b bytes.Buffer
	if err := t.Execute(&b, v); err != nil {
		return err
	}
	q.w.Header().Set("Content-Type", "text/html; charset=utf-8")
	q.w.WriteHeader(status)
	_, err := q.w.Write(b.Bytes())
	return err
}

// formErrors is a refused form: the message heading the error summary,
// and the messages of each field (by the form's field names, which are
// the directory's). The messages are the directory's, as every API face
// gives them.
type formErrors struct {
	Message string
	Fields  map[string][]string
}

// fieldView is one labelled input, as the "input" partial renders it.
type fieldView struct {
	Name, Label, Type, Value, Hint string
	Errors                         []string
	Required                       bool
}

// newField is the template function that builds one: field name label type
// [required].
func newField(v view, name, label, typ string, required ...bool) fieldView {
	f := fieldView{Name: name, Label: label, Type: typ, Value: v.Form[name], Required: len(required) > 0 && required[0]}
	if v.Errors != nil {
		f.Errors = v.Errors.Fields[name]
	}
	return f
}

// formError turns a directory error into what a form shows: field
// problems beside their fields, a refusal (an administrator changed
// outside the CLI) as the summary, worded as PRA words them.
func formError(err error) (*formErrors, bool) {
	de, ok := directory.AsError(err)
	if !ok || de.Kind == directory.KindNotFound {
		return nil, false
	}
	fe := &formErrors{Message: httpx.Sentence(de.Message), Fields: de.Fields}
	if de.Kind == directory.KindPrecondition {
		fe.Message = "The record was changed by another request at the same time; retry."
	}
	return fe, true
}

// refuse shows page again with err's messages and the values posted, or
// returns err when it is not one a form can show. Passwords are never
// shown again.
func (q *request) refuse(err error, page, title string, data any) error {
	fe, ok := formError(err)
	if !ok {
		return err
	}
	q.errs = fe
	if q.form == nil {
		q.form = map[string]string{}
		for k, v := range q.r.PostForm {
			if k != "csrf" && !strings.Contains(k, "password") && len(v) > 0 {
				q.form[k] = v[0]
			}
		}
	}
	return q.render(http.StatusUnprocessableEntity, page, title, data)
}

// fail renders an error as a page: sign-in for a missing session, 403 for
// a forged form, 404 for what does not exist, 500 (logged, saying nothing)
// for anything else.
func (c *console) fail(q *request, err error) {
	var status int
	var msg string
	de, isDomain := directory.AsError(err)
	switch {
	case errors.Is(err, errSignedOut):
		if q.r.Method == http.MethodGet {
			http.Redirect(q.w, q.r, Prefix+"/signin?next="+url.QueryEscape(q.r.URL.RequestURI()), http.StatusSeeOther)
			return
		}
		status, msg = http.StatusUnauthorized, "Your session has ended. Sign in again."
	case errors.Is(err, errSecondFactor):
		http.Redirect(q.w, q.r, Prefix+"/totp", http.StatusSeeOther)
		return
	case errors.Is(err, errCSRF):
		status, msg = http.StatusForbidden, "The form could not be accepted: it did not come from this console, or your session changed. Go back, reload the page and try again."
	case isDomain && de.Kind == directory.KindNotFound:
		status, msg = http.StatusNotFound, httpx.Sentence(de.Message)
	case isDomain:
		status, msg = http.StatusUnprocessableEntity, "Nothing was changed."
		q.errs, _ = formError(err)
	default:
		status, msg = c.unexpected(q, err), "An internal server error occurred."
	}
	if status == httpx.StatusClientClosed {
		return
	}
	if rerr := q.render(status, "error", http.StatusText(status), msg); rerr != nil {
		c.log.Error("console: rendering the error page failed", "err", rerr)
		http.Error(q.w, msg, status)
	}
}
