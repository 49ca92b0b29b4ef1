package directory

import "time"

// Team is a PRA team: users with a role each.
type Team struct {
	ID        int64
	Name      string
	CodeName  string
	Comments  *string
	CreatedAt time.Time
	UpdatedAt time.Time
}

// TeamChange carries the fields a team write sets.
type TeamChange struct {
	Name     Set[string]
	CodeName Set[string]
	Comments Set[*string]
}

func (c TeamChange) apply(t *Team) {
	c.Name.apply(&t.Name)
	c.CodeName.apply(&t.CodeName)
	c.Comments.apply(&t.Comments)
}

func (c TeamChange) Validate() Problems {
	p := Problems{}
	if c.Name.Present {
		checkLen(p, FieldName, c.Name.Value, 1, MaxName)
		checkText(p, FieldName, c.Name.Value)
	}
	if c.CodeName.Present {
		checkCodeName(p, FieldCodeName, c.CodeName.Value)
	}
	if c.Comments.Present && c.Comments.Value != nil {
		checkLen(p, FieldComments, *c.Comments.Value, 0, MaxComments)
	}
	return p
}

// TeamRole is a user's role on a team.
type TeamRole string

const (
	RoleMember  TeamRole = "member"
	RoleLead    TeamRole = "lead"
	RoleManager TeamRole = "manager"
)

// Valid reports whether r is one of the three roles.
func (r TeamRole) Valid() bool { return r == RoleMember || r == RoleLead || r == RoleManager }

// Check adds to p the problem with r, if any: the rule on a team role, for
// the Service and for faces that report it beside their own type errors.
func (r TeamRole) Check(p Problems) {
	if !r.Valid() {
		p.Add(FieldRole, "must be one of member, lead or manager")
	}
}

// TeamUser is a user's membership of a team.
type TeamUser struct {
	TeamID int64
	UserID int64
	Role   TeamRole
}
