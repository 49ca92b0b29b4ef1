package console

import (
	"context"
	"strings"

	"github.com/gatehouse/gatehouse/internal/directory"
)

// userMatches is how many users a search for a member offers.
const userMatches = 10

// userPick is the search for a user to add to a group or team (the
// "userpick" template): the username typed (?user=), the users whose
// usernames start with it, where the search goes (Find) and where a match
// is added (Add), and the roles to choose from, if any.
type userPick struct {
	Term      string
	Matches   []directory.User
	Searched  bool
	Find, Add string
	Roles     []option
}

// pickUsers searches for the users a member form offers: usernames
// starting with the term, ignoring case, as the store matches names.
func (c *console) pickUsers(q *request, find, add string, roles []option) (userPick, error) {
	term := strings.TrimSpace(q.r.URL.Query().Get("user"))
	pick := userPick{Term: term, Searched: term != "", Find: find, Add: add, Roles: roles}
	if term == "" {
		return pick, nil
	}
	if len([]rune(term)) > directory.MaxUsername {
		return pick, directory.Problems{"user": {directory.MsgMaxLen(directory.MaxUsername)}}.Err()
	}
	page, err := c.dir.Users(q.ctx(), directory.Query{Filter: directory.Compare{Attr: directory.UserUsername, Op: directory.OpSw, Value: term},
		Sort: []directory.SortKey{{Attr: directory.UserUsername}}, Limit: userMatches, NoTotal: true})
	pick.Matches = page.Items
	return pick, err
}

// usersByID reads the users ids name in one query, for a page of members.
func (c *console) usersByID(ctx context.Context, ids []int64) (map[int64]directory.User, error) {
	out := map[int64]directory.User{}
	if len(ids) == 0 {
		return out, nil
	}
	var or directory.Or
	for _, id := range ids {
		or = append(or, directory.Eq(directory.UserID, id))
	}
	page, err := c.dir.Users(ctx, directory.Query{Filter: or, Limit: len(ids), NoTotal: true})
	for _, u := range page.Items {
		out[u.ID] = u
	}
	return out, err
}
