package directory

import (
	"context"
	"slices"
)

// Permission is one of the features a group can grant its members
// BeyondInsight access to.
type Permission struct {
	ID   int64
	Name string
}

// The permissions this directory enforces. The catalog lists only these:
// a permission nothing checks would be a promise nothing keeps.
const (
	PermUserAccounts int64 = 1
	PermQuarantine   int64 = 2
)

// PermissionCatalog lists every permission, in ID order.
var PermissionCatalog = []Permission{
	{ID: PermUserAccounts, Name: "User Accounts Management"},
	{ID: PermQuarantine, Name: "Password Safe API Global Quarantine"},
}

// AccessLevel is how far a group grants a permission, with BeyondInsight's
// numbering.
type AccessLevel int

const (
	LevelNone      AccessLevel = 0
	LevelRead      AccessLevel = 1
	LevelReadWrite AccessLevel = 3
)

// GroupPermission is one permission a group grants.
type GroupPermission struct {
	PermissionID int64       `json:"permission_id"`
	Level        AccessLevel `json:"access_level"`
}

func validatePermissions(p Problems, ps []GroupPermission) {
	seen := map[int64]bool{}
	for _, gp := range ps {
		if !slices.ContainsFunc(PermissionCatalog, func(x Permission) bool { return x.ID == gp.PermissionID }) {
			p.Add(FieldPermissions, "must name permissions that exist; "+itoa(gp.PermissionID)+" does not")
			continue
		}
		if gp.Level != LevelNone && gp.Level != LevelRead && gp.Level != LevelReadWrite {
			p.Add(FieldPermissions, "access levels must be 0 (none), 1 (read) or 3 (read/write)")
		}
		if seen[gp.PermissionID] {
			p.Add(FieldPermissions, "must name each permission once; "+itoa(gp.PermissionID)+" is repeated")
		}
		seen[gp.PermissionID] = true
	}
}

// Grants is a user's effective permissions: for each permission the
// highest level any of its active groups grants.
type Grants map[int64]AccessLevel

// Allows reports whether the grants reach level on permission.
func (g Grants) Allows(permission int64, level AccessLevel) bool { return g[permission] >= level }

// maxGroupsPerUser bounds how many groups a permission check reads; a user
// in more groups than this is a modelling mistake, not a workload.
const maxGroupsPerUser = MaxPageSize

// UserGrants computes the user's effective permissions from the active
// groups it belongs to.
func (s *Service) UserGrants(ctx context.Context, userID int64) (Grants, error) {
	groups, err := s.store.UserGroups(ctx, userID, Query{Limit: maxGroupsPerUser, NoTotal: true})
	if err != nil {
		return nil, err
	}
	return grantsOf(groups.Items), nil
}

func grantsOf(groups []Group) Grants {
	g := Grants{}
	for _, grp := range groups {
		if !grp.Active {
			continue
		}
		for _, gp := range grp.Permissions {
			g[gp.PermissionID] = max(g[gp.PermissionID], gp.Level)
		}
	}
	return g
}

// MayUseRegistration reports whether one of the user's active groups has
// the API registration, which BeyondInsight requires of a run-as user.
func (s *Service) MayUseRegistration(ctx context.Context, userID, registrationID int64) (bool, error) {
	groups, err := s.store.UserGroups(ctx, userID, Query{Limit: maxGroupsPerUser, NoTotal: true})
	if err != nil {
		return false, err
	}
	for _, g := range groups.Items {
		if g.Active && slices.Contains(g.RegistrationIDs, registrationID) {
			return true, nil
		}
	}
	return false, nil
}
