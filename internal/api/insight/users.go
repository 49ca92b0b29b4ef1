package insight

import (
	"context"
	"net/http"
	"strings"

	"github.com/gatehouse/gatehouse/internal/directory"
	"github.com/gatehouse/gatehouse/internal/httpx"
)

// listUsers is GET Users: every user, or with ?username= the one user that
// name finds (see directory.UserNameFilter).
func (a *api) listUsers(c *call) error {
	name, ok, err := c.param("username")
	if err != nil {
		return err
	}
	if ok {
		u, err := a.dir.UserByName(c.ctx(), name)
		if err != nil {
			return err
		}
		return c.respond(http.StatusOK, func(j *httpx.JSON) { writeUser(j, &u, "") })
	}
	return stream(c, func(after int64) ([]directory.User, error) {
		page, err := a.dir.Users(c.ctx(), afterID(directory.UserID, after, nil))
		return page.Items, err
	}, userID, writeListedUser)
}

// param returns a query parameter, named in any case. Given more than once
// it is refused: which one to believe would be a guess.
func (c *call) param(name string) (string, bool, error) {
	var vals []string
	for k, vs := range c.r.URL.Query() {
		if strings.EqualFold(k, name) {
			vals = append(vals, vs...)
		}
	}
	switch {
	case len(vals) == 0:
		return "", false, nil
	case len(vals) == 1 && len(vals[0]) > directory.MaxFilterBytes:
		return "", false, badRequest("The query parameter " + name + " " + directory.MsgFilterBytes + ".")
	case len(vals) == 1:
		return vals[0], true, nil
	}
	return "", false, badRequest("The query parameter " + name + " may be given only once.")
}

// answerUser runs fn on the user the path names and answers with the user
// fn returns.
func (c *call) answerUser(fn func(context.Context, int64) (directory.User, error)) error {
	id, err := c.id("id")
	if err != nil {
		return err
	}
	u, err := fn(c.ctx(), id)
	if err != nil {
		return err
	}
	return c.respond(http.StatusOK, func(j *httpx.JSON) { writeUser(j, &u, "") })
}

func (a *api) getUser(c *call) error { return c.answerUser(a.dir.User) }

var (
	userTypeSchema = newSchema(httpx.Field{Name: "UserType", Kind: httpx.String})
	localUserBody  = newSchema(
		httpx.Field{Name: "UserName", Kind: httpx.String},
		httpx.Field{Name: "FirstName", Kind: httpx.String},
		httpx.Field{Name: "LastName", Kind: httpx.String},
		httpx.Field{Name: "EmailAddress", Kind: httpx.String},
		httpx.Field{Name: "Password", Kind: httpx.String},
	).withRules(func(b body) directory.Problems { return localChange(b).Validate() })
	activeDirectoryUserBody = newSchema(
		httpx.Field{Name: "UserName", Kind: httpx.String},
		httpx.Field{Name: "ForestName", Kind: httpx.String},
		httpx.Field{Name: "DomainName", Kind: httpx.String},
		httpx.Field{Name: "BindUser", Kind: httpx.String},
		httpx.Field{Name: "BindPassword", Kind: httpx.String},
		httpx.Field{Name: "UseSSL", Kind: httpx.Bool},
	).withRules(func(b body) directory.Problems { return directoryUser(b, directory.SourceActiveDirectory).Validate() })
	ldapUserBody = newSchema(
		httpx.Field{Name: "HostName", Kind: httpx.String},
		httpx.Field{Name: "DistinguishedName", Kind: httpx.String},
		httpx.Field{Name: "AccountNameAttribute", Kind: httpx.String},
		httpx.Field{Name: "BindUser", Kind: httpx.String},
		httpx.Field{Name: "BindPassword", Kind: httpx.String},
		httpx.Field{Name: "Port", Kind: httpx.Int, Min: 1, Max: 65535},
		httpx.Field{Name: "UseSSL", Kind: httpx.Bool},
	).withRules(func(b body) directory.Problems { return directoryUser(b, directory.SourceLDAP).Validate() })
	applicationUserBody = newSchema(
		httpx.Field{Name: "UserName", Kind: httpx.String},
		httpx.Field{Name: "AccessPolicyID", Kind: httpx.Int, Min: 1, Max: directory.MaxID},
	).withRules(func(b body) directory.Problems { return applicationChange(b).Validate() })
)

// The four user types, as UserType names them (in any case).
const (
	typeLocal           = "beyondinsight"
	typeActiveDirectory = "activedirectory"
	typeLDAP            = "ldapdirectory"
	typeApplication     = "application"
)

// createUser is POST Users, for each of the four user types; BeyondInsight
// is the default.
func (a *api) createUser(c *call) error {
	t, err := c.userType()
	if err != nil {
		return err
	}
	var (
		u      directory.User
		secret string
	)
	switch t {
	case typeLocal:
		b, _, err := c.body(localUserBody, "UserName", "FirstName", "EmailAddress", "Password")
		if err != nil {
			return err
		}
		u, err = a.dir.CreateUser(c.ctx(), directory.NewUser{UserChange: localChange(b)})
		if err != nil {
			return err
		}
	case typeActiveDirectory, typeLDAP:
		if u, err = a.createDirectoryUser(c, t); err != nil {
			return err
		}
	case typeApplication:
		b, _, err := c.body(applicationUserBody, "UserName")
		if err != nil {
			return err
		}
		if u, secret, err = a.dir.CreateApplicationUser(c.ctx(), applicationChange(b)); err != nil {
			return err
		}
	}
	return c.respond(http.StatusOK, func(j *httpx.JSON) { writeUser(j, &u, secret) })
}

// userType reads UserType from the body (which is read again for the
// type's own fields).
func (c *call) userType() (string, error) {
	obj, err := c.object()
	if err != nil {
		return "", err
	}
	v := userTypeSchema.s.Decode(obj)
	if len(v.Problems) > 0 {
		return "", badRequest("UserType must be a string")
	}
	t, ok := v.String("usertype")
	if !ok {
		t = typeLocal
	}
	switch t = strings.ToLower(t); t {
	case typeLocal, typeActiveDirectory, typeLDAP, typeApplication:
		c.cached = obj
		return t, nil
	}
	return "", badRequest("UserType must be one of BeyondInsight, ActiveDirectory, LdapDirectory or Application")
}

func (a *api) createDirectoryUser(c *call, t string) (directory.User, error) {
	kind, s, required := directory.SourceActiveDirectory, activeDirectoryUserBody, []string{"UserName", "DomainName"}
	if t == typeLDAP {
		kind, s, required = directory.SourceLDAP, ldapUserBody, []string{"HostName", "DistinguishedName", "AccountNameAttribute"}
	}
	b, _, err := c.body(s, required...)
	if err != nil {
		return directory.User{}, err
	}
	return a.dir.CreateDirectoryUser(c.ctx(), directoryUser(b, kind))
}

// directoryUser maps an Active Directory or LDAP user body onto what
// creating one takes.
func directoryUser(b body, kind directory.Source) directory.NewDirectoryUser {
	in := directory.NewDirectoryUser{Kind: kind}
	in.AccountName, _ = b.str("UserName")
	in.Domain, _ = b.str("DomainName")
	in.Forest, _ = b.str("ForestName")
	in.Host, _ = b.str("HostName")
	in.DN, _ = b.str("DistinguishedName")
	in.AccountAttribute, _ = b.str("AccountNameAttribute")
	in.BindUser, _ = b.str("BindUser")
	in.BindPassword, _ = b.str("BindPassword")
	in.UseSSL, _ = b.bool("UseSSL")
	port, _ := b.int("Port")
	in.Port = int(port)
	return in
}

// localChange is a BeyondInsight user's fields; LastName, being optional,
// is cleared when not given, since a PUT replaces the user.
func localChange(b body) directory.UserChange {
	ch := directory.UserChange{LastName: directory.To("")}
	setStr(&ch.Username, b, "UserName")
	setStr(&ch.FirstName, b, "FirstName")
	setStr(&ch.LastName, b, "LastName")
	setStr(&ch.Email, b, "EmailAddress")
	setStr(&ch.Password, b, "Password")
	return ch
}

func applicationChange(b body) directory.UserChange {
	var ch directory.UserChange
	setStr(&ch.Username, b, "UserName")
	if id, ok := b.int("AccessPolicyID"); ok {
		ch.AccessPolicyID = directory.To(id)
	}
	return ch
}

func setStr(dst *directory.Set[string], b body, name string) {
	if v, ok := b.str(name); ok {
		*dst = directory.To(v)
	}
}

// updateUser is PUT Users/{id}, for BeyondInsight and application users;
// directory users belong to their directory.
func (a *api) updateUser(c *call) error {
	id, err := c.id("id")
	if err != nil {
		return err
	}
	u, err := a.dir.User(c.ctx(), id)
	if err != nil {
		return err
	}
	var ch directory.UserChange
	switch {
	case u.IsDirectoryUser():
		return badRequest("Cannot update ActiveDirectory or LDAP users.")
	case u.Source == directory.SourceApplication:
		b, _, err := c.body(applicationUserBody, "UserName")
		if err != nil {
			return err
		}
		ch = applicationChange(b)
	default:
		b, _, err := c.body(localUserBody, "UserName", "FirstName", "EmailAddress")
		if err != nil {
			return err
		}
		ch = localChange(b)
	}
	if u, err = a.dir.UpdateUser(c.ctx(), id, ch, u.Version); err != nil {
		return err
	}
	return c.respond(http.StatusOK, func(j *httpx.JSON) { writeUser(j, &u, "") })
}

func (a *api) deleteUser(c *call) error {
	id, err := c.id("id")
	if err != nil {
		return err
	}
	if err := a.dir.DeleteUser(c.ctx(), id); err != nil {
		return err
	}
	return c.ok()
}

func (a *api) quarantineUser(c *call) error { return c.answerUser(a.dir.QuarantineUser) }

// recycleSecret is POST Users/{id}/RecycleClientSecret: the answer is the
// new secret, as a JSON string.
func (a *api) recycleSecret(c *call) error {
	id, err := c.id("id")
	if err != nil {
		return err
	}
	_, secret, err := a.dir.RecycleClientSecret(c.ctx(), id)
	if err != nil {
		return err
	}
	return c.respond(http.StatusOK, func(j *httpx.JSON) { j.StringValue(secret) })
}
