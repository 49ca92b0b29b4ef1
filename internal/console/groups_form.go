package console

import (
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/gatehouse/gatehouse/internal/directory"
)

// accessFlag is one of a group policy's yes-or-no permissions (PRA's
// perm_*), named in the form as in the directory's access settings.
type accessFlag struct {
	Name, Label string
	field       func(*directory.AccessSettings) *bool
}

var accessFlags = []accessFlag{
	{"access_allowed", "Allowed to access endpoints", func(a *directory.AccessSettings) *bool { return &a.AccessAllowed }},
	{"share_other_team", "Share sessions with teams they do not belong to", func(a *directory.AccessSettings) *bool { return &a.ShareOtherTeam }},
	{"invite_external_user", "Invite external users", func(a *directory.AccessSettings) *bool { return &a.InviteExternalUser }},
	{"extended_availability_mode", "Extended availability mode", func(a *directory.AccessSettings) *bool { return &a.ExtendedAvailabilityMode }},
	{"edit_external_key", "Edit the external key", func(a *directory.AccessSettings) *bool { return &a.EditExternalKey }},
	{"collaborate", "Collaborate in sessions", func(a *directory.AccessSettings) *bool { return &a.Collaborate }},
	{"collaborate_control", "Take control of collaborated sessions", func(a *directory.AccessSettings) *bool { return &a.CollaborateControl }},
	{"jump_client", "Jump Clients", func(a *directory.AccessSettings) *bool { return &a.JumpClient }},
	{"local_jump", "Local Jump", func(a *directory.AccessSettings) *bool { return &a.LocalJump }},
	{"remote_jump", "Remote Jump", func(a *directory.AccessSettings) *bool { return &a.RemoteJump }},
	{"remote_vnc", "Remote VNC", func(a *directory.AccessSettings) *bool { return &a.RemoteVNC }},
	{"remote_rdp", "Remote RDP", func(a *directory.AccessSettings) *bool { return &a.RemoteRDP }},
	{"shell_jump", "Shell Jump", func(a *directory.AccessSettings) *bool { return &a.ShellJump }},
	{"web_jump", "Web Jump", func(a *directory.AccessSettings) *bool { return &a.WebJump }},
	{"protocol_tunnel", "Protocol tunnel Jump", func(a *directory.AccessSettings) *bool { return &a.ProtocolTunnel }},
	{"static_port_for_external_tools", "Static port for external tools", func(a *directory.AccessSettings) *bool { return &a.StaticPortForExternalTools }},
}

// jumpRole is one of a group policy's Jump Item role ids.
type jumpRole struct {
	Name, Label string
	field       func(*directory.AccessSettings) *int64
}

var jumpRoles = []jumpRole{
	{directory.FieldDefaultJumpItemRole, "Default Jump Item role id", func(a *directory.AccessSettings) *int64 { return &a.DefaultJumpItemRoleID }},
	{directory.FieldPrivateJumpItemRole, "Personal Jump Item role id", func(a *directory.AccessSettings) *int64 { return &a.PrivateJumpItemRoleID }},
	{directory.FieldInferiorJumpItemRole, "Teams Jump Item role id", func(a *directory.AccessSettings) *int64 { return &a.InferiorJumpItemRoleID }},
	{directory.FieldUnassignedJumpItemRole, "System Jump Item role id", func(a *directory.AccessSettings) *int64 { return &a.UnassignedJumpItemRoleID }},
}

var accessStatuses = []option{
	{string(directory.AccessNotDefined), "Not defined: sets no permissions"},
	{string(directory.AccessDefined), "Defined: sets the permissions below"},
	{string(directory.AccessFinal), "Final: sets them, and no lower-priority policy may override them"},
}

var idleTimeouts = []option{{"-1", "The site-wide setting"}, {"0", "Never"}, {"300", "5 minutes"}, {"600", "10 minutes"},
	{"900", "15 minutes"}, {"1800", "30 minutes"}, {"3600", "1 hour"}, {"7200", "2 hours"}, {"14400", "4 hours"},
	{"28800", "8 hours"}, {"43200", "12 hours"}, {"86400", "24 hours"}}

var accessLevels = []option{{"0", "None"}, {"1", "Read"}, {"3", "Read/write"}}

// permissionField is a BeyondInsight permission's field in the form.
func permissionField(id int64) string { return "permission_" + strconv.FormatInt(id, 10) }

type groupFormData struct {
	Group         directory.Group // the zero Group on the new page
	Flags         []accessFlag
	Roles         []jumpRole
	Statuses      []option
	Timeouts      []option
	Permissions   []permissionChoice
	Registrations []registrationChoice
}

type permissionChoice struct {
	Field, Name string
	Levels      []option
}

type registrationChoice struct {
	ID      int64
	Name    string
	Checked bool
}

// maxRegistrationChoices bounds the registrations a group form offers;
// a directory has a handful.
const maxRegistrationChoices = 200

// groupFormData reads what the form offers; ticked are the registrations
// ticked.
func (c *console) groupFormData(q *request, g directory.Group, ticked []int64) (groupFormData, error) {
	d := groupFormData{Group: g, Flags: accessFlags, Roles: jumpRoles, Statuses: accessStatuses, Timeouts: idleTimeouts}
	for _, p := range directory.PermissionCatalog {
		d.Permissions = append(d.Permissions, permissionChoice{Field: permissionField(p.ID), Name: p.Name, Levels: accessLevels})
	}
	regs, err := c.dir.APIRegistrations(q.ctx(), directory.Query{Limit: maxRegistrationChoices, NoTotal: true})
	if err != nil {
		return d, err
	}
	listed := map[int64]bool{}
	for _, r := range regs.Items {
		listed[r.ID] = true
		d.Registrations = append(d.Registrations, registrationChoice{ID: r.ID, Name: r.Name, Checked: slices.Contains(ticked, r.ID)})
	}
	// A ticked registration past the first page is offered too, so that
	// saving the form does not take it off the group unseen.
	for _, id := range ticked {
		if listed[id] {
			continue
		}
		r, err := c.dir.APIRegistration(q.ctx(), id)
		switch {
		case directory.IsKind(err, directory.KindNotFound):
			continue
		case err != nil:
			return d, err
		}
		d.Registrations = append(d.Registrations, registrationChoice{ID: r.ID, Name: r.Name, Checked: true})
	}
	return d, nil
}

// groupForm fills the form with a group's values.
func groupForm(g *directory.Group) map[string]string {
	f := map[string]string{
		directory.FieldName:               g.Name,
		directory.FieldDescription:        g.Description,
		directory.FieldExternalID:         g.ExternalID,
		directory.FieldAccessStatus:       string(g.AccessStatus),
		directory.FieldSessionIdleTimeout: strconv.Itoa(g.Access.SessionIdleTimeout),
		"active":                          boolText(g.Active),
		"version":                         strconv.FormatInt(g.Version, 10),
	}
	for _, fl := range accessFlags {
		f[fl.Name] = boolText(*fl.field(&g.Access))
	}
	for _, r := range jumpRoles {
		f[r.Name] = strconv.FormatInt(*r.field(&g.Access), 10)
	}
	for _, p := range directory.PermissionCatalog {
		f[permissionField(p.ID)] = "0"
	}
	for _, gp := range g.Permissions {
		f[permissionField(gp.PermissionID)] = strconv.Itoa(int(gp.Level))
	}
	return f
}

// groupChange reads the form: every field is sent, so each sets its
// field; an unticked checkbox is not sent, and means false. Numbers that
// are not numbers are reported by their fields beside the directory's
// own problems.
func groupChange(q *request, p directory.Problems) directory.GroupChange {
	f := q.r.PostFormValue
	access := directory.AccessSettings{}
	for _, fl := range accessFlags {
		*fl.field(&access) = checked(q, fl.Name)
	}
	access.SessionIdleTimeout = int(formInt(q, directory.FieldSessionIdleTimeout, p))
	for _, r := range jumpRoles {
		*r.field(&access) = formInt(q, r.Name, p)
	}
	perms := []directory.GroupPermission{}
	for _, cp := range directory.PermissionCatalog {
		level := formInt(q, permissionField(cp.ID), p)
		if level != 0 {
			perms = append(perms, directory.GroupPermission{PermissionID: cp.ID, Level: directory.AccessLevel(level)})
		}
	}
	return directory.GroupChange{
		Name:            directory.To(strings.TrimSpace(f(directory.FieldName))),
		Description:     directory.To(strings.TrimSpace(f(directory.FieldDescription))),
		ExternalID:      directory.To(strings.TrimSpace(f(directory.FieldExternalID))),
		AccessStatus:    directory.To(directory.AccessStatus(f(directory.FieldAccessStatus))),
		Access:          directory.To(access),
		Active:          directory.To(checked(q, "active")),
		Permissions:     directory.To(perms),
		RegistrationIDs: directory.To(tickedRegistrations(q, p)),
	}
}

func tickedRegistrations(q *request, p directory.Problems) []int64 {
	ids := []int64{}
	for _, s := range q.r.PostForm["registration"] {
		id, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			p.Add(directory.FieldRegistrationIDs, "must be API registration ids")
			continue
		}
		ids = append(ids, id)
	}
	return ids
}

func (c *console) groupNew(q *request) error {
	g := directory.Group{AccessStatus: directory.AccessNotDefined, Access: directory.DefaultAccess(), Active: true}
	q.form = groupForm(&g)
	d, err := c.groupFormData(q, directory.Group{}, nil)
	if err != nil {
		return err
	}
	return q.render(http.StatusOK, "groups_new", "New group", d)
}

// groupCreate creates a local group, which every face lists.
func (c *console) groupCreate(q *request) error {
	p := directory.Problems{}
	ch := groupChange(q, p)
	err := p.Err()
	var g directory.Group
	if err == nil {
		g, err = c.dir.CreateGroup(q.ctx(), directory.NewGroup{Source: directory.SourceLocal, GroupChange: ch})
	}
	if err != nil {
		d, derr := c.groupFormData(q, directory.Group{}, ch.RegistrationIDs.Value)
		if derr != nil {
			return derr
		}
		return q.refuse(err, "groups_new", "New group", d)
	}
	q.flash("Group " + g.Name + " created.")
	return q.redirect(groupPath(g.ID))
}

func (c *console) groupEditPage(q *request) error {
	g, err := c.group(q)
	if err != nil {
		return err
	}
	q.form = groupForm(&g)
	d, err := c.groupFormData(q, g, g.RegistrationIDs)
	if err != nil {
		return err
	}
	return q.render(http.StatusOK, "groups_edit", "Edit "+g.Name, d)
}

// groupEdit saves the form, refused when the group changed since the form
// was read (its version), so that no one's change is lost unseen.
func (c *console) groupEdit(q *request) error {
	g, err := c.group(q)
	if err != nil {
		return err
	}
	p := directory.Problems{}
	ch := groupChange(q, p)
	version, err := formVersion(q)
	if err == nil {
		err = p.Err()
	}
	if err == nil {
		_, err = c.dir.UpdateGroup(q.ctx(), g.ID, ch, version)
	}
	if err != nil {
		d, derr := c.groupFormData(q, g, ch.RegistrationIDs.Value)
		if derr != nil {
			return derr
		}
		return q.refuse(err, "groups_edit", "Edit "+g.Name, d)
	}
	q.flash("Group " + g.Name + " saved.")
	return q.redirect(groupPath(g.ID))
}
