package public

import (
	"bytes"
	"context"
	"encoding/json"
	"math"
	"net/http"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/gatehouse/gatehouse/internal/directory"
	"github.com/gatehouse/gatehouse/internal/httpx"
)

// maxGroups bounds group_memberships: each named group is checked in the
// write's transaction, and no real user is a direct member of more.
const maxGroups = 1000

// userSchema is the body of POST and PUT /users. The read-only fields are
// declared so that a client may send back a user it has read; the handlers
// check them against the stored user.
var userSchema = httpx.NewSchema(
	httpx.Field{Name: "username", Kind: httpx.String},
	httpx.Field{Name: "password", Kind: httpx.String},
	httpx.Field{Name: "display_name", Kind: httpx.String},
	httpx.Field{Name: "email_address", Kind: httpx.String},
	httpx.Field{Name: "enabled", Kind: httpx.Bool},
	httpx.Field{Name: "account_type", Kind: httpx.String},
	httpx.Field{Name: "group_memberships", Kind: httpx.IntArray, Min: 1, Max: math.MaxInt32},
	httpx.Field{Name: "public_key", Kind: httpx.String},
	httpx.Field{Name: "locale", Kind: httpx.String},
	httpx.Field{Name: "id", ReadOnly: true},
	httpx.Field{Name: "last_login", ReadOnly: true},
	httpx.Field{Name: "created_at", ReadOnly: true},
)

// The account types a user can be created as, and what each is.
var creatable = map[string]directory.Source{
	"local": directory.SourceLocal,
	"ldap":  directory.SourceLDAP,
	"saml":  directory.SourceSAML,
}

// accountType names a user's source in this API. Active Directory is an
// LDAP directory to it; users that SCIM provisioned and BeyondInsight's
// application users show their own kinds, which cannot be created here.
func accountType(s directory.Source) string {
	switch s {
	case directory.SourceActiveDirectory:
		return "ldap"
	case "":
		return "local"
	}
	return string(s)
}

// writeUser writes a user; password never appears.
func writeUser(j *httpx.JSON, u *directory.User, groups []int64) {
	j.Object()
	j.Int("id", u.ID)
	j.String("username", u.Username)
	j.String("display_name", u.DisplayName)
	j.String("email_address", u.Email)
	j.Bool("enabled", u.Enabled)
	j.String("account_type", accountType(u.Source))
	j.Ints("group_memberships", groups)
	j.String("public_key", u.PublicKey)
	j.Time("last_login", u.LastLogin.At)
	j.Time("created_at", &u.CreatedAt)
	j.String("locale", u.Locale)
	j.EndObject()
}

// respondUser answers with one user and its ETag.
func (c *call) respondUser(status int, u *directory.User, groups []int64) error {
	c.w.Header().Set("ETag", httpx.ETag(u.Version))
	return c.respond(status, func(j *httpx.JSON) { writeUser(j, u, groups) })
}

// userGroupIDs lists the groups a user is a direct member of, by id.
func (a *api) userGroupIDs(ctx context.Context, userID int64) ([]int64, error) {
	m, err := a.dir.UserGroupIDs(ctx, []int64{userID})
	return m[userID], err
}

func (a *api) listUsers(c *call) error {
	problems := c.queryProblems
	offset, limit := c.page(problems)
	var filter directory.Expr
	if s, ok := c.param("username"); ok {
		switch {
		case s == "":
			problems["username"] = append(problems["username"], "must not be empty")
		case !utf8.ValidString(s):
			problems["username"] = append(problems["username"], "must be valid UTF-8")
		default:
			filter = directory.Eq(directory.UserUsername, s)
		}
	}
	if len(problems) > 0 {
		return c.badQuery()
	}
	page, err := a.dir.Users(c.ctx(), directory.Query{Filter: filter, Offset: offset, Limit: limit})
	if err != nil {
		return err
	}
	ids := make([]int64, len(page.Items))
	for i := range page.Items {
		ids[i] = page.Items[i].ID
	}
	groups, err := a.dir.UserGroupIDs(c.ctx(), ids)
	if err != nil {
		return err
	}
	return c.respond(http.StatusOK, func(j *httpx.JSON) {
		j.Object()
		j.Array("users")
		for i := range page.Items {
			writeUser(j, &page.Items[i], groups[page.Items[i].ID])
		}
		j.EndArray()
		j.Int("total", int64(page.Total))
		j.EndObject()
	})
}

func (a *api) getUser(c *call) error {
	id, err := c.userID()
	if err != nil {
		return err
	}
	u, err := a.dir.User(c.ctx(), id)
	if err != nil {
		return err
	}
	groups, err := a.userGroupIDs(c.ctx(), id)
	if err != nil {
		return err
	}
	return c.respondUser(http.StatusOK, &u, groups)
}

// userBody is a decoded user body: the writable fields, and the problems
// found so far by wire name.
type userBody struct {
	obj      map[string]json.RawMessage
	v        *httpx.Values
	problems map[string][]string
	notes    string // unknown fields left unnamed, for the message
}

// readUser reads and type-checks a user body; unknown fields are problems.
func (c *call) readUser(needBody bool) (*userBody, error) {
	obj, err := c.object(needBody)
	if err != nil {
		return nil, err
	}
	v := userSchema.Decode(obj)
	b := &userBody{obj: obj, v: v, problems: v.Problems}
	b.notes = notListed(addUnknown(b.problems, v.Unknown, "field"), "field")
	if ids, ok := v.Ints("group_memberships"); ok && len(ids) > maxGroups {
		b.add("group_memberships", "may list at most 1000 groups")
	}
	return b, nil
}

func (b *userBody) sent(name string) bool { _, ok := b.obj[name]; return ok }

func (b *userBody) add(name, msg string) { b.problems[name] = append(b.problems[name], msg) }

// check adds the directory's field rules for change to the problems found
// so far (leaving alone the fields that already have one, such as a type
// error), and returns every problem as one 422. derivedName says the
// display name was derived from the username: when the username is
// invalid, so is the name, for a reason already given.
func (b *userBody) check(change directory.UserChange, derivedName bool) error {
	vp := change.Validate()
	if _, bad := vp[directory.FieldUsername]; derivedName && bad {
		delete(vp, directory.FieldDisplayName)
	}
	for field, msgs := range vp {
		if name := wireName(field); len(b.problems[name]) == 0 {
			b.problems[name] = msgs
		}
	}
	if len(b.problems) > 0 {
		return &apiError{status: http.StatusUnprocessableEntity, msg: msgInvalid + b.notes, fields: b.problems}
	}
	return nil
}

// change maps the writable fields the body has onto a directory change.
func (b *userBody) change() directory.UserChange {
	var c directory.UserChange
	set(&c.Username, b.v.String, "username")
	set(&c.Password, b.v.String, "password")
	set(&c.DisplayName, b.v.String, "display_name")
	set(&c.Email, b.v.String, "email_address")
	set(&c.Enabled, b.v.Bool, "enabled")
	set(&c.PublicKey, b.v.String, "public_key")
	set(&c.Locale, b.v.String, "locale")
	return c
}

// groups returns group_memberships sorted and without repeats (nil when
// the body has none).
func (b *userBody) groups() []int64 {
	ids, ok := b.v.Ints("group_memberships")
	if !ok {
		return nil
	}
	ids = slices.Clone(ids)
	slices.Sort(ids)
	return slices.Compact(ids)
}

// set copies a decoded field into a directory change when the body has it.
func set[T any](dst *directory.Set[T], get func(string) (T, bool), name string) {
	if v, ok := get(name); ok {
		*dst = directory.To(v)
	}
}

const msgReadOnly = "is read-only: the server sets it"

// createUser adds a user of account_type local, ldap or saml, at once a
// member of the groups in group_memberships. A local user needs a
// password; the directory refuses one for the others, which authenticate
// elsewhere. Omitted fields take the defaults PUT also uses.
func (a *api) createUser(c *call) error {
	b, err := c.readUser(false)
	if err != nil {
		return err
	}
	for _, name := range []string{"id", "created_at", "last_login"} {
		if b.sent(name) {
			b.add(name, msgReadOnly)
		}
	}
	var src directory.Source
	if t, ok := b.v.String("account_type"); ok {
		if src, ok = creatable[strings.ToLower(t)]; !ok {
			b.add("account_type", "must be local, ldap or saml")
		}
	} else if !b.sent("account_type") {
		b.add("account_type", directory.MsgRequired)
	}
	if src == directory.SourceLocal && !b.sent("password") {
		b.add("password", "is required for local accounts")
	}
	change := b.change()
	if !b.sent("username") {
		b.add("username", directory.MsgRequired)
	}
	if err := b.check(change, false); err != nil {
		return err
	}
	groups := b.groups()
	u, err := a.dir.CreateUserInGroups(c.ctx(), directory.NewUser{Source: src, UserChange: change}, groups)
	if err != nil {
		return err
	}
	if groups == nil {
		groups = []int64{}
	}
	c.w.Header().Set("ETag", httpx.ETag(u.Version))
	return c.created("/users/"+itoa(u.ID), func(j *httpx.JSON) { writeUser(j, &u, groups) })
}

// replaceUser is PUT: a full replace. Every writable field the body omits
// returns to its default (display_name from the username, email_address,
// public_key "", enabled true, locale en-us, group_memberships none), except
// the username and password, which stay as they are. Read-only fields sent
// back must be the stored ones (last_login, which every sign-in changes, is
// ignored). If-Match makes it conditional on the user's ETag; without it
// the last writer wins, the default display name included (it follows the
// username read just before the write).
func (a *api) replaceUser(c *call) error {
	id, err := c.userID()
	if err != nil {
		return err
	}
	ifVersion, ok := httpx.IfMatch(c.r.Header)
	if !ok {
		return statusError(http.StatusPreconditionFailed, msgStale)
	}
	b, err := c.readUser(true)
	if err != nil {
		return err
	}
	cur, err := a.dir.User(c.ctx(), id)
	if err != nil {
		return err
	}
	if ifVersion != 0 && cur.Version != ifVersion {
		return statusError(http.StatusPreconditionFailed, msgStale)
	}
	b.checkReadOnly(&cur)
	change := b.change()
	derived := !b.sent("display_name")
	if derived {
		name := cur.Username
		if change.Username.Present {
			name = change.Username.Value
		}
		change.DisplayName = directory.To(name)
	}
	defaults(&change)
	if err := b.check(change, derived); err != nil {
		return err
	}
	groups := b.groups()
	if groups == nil {
		groups = []int64{}
	}
	// The directory checks the version again in the write's transaction:
	// what was read above is what If-Match named.
	u, err := a.dir.UpdateUserAndGroups(c.ctx(), id, change, directory.To(groups), ifVersion)
	if err != nil {
		return err
	}
	return c.respondUser(http.StatusOK, &u, groups)
}

// defaults gives each writable field the body omitted its default value;
// username and password are left alone.
func defaults(c *directory.UserChange) {
	if !c.Email.Present {
		c.Email = directory.To("")
	}
	if !c.Enabled.Present {
		c.Enabled = directory.To(true)
	}
	if !c.PublicKey.Present {
		c.PublicKey = directory.To("")
	}
	if !c.Locale.Present {
		c.Locale = directory.To(directory.DefaultLocale)
	}
}

// checkReadOnly compares the read-only fields a PUT body sends back with
// the stored user.
func (b *userBody) checkReadOnly(u *directory.User) {
	if raw, ok := b.obj["id"]; ok && string(bytes.TrimSpace(raw)) != itoa(u.ID) {
		b.add("id", "is read-only and must be the id in the URL")
	}
	if raw, ok := b.obj["created_at"]; ok {
		if t, ok := jsonTime(raw); !ok || t == nil || !t.Equal(u.CreatedAt.UTC().Truncate(time.Second)) {
			b.add("created_at", "is read-only and must be the user's created_at")
		}
	}
	if raw, ok := b.obj["last_login"]; ok {
		if _, ok := jsonTime(raw); !ok {
			b.add("last_login", "must be null or an RFC 3339 date-time in UTC")
		}
	}
	if t, ok := b.v.String("account_type"); ok && !strings.EqualFold(t, accountType(u.Source)) {
		b.add("account_type", "is read-only after creation: this user's is "+accountType(u.Source))
	}
}

// jsonTime reads a JSON null (nil) or RFC 3339 UTC date-time string.
func jsonTime(raw json.RawMessage) (*time.Time, bool) {
	raw = bytes.TrimSpace(raw)
	if string(raw) == "null" {
		return nil, true
	}
	var s string
	if len(raw) == 0 || raw[0] != '"' || json.Unmarshal(raw, &s) != nil {
		return nil, false
	}
	t, ok := httpx.ParseUTC(s)
	return &t, ok
}

// deleteUser removes a user. With If-Match, only the version it names.
func (a *api) deleteUser(c *call) error {
	id, err := c.userID()
	if err != nil {
		return err
	}
	ifVersion, ok := httpx.IfMatch(c.r.Header)
	if !ok {
		return statusError(http.StatusPreconditionFailed, msgStale)
	}
	if err := a.dir.DeleteUserIf(c.ctx(), id, ifVersion); err != nil {
		return err
	}
	return c.noContent()
}
