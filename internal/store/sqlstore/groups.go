package sqlstore

import (
	"context"
	"encoding/json"
	"slices"

	"github.com/gatehouse/gatehouse/internal/directory"
)

var groupFields = []string{"name", "description", "source", "security_provider_id", "external_id",
	"access_status", "access", "active", "permissions", "registration_ids"}

var groupCols = "g.id, " + qualify("g", groupFields) + ", g.created_at, g.updated_at, g.version"

var groupAttrs = attrColumns{
	directory.GroupID:         "g.id",
	directory.GroupName:       "g.name",
	directory.GroupExternalID: "g.external_id",
	directory.GroupSource:     "g.source",
	directory.GroupCreatedAt:  "g.created_at",
	directory.GroupUpdatedAt:  "g.updated_at",
	directory.GroupMember:     "g.id", // a membership: see memberships
}

var (
	groupsList     = &listSpec{cols: groupCols, from: "groups g", attrs: groupAttrs, id: "g.id", table: "groups g"}
	userGroupsList = &listSpec{cols: groupCols, from: "members m JOIN groups g ON g.id = m.group_id",
		scope: "m.user_id", attrs: groupAttrs, id: "g.id", table: "groups g"}
)

var (
	stGroup       = newStmt("SELECT " + groupCols + " FROM groups g WHERE g.id = ?")
	stGroupExists = newStmt("SELECT 1 FROM groups WHERE id = ?")
	stInsertGroup = newStmt(insertSQL("groups", versioned(groupFields)) + " ON CONFLICT DO NOTHING RETURNING id")
	stUpdateGroup = newStmt("UPDATE groups SET " + assignments(groupFields) +
		", updated_at = ?, version = version + 1 WHERE id = ? AND NOT EXISTS (SELECT 1 FROM groups o" +
		" WHERE lower(o.name) = ? AND o.id <> ?) RETURNING version")
	stDeleteGroup = newStmt("DELETE FROM groups WHERE id = ?")
)

// groupValues stores empty permission and registration lists as []; scanGroup
// reads both back as nil.
func groupValues(g *directory.Group, extra int) []any {
	return append(make([]any, 0, len(groupFields)+extra),
		g.Name, g.Description, string(g.Source), g.SecurityProviderID, g.ExternalID,
		string(g.AccessStatus), jsonText(g.Access), g.Active, jsonList(g.Permissions), jsonList(g.RegistrationIDs))
}

func scanGroup(sc scanner) (directory.Group, error) {
	var (
		g                      directory.Group
		source, status, access string
		perms, registrations   string
		created, modified      int64
	)
	err := sc.Scan(&g.ID, &g.Name, &g.Description, &source, &g.SecurityProviderID, &g.ExternalID,
		&status, &access, &g.Active, &perms, &registrations, &created, &modified, &g.Version)
	if err != nil {
		return g, err
	}
	g.Source, g.AccessStatus = directory.Source(source), directory.AccessStatus(status)
	g.CreatedAt, g.UpdatedAt = fromMicros(created), fromMicros(modified)
	if perms != "[]" {
		if err := json.Unmarshal([]byte(perms), &g.Permissions); err != nil {
			return g, err
		}
	}
	if registrations != "[]" {
		if err := json.Unmarshal([]byte(registrations), &g.RegistrationIDs); err != nil {
			return g, err
		}
	}
	g.Access, err = decodeAccess(access)
	return g, err
}

func (r reader) Group(ctx context.Context, id int64) (directory.Group, error) {
	return get(ctx, r, stGroup, "group", scanGroup, id)
}

func (r reader) Groups(ctx context.Context, q directory.Query) (directory.Page[directory.Group], error) {
	return list(ctx, r, groupsList, 0, q, scanGroup)
}

func (r reader) UserGroups(ctx context.Context, userID int64, q directory.Query) (directory.Page[directory.Group], error) {
	return list(ctx, r, userGroupsList, userID, q, scanGroup)
}

// maxInList bounds the parameters of one IN list, well inside every
// database's limit on bound parameters.
const maxInList = 1000

func (r reader) UserGroupIDs(ctx context.Context, userIDs []int64) (map[int64][]int64, error) {
	return r.pairs(ctx, "SELECT user_id, group_id FROM members WHERE user_id IN (", ") ORDER BY user_id, group_id", userIDs)
}

// pairs runs head + an IN list of keys + tail, a query of (key, value)
// rows, maxInList keys at a time, and returns each key's values in the
// order the rows come. Keys without rows are left out of the map.
func (r reader) pairs(ctx context.Context, head, tail string, keys []int64) (map[int64][]int64, error) {
	out := make(map[int64][]int64, len(keys))
	for chunk := range slices.Chunk(keys, maxInList) {
		b := &sqlBuf{numbered: r.numbered}
		b.WriteString(head)
		for i, id := range chunk {
			if i > 0 {
				b.WriteString(", ")
			}
			b.bind(id)
		}
		b.WriteString(tail)
		rows, err := r.q.Query(ctx, b.String(), b.args...)
		if err := collectPairs(rows, err, out); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// collectPairs appends each (key, value) row's value to its key's list.
func collectPairs(rows Rows, err error, out map[int64][]int64) error {
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var key, value int64
		if err := rows.Scan(&key, &value); err != nil {
			return err
		}
		out[key] = append(out[key], value)
	}
	if err := rows.Err(); err != nil {
		return err
	}
	return rows.Close()
}

func (t *tx) CreateGroup(ctx context.Context, g *directory.Group) error {
	now := micros(t.now)
	id, err := t.insert(ctx, stInsertGroup, taken(directory.FieldName),
		append(groupValues(g, 3), now, now, int64(1))...)
	if err != nil {
		return err
	}
	g.ID, g.CreatedAt, g.UpdatedAt, g.Version = id, t.now, t.now, 1
	return nil
}

func (t *tx) UpdateGroup(ctx context.Context, g *directory.Group) error {
	version, err := t.update(ctx, stUpdateGroup,
		t.missingOrTaken(ctx, stGroupExists, g.ID, "group", taken(directory.FieldName)),
		append(groupValues(g, 4), micros(t.now), g.ID, foldASCII(g.Name), g.ID)...)
	if err != nil {
		return err
	}
	g.UpdatedAt, g.Version = t.now, version
	return nil
}

func (t *tx) DeleteGroup(ctx context.Context, id int64) error {
	return t.delete(ctx, stDeleteGroup, "group", id)
}
