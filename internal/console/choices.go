package console

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/gatehouse/gatehouse/internal/directory"
)

// option is one choice of a select.
type option struct{ Value, Label string }

// selectView is one labelled select, as the "select" partial renders it;
// the selected option is the form's value of the field.
type selectView struct {
	fieldView
	Options []option
}

// The template functions of the forms' selects and text areas live with
// their types rather than in render.go's map, which every area would
// otherwise edit.
func init() {
	funcs["choice"] = func(v view, name, label string, opts []option) selectView {
		return selectView{fieldView: newField(v, name, label, "select"), Options: opts}
	}
}

func validOption(opts []option, v string) bool {
	for _, o := range opts {
		if o.Value == v {
			return true
		}
	}
	return false
}

// list renders a page read from a query string (a list and its search,
// a record and its member search), or it again with 422 and the
// problems beside their fields when the query is refused.
func (q *request) list(err error, page, title string, data any) error {
	if err != nil {
		fe, ok := formError(err)
		if !ok {
			return err
		}
		q.errs = fe
		return q.render(http.StatusUnprocessableEntity, page, title, data)
	}
	return q.render(http.StatusOK, page, title, data)
}

// accessOptions are an API account's three levels on one API, in the
// directory's words.
var accessOptions = []option{
	{string(directory.AccessNone), "No access (deny)"},
	{string(directory.AccessReadOnly), "Read only"},
	{string(directory.AccessFullAccess), "Full access"},
}

// addressList reads a text area of IP addresses and CIDR prefixes, one a
// line or separated by commas, as the API faces' lists are.
func addressList(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == '\n' || r == '\r' || r == ' ' || r == '\t' })
}

// formInt reads a whole number a form sent, adding a problem under name
// when it is not one.
func formInt(q *request, name string, p directory.Problems) int64 {
	s := strings.TrimSpace(q.r.PostFormValue(name))
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		p.Add(name, "must be a whole number")
	}
	return n
}

// checked reads a checkbox: an unticked one is not sent.
func checked(q *request, name string) bool { return q.r.PostFormValue(name) == "true" }

// boolText is a checkbox's value in a form shown again.
func boolText(b bool) string { return strconv.FormatBool(b) }
