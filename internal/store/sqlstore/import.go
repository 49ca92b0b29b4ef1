package sqlstore

import (
	"context"
	"slices"
	"strings"

	"github.com/gatehouse/gatehouse/internal/directory"
)

// Imports (directory.Transfer) insert rows with every column given, the id
// included: each create's columns with id in front, many rows to a
// statement. There is no ON CONFLICT: an import starts from an empty
// directory, so a clash means a broken dump, and the statement must fail.

var (
	_ directory.Transfer = (*Store)(nil)
	_ directory.ImportTx = (*tx)(nil)
)

// IDGenerators reads and moves a table's id generator (sqlite_sequence,
// a PostgreSQL identity sequence).
type IDGenerators interface {
	// Last returns the highest id the table's generator has handed out or
	// been moved past, or 0.
	Last(ctx context.Context, q Querier, table string) (int64, error)
	// SetLast makes the generator hand out last+1 next.
	SetLast(ctx context.Context, q Querier, table string, last int64) error
}

// bulkRows is how many rows one import statement inserts. A hundred cut
// the round trips to PostgreSQL, which bound an import there, eightfold;
// even users' 35 columns stay far below the parameters a statement may
// have (32766 in SQLite, 65535 in PostgreSQL).
const bulkRows = 100

// bulk inserts rows of one table, bulkRows to a statement.
type bulk struct {
	one, row string // the INSERT of one row, and the placeholders of one more
	full     *stmt  // bulkRows rows, prepared with the static statements
}

func newBulk(table string, cols []string) *bulk {
	b := &bulk{one: insertSQL(table, cols), row: ", (" + placeholders(len(cols)) + ")"}
	b.full = newStmt(b.text(bulkRows))
	return b
}

func (b *bulk) text(rows int) string { return b.one + strings.Repeat(b.row, rows-1) }

func withID(cols []string) []string { return append([]string{"id"}, cols...) }

var (
	bulkProviders = newBulk("security_providers", withID(providerFields))
	bulkUsers     = newBulk("users", withID(versioned(userFields)))
	bulkGroups    = newBulk("groups", withID(versioned(groupFields)))
	bulkMembers   = newBulk("members", withID(memberFields))
	bulkTeams     = newBulk("teams", withID(teamFields))
	bulkTeamUsers = newBulk("team_users", []string{"team_id", "user_id", "role"})
	bulkAccounts  = newBulk("api_accounts", withID(versioned(accountFields)))
	bulkEvents    = newBulk("events", withID(eventFields))

	bulkRegistrations = newBulk("api_registrations", withID(versioned(registrationFields)))
	bulkSecrets       = newBulk("secrets", withID(secretFields))
)

// insertRows inserts rows, the columns of each given by values.
func insertRows[T any](ctx context.Context, t *tx, b *bulk, rows []T, values func(*T) []any) error {
	for chunk := range slices.Chunk(rows, bulkRows) {
		var args []any
		for i := range chunk {
			args = append(args, values(&chunk[i])...)
		}
		q := t.sql(b.full)
		if len(chunk) < bulkRows {
			if q = b.text(len(chunk)); t.numbered {
				q = rebind(q)
			}
		}
		if _, err := t.q.Exec(ctx, q, args...); err != nil {
			return err
		}
	}
	return nil
}

// idTable is a table whose ids a generator hands out, with the statements
// an import needs for it.
type idTable struct {
	name  string
	mark  func(*directory.IDMarks) *int64
	maxID *stmt
	clear *stmt
}

func newIDTable(name string, mark func(*directory.IDMarks) *int64, keep string) idTable {
	return idTable{name: name, mark: mark,
		maxID: newStmt("SELECT coalesce(max(id), 0) FROM " + name),
		clear: newStmt("DELETE FROM " + name + keep)}
}

// idTables lists the tables with ids in the order Clear empties them:
// rows that refer to others first.
var idTables = []idTable{
	newIDTable("members", func(m *directory.IDMarks) *int64 { return &m.Member }, ""),
	newIDTable("events", func(m *directory.IDMarks) *int64 { return &m.Event }, ""),
	newIDTable("api_accounts", func(m *directory.IDMarks) *int64 { return &m.APIAccount }, ""),
	// A secret's owners go with it.
	newIDTable("secrets", func(m *directory.IDMarks) *int64 { return &m.Secret }, ""),
	newIDTable("api_registrations", func(m *directory.IDMarks) *int64 { return &m.APIRegistration }, ""),
	newIDTable("teams", func(m *directory.IDMarks) *int64 { return &m.Team }, ""),
	newIDTable("users", func(m *directory.IDMarks) *int64 { return &m.User }, ""),
	newIDTable("groups", func(m *directory.IDMarks) *int64 { return &m.Group }, ""),
	// The built-in local provider comes with the schema and stays.
	newIDTable("security_providers", func(m *directory.IDMarks) *int64 { return &m.SecurityProvider },
		" WHERE id <> 1"),
}

// These go first: their tables have no ids of their own. Sessions are not
// imported, but a session left from before would name a user id that an
// imported user may now have.
var (
	stClearTeamUsers = newStmt("DELETE FROM team_users")
	stClearSessions  = newStmt("DELETE FROM sessions")
)

// IDMarks reads every table's generator.
func (s *Store) IDMarks(ctx context.Context) (directory.IDMarks, error) {
	return idMarks(ctx, s.q, s.d.IDs)
}

func idMarks(ctx context.Context, q Querier, ids IDGenerators) (directory.IDMarks, error) {
	var m directory.IDMarks
	for _, t := range idTables {
		last, err := ids.Last(ctx, q, t.name)
		if err != nil {
			return m, err
		}
		*t.mark(&m) = last
	}
	return m, nil
}

// Import runs fn in a write transaction, as Write does.
func (s *Store) Import(ctx context.Context, fn func(directory.ImportTx) error) error {
	return s.write(ctx, func(t *tx) error { return fn(t) })
}

func (t *tx) ImportSecurityProviders(ctx context.Context, ps []directory.SecurityProvider) error {
	return insertRows(ctx, t, bulkProviders, ps, func(p *directory.SecurityProvider) []any {
		return append([]any{p.ID}, providerValues(p)...)
	})
}

func (t *tx) ImportUsers(ctx context.Context, us []directory.User) error {
	return insertRows(ctx, t, bulkUsers, us, func(u *directory.User) []any {
		return append(append([]any{u.ID}, userValues(u, 0)...), micros(u.CreatedAt), micros(u.UpdatedAt), u.Version)
	})
}

func (t *tx) ImportGroups(ctx context.Context, gs []directory.Group) error {
	return insertRows(ctx, t, bulkGroups, gs, func(g *directory.Group) []any {
		return append(append([]any{g.ID}, groupValues(g, 0)...), micros(g.CreatedAt), micros(g.UpdatedAt), g.Version)
	})
}

func (t *tx) ImportMembers(ctx context.Context, ms []directory.Member) error {
	return insertRows(ctx, t, bulkMembers, ms, func(m *directory.Member) []any {
		return append([]any{m.ID}, memberValues(m, micros(m.CreatedAt))...)
	})
}

func (t *tx) ImportTeams(ctx context.Context, ts []directory.Team) error {
	return insertRows(ctx, t, bulkTeams, ts, func(team *directory.Team) []any {
		return append([]any{team.ID}, teamValues(team, micros(team.CreatedAt), micros(team.UpdatedAt))...)
	})
}

func (t *tx) ImportTeamUsers(ctx context.Context, tus []directory.TeamUser) error {
	return insertRows(ctx, t, bulkTeamUsers, tus, func(tu *directory.TeamUser) []any {
		return []any{tu.TeamID, tu.UserID, string(tu.Role)}
	})
}

func (t *tx) ImportAPIAccounts(ctx context.Context, as []directory.APIAccount) error {
	return insertRows(ctx, t, bulkAccounts, as, func(a *directory.APIAccount) []any {
		return append(append([]any{a.ID}, accountValues(a, 0)...), micros(a.CreatedAt), micros(a.UpdatedAt), a.Version)
	})
}

func (t *tx) ImportAPIRegistrations(ctx context.Context, rs []directory.APIRegistration) error {
	return insertRows(ctx, t, bulkRegistrations, rs, func(r *directory.APIRegistration) []any {
		return append(append([]any{r.ID}, registrationValues(r, 0)...), micros(r.CreatedAt), micros(r.UpdatedAt), r.Version)
	})
}

// ImportSecrets stores the owners sorted and once each, as CreateSecret
// does, without changing the caller's slices.
func (t *tx) ImportSecrets(ctx context.Context, ss []directory.Secret) error {
	err := insertRows(ctx, t, bulkSecrets, ss, func(s *directory.Secret) []any {
		return append([]any{s.ID}, secretValues(s, micros(s.CreatedAt))...)
	})
	if err != nil {
		return err
	}
	owned := make([]directory.Secret, len(ss))
	for i, s := range ss {
		owned[i] = directory.Secret{ID: s.ID, OwnerIDs: ownerIDs(s.OwnerIDs)}
	}
	return t.insertOwners(ctx, owned)
}

func (t *tx) ImportEvents(ctx context.Context, es []directory.Event) error {
	return insertRows(ctx, t, bulkEvents, es, func(e *directory.Event) []any {
		return append([]any{e.ID}, eventValues(e)...)
	})
}

func (t *tx) SetIDMarks(ctx context.Context, m directory.IDMarks) error {
	for _, table := range idTables {
		var highest int64
		if err := t.q.QueryRow(ctx, t.sql(table.maxID)).Scan(&highest); err != nil {
			return err
		}
		if err := t.d.IDs.SetLast(ctx, t.q, table.name, max(highest, *table.mark(&m))); err != nil {
			return err
		}
	}
	return nil
}

func (t *tx) Clear(ctx context.Context) error {
	for _, st := range []*stmt{stClearTeamUsers, stClearSessions} {
		if _, err := t.q.Exec(ctx, t.sql(st)); err != nil {
			return err
		}
	}
	for _, table := range idTables {
		if _, err := t.q.Exec(ctx, t.sql(table.clear)); err != nil {
			return err
		}
	}
	return t.SetIDMarks(ctx, directory.IDMarks{})
}
