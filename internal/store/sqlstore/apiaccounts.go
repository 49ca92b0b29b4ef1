package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"time"

	"github.com/gatehouse/gatehouse/internal/directory"
)

var accountFields = []string{"name", "comments", "enabled", "ip_allow", "client_id", "secret_hash",
	"perm_configuration", "perm_user_management", "perm_scim", "perm_quarantine",
	"failed_logins", "locked_until", "token_generation", "token_serial", "last_token_at"}

var accountCols = "a.id, " + qualify("a", accountFields) + ", a.created_at, a.updated_at, a.version"

var accountsList = &listSpec{cols: accountCols, from: "api_accounts a",
	attrs: attrColumns{directory.APIAccountName: "a.name"}, id: "a.id"}

var (
	stAccount           = newStmt("SELECT " + accountCols + " FROM api_accounts a WHERE a.id = ?")
	stAccountByClientID = newStmt("SELECT " + accountCols + " FROM api_accounts a WHERE a.client_id = ?")
	stAccountsSince     = newStmt("SELECT " + accountCols + " FROM api_accounts a WHERE a.updated_at >= ? ORDER BY a.id")
	stAccountExists     = newStmt("SELECT 1 FROM api_accounts WHERE id = ?")
	stClientIDTaken     = newStmt("SELECT 1 FROM api_accounts WHERE client_id = ? AND id <> ?")
	stInsertAccount     = newStmt(insertSQL("api_accounts", versioned(accountFields)) + " ON CONFLICT DO NOTHING RETURNING id")
	stUpdateAccount     = newStmt("UPDATE api_accounts SET " + assignments(accountFields) +
		", updated_at = ?, version = version + 1 WHERE id = ? AND NOT EXISTS (SELECT 1 FROM api_accounts o" +
		" WHERE (lower(o.name) = ? OR o.client_id = ?) AND o.id <> ?) RETURNING version")
)

// accountValues stores an empty allow list as [] and a missing secret hash
// as no bytes; scanAccount reads both back as nil.
func accountValues(a *directory.APIAccount, extra int) []any {
	ips := jsonList(a.IPAllow)
	hash := a.SecretHash
	if hash == nil {
		hash = []byte{}
	}
	return append(make([]any, 0, len(accountFields)+extra),
		a.Name, a.Comments, a.Enabled, ips, a.ClientID, hash,
		string(a.Perms.Configuration), string(a.Perms.UserManagement), a.Perms.SCIM, a.Perms.Quarantine,
		int64(a.FailedLogins), nullMicros(a.LockedUntil), a.TokenGeneration, a.TokenSerial, nullMicros(a.LastTokenAt))
}

func scanAccount(sc scanner) (directory.APIAccount, error) {
	var (
		a                 directory.APIAccount
		ips, conf, users  string
		failed            int64
		locked, lastToken sql.NullInt64
		created, modified int64
	)
	err := sc.Scan(&a.ID, &a.Name, &a.Comments, &a.Enabled, &ips, &a.ClientID, &a.SecretHash,
		&conf, &users, &a.Perms.SCIM, &a.Perms.Quarantine,
		&failed, &locked, &a.TokenGeneration, &a.TokenSerial, &lastToken, &created, &modified, &a.Version)
	if err != nil {
		return a, err
	}
	a.Perms.Configuration, a.Perms.UserManagement = directory.Access(conf), directory.Access(users)
	a.FailedLogins, a.LockedUntil, a.LastTokenAt = int(failed), fromNullMicros(locked), fromNullMicros(lastToken)
	a.CreatedAt, a.UpdatedAt = fromMicros(created), fromMicros(modified)
	if len(a.SecretHash) == 0 {
		a.SecretHash = nil
	}
	if ips != "[]" {
		err = json.Unmarshal([]byte(ips), &a.IPAllow)
	}
	return a, err
}

func (r reader) APIAccount(ctx context.Context, id int64) (directory.APIAccount, error) {
	return get(ctx, r, stAccount, "API account", scanAccount, id)
}

func (r reader) APIAccountByClientID(ctx context.Context, clientID string) (directory.APIAccount, error) {
	return get(ctx, r, stAccountByClientID, "API account", scanAccount, clientID)
}

func (r reader) APIAccounts(ctx context.Context, q directory.Query) (directory.Page[directory.APIAccount], error) {
	return list(ctx, r, accountsList, 0, q, scanAccount)
}

// AccountsChangedSince is served by the index on updated_at.
func (s *Store) AccountsChangedSince(ctx context.Context, since time.Time) ([]directory.APIAccount, error) {
	rows, err := s.q.Query(ctx, s.sql(stAccountsSince), micros(since))
	return collect(rows, err, scanAccount, []directory.APIAccount{})
}

// accountTaken says which of an account's two unique values is taken.
func (t *tx) accountTaken(ctx context.Context, a *directory.APIAccount) func() error {
	return func() error {
		clash, err := t.exists(ctx, stClientIDTaken, a.ClientID, a.ID)
		switch {
		case err != nil:
			return err
		case clash:
			return directory.Conflict(fieldClientID, directory.MsgTaken)
		default:
			return directory.Conflict(directory.FieldName, directory.MsgTaken)
		}
	}
}

func (t *tx) CreateAPIAccount(ctx context.Context, a *directory.APIAccount) error {
	now := micros(t.now)
	id, err := t.insert(ctx, stInsertAccount, t.accountTaken(ctx, a),
		append(accountValues(a, 3), now, now, int64(1))...)
	if err != nil {
		return err
	}
	a.ID, a.CreatedAt, a.UpdatedAt, a.Version = id, t.now, t.now, 1
	return nil
}

func (t *tx) UpdateAPIAccount(ctx context.Context, a *directory.APIAccount) error {
	version, err := t.update(ctx, stUpdateAccount,
		t.missingOrTaken(ctx, stAccountExists, a.ID, "API account", t.accountTaken(ctx, a)),
		append(accountValues(a, 5), micros(t.now), a.ID, foldASCII(a.Name), a.ClientID, a.ID)...)
	if err != nil {
		return err
	}
	a.UpdatedAt, a.Version = t.now, version
	return nil
}
