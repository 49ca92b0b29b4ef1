package pra

import (
	"context"
	"math"

	"github.com/gatehouse/gatehouse/internal/directory"
	"github.com/gatehouse/gatehouse/internal/httpx"
)

var memberSchema = httpx.NewSchema(
	httpx.Field{Name: "id", ReadOnly: true},
	// PRA's guide names group_policy_id among a new member's fields,
	// though the path already says which policy: it must agree.
	httpx.Field{Name: "group_policy_id", Kind: httpx.Int, Min: 1, Max: math.MaxInt32},
	httpx.Field{Name: "security_provider_id", Kind: httpx.Int, Min: 1, Max: math.MaxInt32},
	httpx.Field{Name: "user_id", Kind: httpx.Int, Min: 1, Max: math.MaxInt32},
	httpx.Field{Name: "distinguished_name", Kind: httpx.String},
	httpx.Field{Name: "group_name", Kind: httpx.String},
)

// writeMember writes a GroupPolicyMember. user_id, distinguished_name and
// group_name exist only for the kinds of member that have them (the schema
// says so of the last two), so all three are left out when empty rather
// than written as null or "".
func writeMember(j *httpx.JSON, m *directory.Member) {
	j.Object()
	j.Int("id", m.ID)
	j.Int("security_provider_id", m.SecurityProviderID)
	if m.UserID != 0 {
		j.Int("user_id", m.UserID)
	}
	if m.DistinguishedName != "" {
		j.String("distinguished_name", m.DistinguishedName)
	}
	if m.GroupName != "" {
		j.String("group_name", m.GroupName)
	}
	j.EndObject()
}

func (a *api) listMembers(c *call) error {
	id, err := c.id()
	if err != nil {
		return err
	}
	return list(c, nil, func(ctx context.Context, q directory.Query) (directory.Page[directory.Member], error) {
		return a.dir.Members(ctx, id, q)
	}, writeMember)
}

func (a *api) getMember(c *call) error {
	ids, err := c.ids("id", "member_id")
	if err != nil {
		return err
	}
	m, err := a.dir.Member(c.ctx(), ids[0], ids[1])
	if err != nil {
		return err
	}
	return c.respond(200, func(j *httpx.JSON) { writeMember(j, &m) })
}

func (a *api) addMember(c *call) error {
	id, err := c.id()
	if err != nil {
		return err
	}
	v, err := c.checkedBody(memberSchema, sameID("group_policy_id", id, "must be the id of the group policy in the URL"),
		"security_provider_id")
	if err != nil {
		return err
	}
	var in directory.MemberInput
	in.SecurityProviderID, _ = v.Int("security_provider_id")
	in.UserID, _ = v.Int("user_id")
	in.DistinguishedName, _ = v.String("distinguished_name")
	in.GroupName, _ = v.String("group_name")
	m, err := a.dir.AddMember(c.ctx(), id, in)
	if err != nil {
		return err
	}
	return c.created("/group-policy/"+itoa(id)+"/member/"+itoa(m.ID), func(j *httpx.JSON) { writeMember(j, &m) })
}

func (a *api) removeMember(c *call) error {
	ids, err := c.ids("id", "member_id")
	if err != nil {
		return err
	}
	if err := a.dir.RemoveMember(c.ctx(), ids[0], ids[1]); err != nil {
		return err
	}
	return c.noContent()
}
