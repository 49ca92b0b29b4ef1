package sqlstore

import (
	"context"
	"database/sql"

	"github.com/gatehouse/gatehouse/internal/directory"
)

// teamFields are the columns a create sets, in teamValues order.
var teamFields = []string{"name", "code_name", "comments", "created_at", "updated_at"}

var teamCols = "t.id, " + qualify("t", teamFields)

var teamAttrs = attrColumns{
	directory.TeamName:     "t.name",
	directory.TeamCodeName: "t.code_name",
	directory.TeamMember:   "t.id", // a membership: see memberships
}

var (
	teamsList     = &listSpec{cols: teamCols, from: "teams t", attrs: teamAttrs, id: "t.id"}
	teamUsersList = &listSpec{cols: "tu.team_id, tu.user_id, tu.role", from: "team_users tu",
		scope: "tu.team_id", attrs: attrColumns{directory.UserID: "tu.user_id"}, id: "tu.user_id"}
)

var (
	stTeam       = newStmt("SELECT " + teamCols + " FROM teams t WHERE t.id = ?")
	stTeamExists = newStmt("SELECT 1 FROM teams WHERE id = ?")
	stInsertTeam = newStmt(insertSQL("teams", teamFields) + " ON CONFLICT DO NOTHING RETURNING id")
	// Code names are unique regardless of case, as filters match them; empty
	// ones are not unique, as in the partial index.
	stUpdateTeam = newStmt("UPDATE teams SET name = ?, code_name = ?, comments = ?, updated_at = ?" +
		" WHERE id = ? AND NOT EXISTS (SELECT 1 FROM teams o WHERE lower(o.code_name) = ? AND o.code_name <> ''" +
		" AND o.id <> ?) RETURNING id")
	stDeleteTeam     = newStmt("DELETE FROM teams WHERE id = ?")
	stTeamUser       = newStmt("SELECT tu.team_id, tu.user_id, tu.role FROM team_users tu WHERE tu.team_id = ? AND tu.user_id = ?")
	stPutTeamUser    = newStmt("INSERT INTO team_users (team_id, user_id, role) VALUES (?, ?, ?) ON CONFLICT (team_id, user_id) DO UPDATE SET role = excluded.role")
	stDeleteTeamUser = newStmt("DELETE FROM team_users WHERE team_id = ? AND user_id = ?")
)

func teamValues(team *directory.Team, created, updated int64) []any {
	return []any{team.Name, team.CodeName, nullString(team.Comments), created, updated}
}

func scanTeam(sc scanner) (directory.Team, error) {
	var (
		t                 directory.Team
		comments          sql.NullString
		created, modified int64
	)
	err := sc.Scan(&t.ID, &t.Name, &t.CodeName, &comments, &created, &modified)
	t.Comments, t.CreatedAt, t.UpdatedAt = fromNullString(comments), fromMicros(created), fromMicros(modified)
	return t, err
}

func scanTeamUser(sc scanner) (directory.TeamUser, error) {
	var (
		tu   directory.TeamUser
		role string
	)
	err := sc.Scan(&tu.TeamID, &tu.UserID, &role)
	tu.Role = directory.TeamRole(role)
	return tu, err
}

func (r reader) Team(ctx context.Context, id int64) (directory.Team, error) {
	return get(ctx, r, stTeam, "team", scanTeam, id)
}

func (r reader) Teams(ctx context.Context, q directory.Query) (directory.Page[directory.Team], error) {
	return list(ctx, r, teamsList, 0, q, scanTeam)
}

func (r reader) TeamUser(ctx context.Context, teamID, userID int64) (directory.TeamUser, error) {
	return get(ctx, r, stTeamUser, "team user", scanTeamUser, teamID, userID)
}

func (r reader) TeamUsers(ctx context.Context, teamID int64, q directory.Query) (directory.Page[directory.TeamUser], error) {
	return list(ctx, r, teamUsersList, teamID, q, scanTeamUser)
}

func (t *tx) CreateTeam(ctx context.Context, team *directory.Team) error {
	now := micros(t.now)
	id, err := t.insert(ctx, stInsertTeam, taken(directory.FieldCodeName), teamValues(team, now, now)...)
	if err != nil {
		return err
	}
	team.ID, team.CreatedAt, team.UpdatedAt = id, t.now, t.now
	return nil
}

func (t *tx) UpdateTeam(ctx context.Context, team *directory.Team) error {
	_, err := t.update(ctx, stUpdateTeam,
		t.missingOrTaken(ctx, stTeamExists, team.ID, "team", taken(directory.FieldCodeName)),
		team.Name, team.CodeName, nullString(team.Comments), micros(t.now), team.ID, foldASCII(team.CodeName), team.ID)
	if err != nil {
		return err
	}
	team.UpdatedAt = t.now
	return nil
}

func (t *tx) DeleteTeam(ctx context.Context, id int64) error {
	return t.delete(ctx, stDeleteTeam, "team", id)
}

func (t *tx) PutTeamUser(ctx context.Context, tu directory.TeamUser) error {
	_, err := t.q.Exec(ctx, t.sql(stPutTeamUser), tu.TeamID, tu.UserID, string(tu.Role))
	return err
}

func (t *tx) RemoveTeamUser(ctx context.Context, teamID, userID int64) error {
	return t.delete(ctx, stDeleteTeamUser, "team user", teamID, userID)
}
