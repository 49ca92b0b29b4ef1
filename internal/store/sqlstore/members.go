package sqlstore

import (
	"context"
	"database/sql"

	"github.com/gatehouse/gatehouse/internal/directory"
)

// memberFields are the columns a write sets, in memberValues order.
var memberFields = []string{"group_id", "security_provider_id", "user_id", "distinguished_name", "group_name", "created_at"}

var memberCols = "m.id, " + qualify("m", memberFields)

var membersList = &listSpec{cols: memberCols, from: "members m", scope: "m.group_id",
	attrs: attrColumns{directory.MemberID: "m.id"}, id: "m.id"}

var (
	stMember           = newStmt("SELECT " + memberCols + " FROM members m WHERE m.group_id = ? AND m.id = ?")
	stInsertMember     = newStmt(insertSQL("members", memberFields) + " ON CONFLICT DO NOTHING RETURNING id")
	stDeleteMember     = newStmt("DELETE FROM members WHERE group_id = ? AND id = ?")
	stDeleteUserMember = newStmt("DELETE FROM members WHERE group_id = ? AND user_id = ?")
)

func memberValues(m *directory.Member, created int64) []any {
	return []any{m.GroupID, m.SecurityProviderID, nullInt(m.UserID), m.DistinguishedName, m.GroupName, created}
}

func scanMember(sc scanner) (directory.Member, error) {
	var (
		m       directory.Member
		user    sql.NullInt64
		created int64
	)
	err := sc.Scan(&m.ID, &m.GroupID, &m.SecurityProviderID, &user, &m.DistinguishedName, &m.GroupName, &created)
	m.UserID, m.CreatedAt = user.Int64, fromMicros(created)
	return m, err
}

func (r reader) Member(ctx context.Context, groupID, memberID int64) (directory.Member, error) {
	return get(ctx, r, stMember, "group member", scanMember, groupID, memberID)
}

func (r reader) Members(ctx context.Context, groupID int64, q directory.Query) (directory.Page[directory.Member], error) {
	return list(ctx, r, membersList, groupID, q, scanMember)
}

// AddMember reports every duplicate (the same user, DN or external group
// name) as a Conflict on user_id.
func (t *tx) AddMember(ctx context.Context, m *directory.Member) error {
	id, err := t.insert(ctx, stInsertMember, taken(directory.FieldUserID), memberValues(m, micros(t.now))...)
	if err != nil {
		return err
	}
	m.ID, m.CreatedAt = id, t.now
	return nil
}

func (t *tx) RemoveMember(ctx context.Context, groupID, memberID int64) error {
	return t.delete(ctx, stDeleteMember, "group member", groupID, memberID)
}

func (t *tx) RemoveUserMember(ctx context.Context, groupID, userID int64) error {
	_, err := t.q.Exec(ctx, t.sql(stDeleteUserMember), groupID, userID)
	return err
}
