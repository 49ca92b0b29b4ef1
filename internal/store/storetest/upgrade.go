package storetest

import (
	"io/fs"
	"testing"
	"testing/fstest"

	"github.com/gatehouse/gatehouse/internal/directory"
)

// BeforeBeyondInsight is a user, a group and a provider as the schema
// before migration 0003 held them, in SQL that SQLite and PostgreSQL both
// run. An adapter's test inserts them into a database migrated up to
// 0002, opens the store (which applies 0003) and hands it to
// CheckBeforeBeyondInsight.
const BeforeBeyondInsight = `
INSERT INTO security_providers (id, type, name, enabled, user_authentication, group_lookup, priority, default_policy_id)
VALUES (2, 'ldap', 'Old LDAP', TRUE, TRUE, FALSE, 1, 0);
INSERT INTO users (id, username, first_name, last_name, display_name, email, enabled, quarantined, admin, source,
	security_provider_id, password_hash, public_key, locale, two_factor_required, failed_logins, password_expiration,
	password_reset_next_login, last_login_at, last_login_auth_type, last_login_config_name, last_login_saml_idp_url,
	last_login_sso_url, external_id, access, created_at, updated_at, version)
VALUES (7, 'old', '', '', 'Old', '', TRUE, FALSE, FALSE, 'local', 1, 'hash', '', 'en-us', FALSE, 0, NULL, FALSE, NULL,
	'', '', '', '', '', '{}', 1000000, 2000000, 3);
INSERT INTO groups (id, name, description, source, security_provider_id, external_id, access_status, access,
	created_at, updated_at, version)
VALUES (5, 'Old group', '', 'local', 1, '', 'not_defined', '{}', 1000000, 2000000, 2);
` + BeforeAuditFilters

// CheckBeforeBeyondInsight checks that the rows of BeforeBeyondInsight got
// the defaults migration 0003 promises: groups active with no permissions
// or registrations, users with none of the new fields, providers without
// directory settings; and those of the migrations after it: users with the
// zero profile (0004), and a users total that counts them (0005).
func CheckBeforeBeyondInsight(t *testing.T, s directory.Store) {
	t.Helper()
	u, err := s.User(ctx, 7)
	must(t, err)
	equal(t, "old user", u, directory.User{ID: 7, Username: "old", DisplayName: "Old", Enabled: true,
		Source: directory.SourceLocal, SecurityProviderID: 1, PasswordHash: "hash", Locale: "en-us",
		CreatedAt: at("1970-01-01T00:00:01Z"), UpdatedAt: at("1970-01-01T00:00:02Z"), Version: 3})
	g, err := s.Group(ctx, 5)
	must(t, err)
	equal(t, "old group", g, directory.Group{ID: 5, Name: "Old group", Source: directory.SourceLocal, SecurityProviderID: 1,
		AccessStatus: directory.AccessNotDefined, Active: true,
		CreatedAt: at("1970-01-01T00:00:01Z"), UpdatedAt: at("1970-01-01T00:00:02Z"), Version: 2})
	p, err := s.SecurityProvider(ctx, 2)
	must(t, err)
	equal(t, "old provider", p, directory.SecurityProvider{ID: 2, Type: directory.ProviderLDAP, Name: "Old LDAP",
		Enabled: true, UserAuthentication: true, Priority: 1})
	users, err := s.Users(ctx, directory.Query{})
	must(t, err)
	equal(t, "users total", users.Total, 1)
	// The new tables work beside the old rows.
	sec := directory.Secret{Title: "s", OwnerIDs: []int64{7}}
	write(t, s, func(tx directory.Tx) error { return tx.CreateSecret(ctx, &sec) })
	n, err := s.SoleOwnedSecrets(ctx, 7)
	must(t, err)
	equal(t, "secrets of the old user", n, 1)
	// The old user takes a profile, and gives it back.
	u.Profile = fullProfile()
	write(t, s, func(tx directory.Tx) error { return tx.UpdateUser(ctx, &u) })
	got, err := s.User(ctx, 7)
	must(t, err)
	equal(t, "old user with a profile", got, u)
	createUsers(t, s, "new")
	users, err = s.Users(ctx, directory.Query{})
	must(t, err)
	equal(t, "users total after a create", users.Total, 2)
	checkAuditBackfill(t, s)
}

// ScriptsBefore returns the migrations/*.sql scripts of an adapter's
// embedded files whose names sort before name, as sqlstore.Migrate takes
// them: a database migrated with them is one from before that migration.
func ScriptsBefore(t *testing.T, embedded fs.FS, name string) fs.FS {
	t.Helper()
	scripts, err := fs.Sub(embedded, "migrations")
	if err != nil {
		t.Fatal(err)
	}
	names, err := fs.Glob(scripts, "*.sql")
	if err != nil {
		t.Fatal(err)
	}
	out := fstest.MapFS{}
	for _, n := range names {
		if n < name {
			data, err := fs.ReadFile(scripts, n)
			if err != nil {
				t.Fatal(err)
			}
			out[n] = &fstest.MapFile{Data: data}
		}
	}
	if len(out) == 0 {
		t.Fatalf("no migrations before %s", name)
	}
	return out
}
