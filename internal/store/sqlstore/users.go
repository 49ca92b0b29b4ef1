package sqlstore

import (
	"context"
	"database/sql"

	"github.com/gatehouse/gatehouse/internal/directory"
)

// userFields are the columns a write sets, in userValues order.
var userFields = []string{"username", "first_name", "last_name", "display_name", "email",
	"enabled", "quarantined", "admin", "source", "security_provider_id", "password_hash",
	"public_key", "locale", "two_factor_required", "failed_logins", "password_expiration",
	"password_reset_next_login", "last_login_at", "last_login_auth_type", "last_login_config_name",
	"last_login_saml_idp_url", "last_login_sso_url", "external_id", "access",
	"domain_name", "distinguished_name", "client_id", "secret_hash", "secret_generation", "access_policy_id",
	"profile"}

// userCols is the select list scanUser reads.
var userCols = "u.id, " + qualify("u", userFields) + ", u.created_at, u.updated_at, u.version"

var userAttrs = attrColumns{
	directory.UserID:                 "u.id",
	directory.UserUsername:           "u.username",
	directory.UserDisplayName:        "u.display_name",
	directory.UserFirstName:          "u.first_name",
	directory.UserLastName:           "u.last_name",
	directory.UserEmail:              "u.email",
	directory.UserEnabled:            "u.enabled",
	directory.UserQuarantined:        "u.quarantined",
	directory.UserSource:             "u.source",
	directory.UserSecurityProviderID: "u.security_provider_id",
	directory.UserExternalID:         "u.external_id",
	directory.UserLocale:             "u.locale",
	directory.UserCreatedAt:          "u.created_at",
	directory.UserUpdatedAt:          "u.updated_at",
	directory.UserClientID:           "u.client_id",
	directory.UserDomainName:         "u.domain_name",
	directory.UserGroup:              "u.id", // a membership: see memberships
}

var (
	usersList       = &listSpec{cols: userCols, from: "users u", attrs: userAttrs, id: "u.id", table: "users u", counted: "users"}
	memberUsersList = &listSpec{cols: userCols, from: "members m JOIN users u ON u.id = m.user_id",
		scope: "m.group_id", attrs: userAttrs, id: "u.id", table: "users u"}
)

var (
	stUser       = newStmt("SELECT " + userCols + " FROM users u WHERE u.id = ?")
	stUserExists = newStmt("SELECT 1 FROM users WHERE id = ?")
	// User client ids are unique when not empty, as in the partial index.
	stUserClientIDTaken = newStmt("SELECT 1 FROM users WHERE client_id = ? AND client_id <> '' AND id <> ?")
	stInsertUser        = newStmt(insertSQL("users", versioned(userFields)) + " ON CONFLICT DO NOTHING RETURNING id")
	stUpdateUser        = newStmt("UPDATE users SET " + assignments(userFields) +
		", updated_at = ?, version = version + 1 WHERE id = ? AND NOT EXISTS (SELECT 1 FROM users o" +
		" WHERE (lower(o.username) = ? OR o.client_id = ? AND o.client_id <> '') AND o.id <> ?) RETURNING version")
	stDeleteUser = newStmt("DELETE FROM users WHERE id = ?")
)

// userValues stores a missing secret hash as no bytes; scanUser reads it
// back as nil.
func userValues(u *directory.User, extra int) []any {
	hash := u.SecretHash
	if hash == nil {
		hash = []byte{}
	}
	return append(make([]any, 0, len(userFields)+extra),
		u.Username, u.FirstName, u.LastName, u.DisplayName, u.Email,
		u.Enabled, u.Quarantined, u.Admin, string(u.Source), u.SecurityProviderID, u.PasswordHash,
		u.PublicKey, u.Locale, u.TwoFactorRequired, int64(u.FailedLogins), nullMicros(u.PasswordExpiration),
		u.PasswordResetNextLogin, nullMicros(u.LastLogin.At), u.LastLogin.AuthType, u.LastLogin.ConfigName,
		u.LastLogin.SAMLIdPURL, u.LastLogin.SSOURL, u.ExternalID, jsonText(u.Access),
		u.DomainName, u.DistinguishedName, u.ClientID, hash, u.SecretGeneration, u.AccessPolicyID,
		profileText(&u.Profile))
}

func scanUser(sc scanner) (directory.User, error) {
	var (
		u                 directory.User
		source, access    string
		profile           string
		failed            int64
		pwExpiry, lastAt  sql.NullInt64
		created, modified int64
	)
	err := sc.Scan(&u.ID, &u.Username, &u.FirstName, &u.LastName, &u.DisplayName, &u.Email,
		&u.Enabled, &u.Quarantined, &u.Admin, &source, &u.SecurityProviderID, &u.PasswordHash,
		&u.PublicKey, &u.Locale, &u.TwoFactorRequired, &failed, &pwExpiry,
		&u.PasswordResetNextLogin, &lastAt, &u.LastLogin.AuthType, &u.LastLogin.ConfigName,
		&u.LastLogin.SAMLIdPURL, &u.LastLogin.SSOURL, &u.ExternalID, &access,
		&u.DomainName, &u.DistinguishedName, &u.ClientID, &u.SecretHash, &u.SecretGeneration, &u.AccessPolicyID,
		&profile, &created, &modified, &u.Version)
	if err != nil {
		return u, err
	}
	u.Source, u.FailedLogins = directory.Source(source), int(failed)
	u.PasswordExpiration, u.LastLogin.At = fromNullMicros(pwExpiry), fromNullMicros(lastAt)
	u.CreatedAt, u.UpdatedAt = fromMicros(created), fromMicros(modified)
	if len(u.SecretHash) == 0 {
		u.SecretHash = nil
	}
	if u.Profile, err = decodeProfile(profile); err != nil {
		return u, err
	}
	u.Access, err = decodeAccess(access)
	return u, err
}

func (r reader) User(ctx context.Context, id int64) (directory.User, error) {
	return get(ctx, r, stUser, "user", scanUser, id)
}

func (r reader) Users(ctx context.Context, q directory.Query) (directory.Page[directory.User], error) {
	return list(ctx, r, usersList, 0, q, scanUser)
}

func (r reader) MemberUsers(ctx context.Context, groupID int64, q directory.Query) (directory.Page[directory.User], error) {
	return list(ctx, r, memberUsersList, groupID, q, scanUser)
}

// userTaken says which of a user's two unique values is taken.
func (t *tx) userTaken(ctx context.Context, u *directory.User) func() error {
	return func() error {
		clash, err := t.exists(ctx, stUserClientIDTaken, u.ClientID, u.ID)
		switch {
		case err != nil:
			return err
		case clash:
			return directory.Conflict(fieldClientID, directory.MsgTaken)
		default:
			return directory.Conflict(directory.FieldUsername, directory.MsgTaken)
		}
	}
}

func (t *tx) CreateUser(ctx context.Context, u *directory.User) error {
	now := micros(t.now)
	id, err := t.insert(ctx, stInsertUser, t.userTaken(ctx, u),
		append(userValues(u, 3), now, now, int64(1))...)
	if err != nil {
		return err
	}
	u.ID, u.CreatedAt, u.UpdatedAt, u.Version = id, t.now, t.now, 1
	return nil
}

func (t *tx) UpdateUser(ctx context.Context, u *directory.User) error {
	version, err := t.update(ctx, stUpdateUser,
		t.missingOrTaken(ctx, stUserExists, u.ID, "user", t.userTaken(ctx, u)),
		append(userValues(u, 5), micros(t.now), u.ID, foldASCII(u.Username), u.ClientID, u.ID)...)
	if err != nil {
		return err
	}
	u.UpdatedAt, u.Version = t.now, version
	return nil
}

func (t *tx) DeleteUser(ctx context.Context, id int64) error {
	return t.delete(ctx, stDeleteUser, "user", id)
}
