package public

import (
	"math"
	"net/http"

	"github.com/gatehouse/gatehouse/internal/directory"
	"github.com/gatehouse/gatehouse/internal/httpx"
)

func writeGroup(j *httpx.JSON, g *directory.Group) {
	j.Object()
	j.Int("id", g.ID)
	j.String("name", g.Name)
	j.String("description", g.Description)
	j.EndObject()
}

func (a *api) listGroups(c *call) error {
	problems := c.queryProblems
	offset, limit := c.page(problems)
	if len(problems) > 0 {
		return c.badQuery()
	}
	page, err := a.dir.Groups(c.ctx(), directory.Query{Offset: offset, Limit: limit})
	if err != nil {
		return err
	}
	return c.respond(http.StatusOK, func(j *httpx.JSON) {
		j.Object()
		j.Array("groups")
		for i := range page.Items {
			writeGroup(j, &page.Items[i])
		}
		j.EndArray()
		j.Int("total", int64(page.Total))
		j.EndObject()
	})
}

var memberSchema = httpx.NewSchema(
	httpx.Field{Name: "user_id", Kind: httpx.Int, Min: 1, Max: math.MaxInt32},
	// A client may send back what it was given.
	httpx.Field{Name: "group_id", Kind: httpx.Int, Min: 1, Max: math.MaxInt32},
)

// addMember makes a user a direct member of the group; a user that already
// is one gets the same answer, so that a retry is safe.
func (a *api) addMember(c *call) error {
	gid, _, err := c.groupIDs(false)
	if err != nil {
		return err
	}
	obj, err := c.object(false)
	if err != nil {
		return err
	}
	v := memberSchema.Decode(obj)
	left := addUnknown(v.Problems, v.Unknown, "field")
	if _, sent := obj["user_id"]; !sent {
		v.Problems["user_id"] = append(v.Problems["user_id"], directory.MsgRequired)
	}
	if n, ok := v.Int("group_id"); ok && n != gid {
		v.Problems["group_id"] = append(v.Problems["group_id"], "must be the group id in the URL")
	}
	if len(v.Problems) > 0 {
		return &apiError{status: http.StatusUnprocessableEntity, msg: msgInvalid + notListed(left, "field"), fields: v.Problems}
	}
	uid, _ := v.Int("user_id")
	if _, err := a.dir.UpdateGroupAndMembers(c.ctx(), gid, directory.GroupChange{},
		directory.MembersChange{Add: []int64{uid}}, 0); err != nil {
		return err
	}
	return c.respond(http.StatusOK, func(j *httpx.JSON) {
		j.Object()
		j.Int("group_id", gid)
		j.Int("user_id", uid)
		j.EndObject()
	})
}

// removeMember ends a user's direct membership of the group: 404 when the
// group or the user does not exist, or the user is not a member.
func (a *api) removeMember(c *call) error {
	gid, uid, err := c.groupIDs(true)
	if err != nil {
		return err
	}
	if _, err := a.dir.Group(c.ctx(), gid); err != nil {
		return err
	}
	page, err := a.dir.UserGroups(c.ctx(), uid, directory.Query{Filter: directory.Eq(directory.GroupID, gid), Limit: 1, NoTotal: true})
	if err != nil {
		return err
	}
	if len(page.Items) == 0 {
		return statusError(http.StatusNotFound, "The user is not a member of the group.")
	}
	if _, err := a.dir.UpdateGroupAndMembers(c.ctx(), gid, directory.GroupChange{},
		directory.MembersChange{Remove: []int64{uid}}, 0); err != nil {
		return err
	}
	return c.noContent()
}
