package directory

import (
	"context"
	"errors"
	"strings"
)

// UserNameFilter is how BeyondInsight finds a user by name. A plain name
// finds a user of this directory (not Active Directory or LDAP, whose
// names carry their domain); DOMAIN\name finds that directory user; a
// principal name, name@domain, finds the directory user name of domain,
// or else a user whose name is that whole address. The filter matches
// every candidate; UserByName applies the preference.
func UserNameFilter(name string) Expr {
	f := userNameFilters(name)
	if len(f) == 1 {
		return f[0]
	}
	return Or(f)
}

// userNameFilters are the filters a name is looked up with, in order of
// preference.
func userNameFilters(name string) []Expr {
	notDirectory := Not{X: isDirectoryUser}
	if strings.Contains(name, `\`) {
		return []Expr{Eq(UserUsername, name)}
	}
	if at := strings.LastIndexByte(name, '@'); at > 0 && at < len(name)-1 {
		return []Expr{
			And{Eq(UserUsername, name[at+1:]+`\`+name[:at]), isDirectoryUser},
			And{Eq(UserUsername, name), notDirectory},
		}
	}
	return []Expr{And{Eq(UserUsername, name), notDirectory}}
}

var isDirectoryUser = Or{Eq(UserSource, string(SourceLDAP)), Eq(UserSource, string(SourceActiveDirectory))}

// UserByName returns the user UserNameFilter finds; for a principal name
// that both a directory user and a user named by the whole address match,
// the directory user.
func (s *Service) UserByName(ctx context.Context, name string) (User, error) {
	if !nameCanExist(name) {
		return User{}, NotFound("user")
	}
	for _, f := range userNameFilters(name) {
		page, err := s.store.Users(ctx, Query{Filter: f, Limit: 1, NoTotal: true})
		if err != nil {
			return User{}, err
		}
		if len(page.Items) > 0 {
			return page.Items[0], nil
		}
	}
	return User{}, NotFound("user")
}

// GroupByName returns the group named name, compared regardless of case.
func (s *Service) GroupByName(ctx context.Context, name string) (Group, error) {
	if nameCanExist(name) {
		page, err := s.store.Groups(ctx, Query{Filter: Eq(GroupName, name), Limit: 1, NoTotal: true})
		if err != nil {
			return Group{}, err
		}
		if len(page.Items) > 0 {
			return page.Items[0], nil
		}
	}
	return Group{}, NotFound("group")
}

// nameCanExist reports whether a user or group could have the name. Names
// hold no control characters (see checkText), and PostgreSQL cannot even
// compare a string that holds NUL, so a look-up of such a name finds no
// one without asking the store.
func nameCanExist(name string) bool {
	return !strings.ContainsFunc(name, func(r rune) bool { return r < 0x20 || r == 0x7f })
}

// CheckPassword reports whether password is the user's: against the stored
// hash for a user of this directory, by binding as the user for a
// directory user. Application users have no password.
func (s *Service) CheckPassword(ctx context.Context, u User, password string) (bool, error) {
	switch {
	case u.Source == SourceApplication || password == "":
		return false, nil
	case !u.IsDirectoryUser():
		if u.PasswordHash == "" {
			return false, nil
		}
		return s.hasher.Verify(ctx, u.PasswordHash, password)
	case s.finder == nil:
		return false, nil
	}
	p, err := s.store.SecurityProvider(ctx, u.SecurityProviderID)
	if err != nil || p.Directory == nil {
		return false, err
	}
	b := p.Directory.Bind()
	b.BindUser, b.BindPassword = u.DistinguishedName, password
	err = s.finder.Bind(ctx, b)
	switch {
	case err == nil:
		return true, nil
	case errors.Is(err, ErrDirectoryBind):
		return false, nil
	}
	return false, err
}
